import { describe, expect, it, vi } from 'vitest';
import { categoryChart, channelChart, figureAt, requestTypeChart, trendChart, type ChartLabels } from '../chart-options';
import { drillQuery, drillRoute } from '../drill';
import { throttle } from '../useDashboard';
import { dashboardFixture } from './fixtures';

const labels: ChartLabels = {
  channel: (value) => `channel:${value}`,
  requestType: (value) => `type:${value}`,
  created: '受理',
  closed: '办结',
  orders: '工单数',
};

describe('dashboard data → chart options', () => {
  it('draws today’s channels as a doughnut of the channels that had orders, each slice drilling into its figure', () => {
    const dashboard = dashboardFixture();
    const chart = channelChart(dashboard, labels);
    const series = (chart.option.series as { type: string; data: { name: string; value: number }[] }[])[0];
    expect(series.type).toBe('pie');
    expect(series.data).toEqual([
      { name: 'channel:phone', value: 1 },
      { name: 'channel:wechat', value: 1 },
      { name: 'channel:app', value: 1 },
    ]);
    expect(figureAt(chart, 0, 1)?.query).toEqual({ ...dashboard.todayIntake.query, channel: 'wechat' });
  });

  it('draws every request type as a bar, zeros included', () => {
    const chart = requestTypeChart(dashboardFixture(), labels);
    expect((chart.option.xAxis as { data: string[] }).data).toEqual(['type:consultation', 'type:help', 'type:complaint', 'type:report', 'type:suggestion', 'type:praise']);
    expect((chart.option.series as { data: number[] }[])[0].data).toEqual([0, 0, 1, 2, 0, 0]);
    expect(figureAt(chart, 0, 3)?.query.requestType).toBe('report');
  });

  it('draws the 30-day trend as two lines, registered and closed, with MM-DD days', () => {
    const dashboard = dashboardFixture();
    const chart = trendChart(dashboard, labels);
    const axis = (chart.option.xAxis as { data: string[] }).data;
    expect(axis).toHaveLength(30);
    expect(axis[0]).toBe('09-21');
    expect(axis[29]).toBe('10-20');
    const series = chart.option.series as { name: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(['受理', '办结']);
    expect(series[0].data[29]).toBe(3);
    expect(figureAt(chart, 1, 0)).toBe(dashboard.trend[0].closed);
    expect(figureAt(chart, 0, 29)).toBe(dashboard.trend[29].created);
  });

  it('draws the top categories with the largest on top (a horizontal axis runs bottom-up)', () => {
    const dashboard = dashboardFixture();
    const chart = categoryChart(dashboard, labels);
    expect((chart.option.yAxis as { data: string[] }).data).toEqual(['路灯', '占道经营']);
    expect(figureAt(chart, 0, 1)).toBe(dashboard.topCategories[0]);
  });

  it('ignores a click beside the data', () => {
    const chart = categoryChart(dashboardFixture(), labels);
    expect(figureAt(chart, undefined, 0)).toBeNull();
    expect(figureAt(chart, 0, 9)).toBeNull();
    expect(figureAt(chart, 3, 0)).toBeNull();
  });
});

describe('drill-down', () => {
  it('turns a figure’s API query into the list page’s URL query, values as text', () => {
    expect(drillQuery({ open: true, leadUnitId: 20 })).toEqual({ open: 'true', leadUnitId: '20' });
    expect(drillQuery({ warning: 'red' })).toEqual({ warning: 'red' });
    expect(drillQuery({ categoryId: 4, createdFrom: '2026-09-20T16:00:00.000Z', createdTo: '2026-10-20T16:00:00.000Z' })).toEqual({
      categoryId: '4',
      createdFrom: '2026-09-20T16:00:00.000Z',
      createdTo: '2026-10-20T16:00:00.000Z',
    });
    expect(drillRoute({ status: 'dispatched' })).toEqual({ path: '/work-orders', query: { status: 'dispatched' } });
  });
});

describe('live refresh throttle', () => {
  it('runs at once, then at most once per interval, deferring the calls in between to its end', () => {
    let now = 0;
    const timers: { fn: () => void; at: number }[] = [];
    const run = vi.fn();
    const sut = throttle(run, 10_000, {
      now: () => now,
      schedule: (fn, ms) => {
        timers.push({ fn, at: now + ms });
        return timers.length as unknown as ReturnType<typeof setTimeout>;
      },
      cancel: () => undefined,
    });
    sut.call();
    expect(run).toHaveBeenCalledTimes(1);
    now = 2_000;
    sut.call();
    sut.call();
    sut.call();
    expect(run).toHaveBeenCalledTimes(1);
    expect(timers).toHaveLength(1);
    expect(timers[0].at).toBe(10_000);
    now = 10_000;
    timers[0].fn();
    expect(run).toHaveBeenCalledTimes(2);
    now = 25_000;
    sut.call();
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('waits a full interval after a manual refresh', () => {
    let now = 50_000;
    const timers: number[] = [];
    const run = vi.fn();
    const sut = throttle(run, 10_000, {
      now: () => now,
      schedule: (_fn, ms) => {
        timers.push(ms);
        return 1 as unknown as ReturnType<typeof setTimeout>;
      },
      cancel: () => undefined,
    });
    sut.ran();
    now = 53_000;
    sut.call();
    expect(run).not.toHaveBeenCalled();
    expect(timers).toEqual([7_000]);
  });
});
