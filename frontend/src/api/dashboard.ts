import type { components } from './generated/openapi';
import { http } from './http';

// Aliases of the generated types (to move into api/models.ts, which this feature does not own).
type Schemas = components['schemas'];
export type Dashboard = Schemas['DashboardResponse'];
export type DashboardFigure = Schemas['FigureResponse'];
export type DashboardDrillQuery = Schemas['DrillQueryResponse'];
export type DashboardTrendDay = Schemas['TrendDayResponse'];
export type DashboardCategoryFigure = Schemas['CategoryFigureResponse'];
export type DashboardUnitRow = Schemas['UnitRowResponse'];

/** 督办看板: every figure with the list query that reproduces it (GET /api/dashboard). */
export function getDashboard(signal?: AbortSignal): Promise<Dashboard> {
  return http.get<Dashboard>('/dashboard', { signal });
}
