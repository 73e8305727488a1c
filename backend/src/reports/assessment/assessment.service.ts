import { Inject, Injectable } from '@nestjs/common';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UnitsService, type UnitTreeNode } from '../../units/units.service';
import { scopeTree } from '../overdue/report-units';
import { periodInstants, previousPeriod, type ReportPeriod } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { AssessmentFigures, AssessmentReport, AssessmentRow, AssessmentWeights, UnitRef } from '../report-views';
import { directFiguresByUnit } from '../statistics/direct-figures';
import { zeroFigures } from '../statistics/order-contributions';
import { StatisticsRepository } from '../statistics/statistics.repository';
import { REPORT_OVERLAP_EVENTS, StatisticsService } from '../statistics/statistics.service';
import type { UnitDayFigures } from '../statistics/unit-day-stat.entity';
import { addExtras, addFigures, assessmentFigures, NO_EXTRAS, rankByType, type UnitExtras } from './assessment-formulas';

/** Where the order figures come from: the daily statistics (always, in the API) or the orders themselves (the reference). */
export type FiguresSource = 'statistics' | 'orders';

interface ScoredRows {
  rows: (UnitRef & AssessmentFigures)[];
  totals: AssessmentFigures;
  ranks: Map<number, number>;
}

/**
 * 考核: every unit of a scope for a period, each with its subtree rolled up, ranked by the 三率 score among units of
 * its type, with the previous period's score and rank. Reads the daily statistics (one GROUP BY over at most
 * days × units rows of unit_day_stats), never the orders: docs/reports.md.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly repository: StatisticsRepository,
    private readonly units: UnitsService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get weights(): AssessmentWeights {
    return { ...this.config.reports.weights, basicallySatisfied: this.config.reports.basicallySatisfiedWeight };
  }

  /**
   * The report. `source: 'orders'` computes the same figures with the direct GROUP BY over work_orders instead of the
   * daily statistics (the reference bench:reports and the tests compare with; slow on a large table).
   */
  async assessment(period: ReportPeriod, scope: ReportScope, options: { source?: FiguresSource } = {}): Promise<AssessmentReport> {
    const source = options.source ?? 'statistics';
    // Exact right after a change: fold in what the timeline recorded since the last run.
    if (source === 'statistics') await this.statistics.catchUp({ overlap: REPORT_OVERLAP_EVENTS });
    const previous = previousPeriod(period);
    const tree = await scopeTree(this.units, scope);
    const [current, before] = await Promise.all([this.scoredRows(period, scope, tree, source), this.scoredRows(previous, scope, tree, source)]);
    const previousScore = new Map(before.rows.map((row) => [row.unitId, row.score]));
    const rows: AssessmentRow[] = current.rows.map((row) => {
      const rank = current.ranks.get(row.unitId) ?? null;
      const previousRank = before.ranks.get(row.unitId) ?? null;
      return { ...row, rank, previousScore: previousScore.get(row.unitId) ?? null, previousRank, rankChange: rank !== null && previousRank !== null ? previousRank - rank : null };
    });
    return { period, previousPeriod: previous, weights: this.weights, scopeUnitId: scope.unitId, totals: current.totals, rows, generatedAt: this.clock.now().toISOString() };
  }

  private async scoredRows(period: ReportPeriod, scope: ReportScope, tree: UnitTreeNode[], source: FiguresSource): Promise<ScoredRows> {
    const zone = this.calendars.calendar.timeZone;
    const range = periodInstants(period, zone);
    const data = this.repository.dataSource;
    const [stats, returns, flags] = await Promise.all([
      source === 'statistics' ? this.repository.sumByUnit(data, period.from, period.to, scope.unitIds) : directFiguresByUnit(data, range, scope.unitIds),
      this.repository.returnsByUnit(this.repository.dataSource, range, scope.unitIds),
      this.repository.flagsByUnit(this.repository.dataSource, range, scope.unitIds),
    ]);
    const minutesPerDay = (await this.calendars.current()).settings.officeMinutesPerDay;
    const weights = this.weights;
    const rows: (UnitRef & AssessmentFigures)[] = [];
    const totalStats = zeroFigures();
    let totalExtras = NO_EXTRAS;
    // Depth-first, parent before children: each unit's figures are its own plus its subtree's.
    const visit = (node: UnitTreeNode, depth: number): { stats: UnitDayFigures; extras: UnitExtras } => {
      const own = stats.get(node.id) ?? zeroFigures();
      const ownExtras: UnitExtras = { ...(returns.get(node.id) ?? { returns: 0, returnsApproved: 0 }), shirkingFlags: flags.get(node.id) ?? 0 };
      addFigures(totalStats, own);
      totalExtras = addExtras(totalExtras, ownExtras);
      const index = rows.length;
      rows.push({ unitId: node.id, unitName: node.name, unitType: node.type, parentId: node.parentId, depth, ...assessmentFigures(zeroFigures(), NO_EXTRAS, weights, minutesPerDay) });
      const subtree = { ...own };
      let subtreeExtras = ownExtras;
      for (const child of node.children) {
        const below = visit(child, depth + 1);
        addFigures(subtree, below.stats);
        subtreeExtras = addExtras(subtreeExtras, below.extras);
      }
      rows[index] = { ...rows[index], ...assessmentFigures(subtree, subtreeExtras, weights, minutesPerDay) };
      return { stats: subtree, extras: subtreeExtras };
    };
    for (const root of tree) visit(root, 0);
    const ranks = rankByType(rows.map((row) => ({ unitId: row.unitId, unitType: row.unitType, unitName: row.unitName, score: row.score, received: row.received })));
    return { rows, totals: assessmentFigures(totalStats, totalExtras, weights, minutesPerDay), ranks };
  }
}
