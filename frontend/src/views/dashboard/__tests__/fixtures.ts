import type { Dashboard, DashboardFigure } from '@/api/dashboard';
import { CHANNELS, REQUEST_TYPES } from '@/api/models';

const TODAY = { createdFrom: '2026-10-19T16:00:00.000Z', createdTo: '2026-10-20T16:00:00.000Z' };

const figure = (count: number, query: DashboardFigure['query']): DashboardFigure => ({ count, query });

/** A dashboard as GET /api/dashboard answers it: 3 registered today, 6 open, 2 overdue, 1 yellow. */
export function dashboardFixture(): Dashboard {
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 8, 21 + i)).toISOString().slice(0, 10);
    const from = new Date(`${date}T00:00:00+08:00`);
    const to = new Date(from.getTime() + 86_400_000);
    return {
      date,
      created: figure(i === 29 ? 3 : i % 7, { createdFrom: from.toISOString(), createdTo: to.toISOString() }),
      closed: figure(i % 5 === 0 ? 1 : 0, { status: 'closed', closedFrom: from.toISOString(), closedTo: to.toISOString() }),
    };
  });
  const channelCounts: Record<string, number> = { phone: 1, wechat: 1, app: 1 };
  const typeCounts: Record<string, number> = { complaint: 1, report: 2 };
  return {
    generatedAt: '2026-10-20T02:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    today: '2026-10-20',
    scopeUnit: null,
    todayIntake: figure(3, TODAY),
    todayByChannel: CHANNELS.map((channel) => ({ channel, ...figure(channelCounts[channel] ?? 0, { ...TODAY, channel }) })),
    todayByRequestType: REQUEST_TYPES.map((requestType) => ({ requestType, ...figure(typeCounts[requestType] ?? 0, { ...TODAY, requestType }) })),
    open: figure(6, { open: true }),
    openByStatus: [
      { status: 'registered', ...figure(3, { status: 'registered' }) },
      { status: 'dispatched', ...figure(2, { status: 'dispatched' }) },
      { status: 'processing', ...figure(1, { status: 'processing' }) },
    ],
    overdue: figure(2, { warning: 'red' }),
    yellow: figure(1, { warning: 'yellow' }),
    trend: days,
    topCategories: [
      { categoryId: 11, name: '占道经营', path: '城市管理/市容环卫/占道经营', ...figure(3, { categoryId: 11, createdFrom: days[0].created.query.createdFrom, createdTo: TODAY.createdTo }) },
      { categoryId: 4, name: '路灯', path: '城乡建设/市政设施/路灯', ...figure(2, { categoryId: 4, createdFrom: days[0].created.query.createdFrom, createdTo: TODAY.createdTo }) },
    ],
    units: [
      {
        unitId: 2,
        code: 'cgj',
        name: '云川市城市管理局',
        open: figure(1, { open: true, leadUnitId: 2 }),
        overdue: figure(1, { warning: 'red', leadUnitId: 2 }),
        yellow: figure(0, { warning: 'yellow', leadUnitId: 2 }),
        received: figure(1, { ...TODAY, leadUnitId: 2 }),
        closed: figure(0, { status: 'closed', ...TODAY, leadUnitId: 2 }),
      },
      {
        unitId: 20,
        code: 'dc',
        name: '东城区人民政府',
        open: figure(4, { open: true, leadUnitId: 20 }),
        overdue: figure(0, { warning: 'red', leadUnitId: 20 }),
        yellow: figure(1, { warning: 'yellow', leadUnitId: 20 }),
        received: figure(2, { ...TODAY, leadUnitId: 20 }),
        closed: figure(1, { status: 'closed', ...TODAY, leadUnitId: 20 }),
      },
    ],
  };
}
