import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Dashboard, DashboardFigure } from '@/api/dashboard';
import type { Channel, RequestType } from '@/api/models';

/** The option type of the charts the dashboard uses (only these are registered, see DashboardChart.vue). */
export type DashboardChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/**
 * A chart with the figure behind each clickable point: `figures[seriesIndex][dataIndex]` is what a click on that
 * bar, slice or point drills into.
 */
export interface DashboardChart {
  option: DashboardChartOption;
  figures: DashboardFigure[][];
}

export interface ChartLabels {
  channel: (value: Channel) => string;
  requestType: (value: RequestType) => string;
  created: string;
  closed: string;
  orders: string;
}

/** The colours of the console's tags: primary, success, warning, danger, info and a few more. */
const PALETTE = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c', '#909399', '#5470c6', '#91cc75', '#fac858', '#73c0de', '#3ba272'];

/** Today's intake per channel as a doughnut; channels without orders are left out. */
export function channelChart(dashboard: Dashboard, labels: ChartLabels): DashboardChart {
  const shown = dashboard.todayByChannel.filter((figure) => figure.count > 0);
  return {
    figures: [shown],
    option: {
      color: PALETTE,
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          avoidLabelOverlap: true,
          label: { formatter: '{b} {c}' },
          data: shown.map((figure) => ({ name: labels.channel(figure.channel), value: figure.count })),
        },
      ],
    },
  };
}

/** Today's intake per request type as bars (every type, zeros included, so the chart keeps its shape). */
export function requestTypeChart(dashboard: Dashboard, labels: ChartLabels): DashboardChart {
  const figures = dashboard.todayByRequestType;
  return {
    figures: [figures],
    option: {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: figures.map((figure) => labels.requestType(figure.requestType)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: labels.orders, barMaxWidth: 36, data: figures.map((figure) => figure.count) }],
    },
  };
}

/** The 30-day trend: registered and closed per day, as two lines (dates as MM-DD on the axis). */
export function trendChart(dashboard: Dashboard, labels: ChartLabels): DashboardChart {
  const days = dashboard.trend;
  return {
    figures: [days.map((day) => day.created), days.map((day) => day.closed)],
    option: {
      color: [PALETTE[0], PALETTE[1]],
      tooltip: { trigger: 'axis' },
      legend: { data: [labels.created, labels.closed], top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: days.map((day) => day.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: labels.created, smooth: true, smoothMonotone: 'x', symbolSize: 6, data: days.map((day) => day.created.count) },
        { type: 'line', name: labels.closed, smooth: true, smoothMonotone: 'x', symbolSize: 6, data: days.map((day) => day.closed.count) },
      ],
    },
  };
}

/** The top categories of 30 days as horizontal bars, the largest on top. */
export function categoryChart(dashboard: Dashboard, labels: ChartLabels): DashboardChart {
  // The y axis of a horizontal bar chart runs bottom-up: reverse so the first (largest) is drawn on top.
  const figures = [...dashboard.topCategories].reverse();
  return {
    figures: [figures],
    option: {
      color: [PALETTE[5]],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: figures.map((figure) => figure.name), axisLabel: { width: 96, overflow: 'truncate' } },
      series: [{ type: 'bar', name: labels.orders, barMaxWidth: 20, data: figures.map((figure) => figure.count) }],
    },
  };
}

/** The figure a click on a chart element drills into, or null (a click beside the data). */
export function figureAt(chart: DashboardChart, seriesIndex: number | undefined, dataIndex: number | undefined): DashboardFigure | null {
  if (seriesIndex === undefined || dataIndex === undefined) return null;
  return chart.figures[seriesIndex]?.[dataIndex] ?? null;
}
