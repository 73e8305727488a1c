import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { AssessmentRow } from '@/api/reports';

/** The option type of the reports' chart (only these parts are registered, see components/ReportChart.vue). */
export type ReportChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

export interface RatesChartLabels {
  responseRate: string;
  resolutionRate: string;
  satisfactionRate: string;
  score: string;
}

/** At most this many units on the chart (the table has them all). */
export const CHART_MAX_UNITS = 20;

/** The colours of the console's tags (as the dashboard's charts). */
const PALETTE = ['#409eff', '#67c23a', '#e6a23c', '#f56c6c'];

/**
 * The units the chart compares: those of the first level of the tree that has several (the bureaus and districts
 * of the center, a district's streets), in the table's order, at most CHART_MAX_UNITS. A report of one unit alone
 * charts that unit.
 */
export function chartRows(rows: readonly AssessmentRow[]): AssessmentRow[] {
  const depths = [...new Set(rows.map((row) => row.depth))].sort((a, b) => a - b);
  const depth = depths.find((level) => rows.filter((row) => row.depth === level).length > 1);
  const shown = depth === undefined ? rows : rows.filter((row) => row.depth === depth);
  return shown.slice(0, CHART_MAX_UNITS);
}

/** A rate 0…1 as a percentage with one decimal for the chart; no data stays a gap. */
const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** 三率 and the score by unit: three bars (%) and the score (points) as a line, on one 0–100 axis. */
export function ratesChart(rows: readonly AssessmentRow[], labels: RatesChartLabels): ReportChartOption {
  const shown = chartRows(rows);
  return {
    // A report, not a live view: drawn at once (a printout or a screenshot never catches bars half-grown).
    animation: false,
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [labels.responseRate, labels.resolutionRate, labels.satisfactionRate, labels.score] },
    // Room on the left for the first unit's name, which leans left when the names are rotated.
    grid: { left: 40, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: shown.map((row) => row.unitName), axisLabel: { interval: 0, rotate: shown.length > 6 ? 30 : 0, width: 96, overflow: 'truncate' } },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      { type: 'bar', name: labels.responseRate, barMaxWidth: 18, data: shown.map((row) => percent(row.responseRate)) },
      { type: 'bar', name: labels.resolutionRate, barMaxWidth: 18, data: shown.map((row) => percent(row.resolutionRate)) },
      { type: 'bar', name: labels.satisfactionRate, barMaxWidth: 18, data: shown.map((row) => percent(row.satisfactionRate)) },
      { type: 'line', name: labels.score, symbolSize: 7, data: shown.map((row) => (row.score === null ? null : Math.round(row.score * 10) / 10)) },
    ],
  };
}
