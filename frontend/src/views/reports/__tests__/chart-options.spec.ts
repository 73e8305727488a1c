import { describe, expect, it } from 'vitest';
import type { AssessmentRow } from '@/api/reports';
import { CHART_MAX_UNITS, chartRows, ratesChart } from '../chart-options';
import { assessmentFixture } from './fixtures';

const labels = { responseRate: '响应率', resolutionRate: '解决率', satisfactionRate: '满意率', score: '三率得分' };
const names = (rows: AssessmentRow[]) => rows.map((row) => row.unitName);

describe('the ranking chart', () => {
  it('compares the units of the first level that has several', () => {
    const rows = assessmentFixture().rows;
    expect(names(chartRows(rows))).toEqual(['东城区人民政府', '云川市城市管理局']);
    // A district's own report: the district alone at the top, its streets compared.
    expect(names(chartRows(rows.slice(0, 3)))).toEqual(['朝阳街道办事处', '东关街道办事处']);
    expect(names(chartRows(rows.slice(0, 1)))).toEqual(['东城区人民政府']);
  });

  it('shows at most CHART_MAX_UNITS units', () => {
    const base = assessmentFixture().rows[3];
    const many = Array.from({ length: 25 }, (_, index) => ({ ...base, unitId: 100 + index, unitName: `单位${index}` }));
    expect(chartRows(many)).toHaveLength(CHART_MAX_UNITS);
  });

  it('draws the rates as percentages and the score as points, no data as a gap', () => {
    const option = ratesChart(assessmentFixture().rows, labels);
    const series = option.series as { name: string; type: string; data: (number | null)[] }[];
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['bar', '响应率'],
      ['bar', '解决率'],
      ['bar', '满意率'],
      ['line', '三率得分'],
    ]);
    // 东城区 0.9 / 0.8 / 0.85, score 84.5; 城管局 0.875 and no callbacks, no score.
    expect(series.map((s) => s.data)).toEqual([
      [90, 87.5],
      [80, null],
      [85, null],
      [84.5, null],
    ]);
    expect(option.animation).toBe(false);
  });
});
