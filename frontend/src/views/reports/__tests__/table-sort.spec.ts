import { describe, expect, it } from 'vitest';
import { formatDecimal, formatRate, rankChangeText, rankMove } from '../figures';
import { nextSort, sortRows } from '../table-sort';

interface Row {
  name: string;
  rate: number | null;
  count: number;
}

const rows: Row[] = [
  { name: '东城区', rate: 0.8, count: 5 },
  { name: '城管局', rate: null, count: 9 },
  { name: '住建局', rate: 0.95, count: 5 },
  { name: '西城区', rate: 0.5, count: 1 },
];
const valueOf = (row: Row, key: string) => row[key as keyof Row];
const names = (sorted: Row[]) => sorted.map((row) => row.name);

describe('report table sorting', () => {
  it('cycles a column descending, ascending, then back to the server order', () => {
    expect(nextSort(null, 'rate')).toEqual({ key: 'rate', order: 'descending' });
    expect(nextSort({ key: 'rate', order: 'descending' }, 'rate')).toEqual({ key: 'rate', order: 'ascending' });
    expect(nextSort({ key: 'rate', order: 'ascending' }, 'rate')).toBeNull();
    expect(nextSort({ key: 'rate', order: 'ascending' }, 'count')).toEqual({ key: 'count', order: 'descending' });
  });

  it('sorts by the value and puts rows without one last in both directions', () => {
    expect(names(sortRows(rows, { key: 'rate', order: 'descending' }, valueOf))).toEqual(['住建局', '东城区', '西城区', '城管局']);
    expect(names(sortRows(rows, { key: 'rate', order: 'ascending' }, valueOf))).toEqual(['西城区', '东城区', '住建局', '城管局']);
  });

  it('keeps the server order for ties and when unsorted, without touching the input', () => {
    expect(names(sortRows(rows, { key: 'count', order: 'descending' }, valueOf))).toEqual(['城管局', '东城区', '住建局', '西城区']);
    expect(names(sortRows(rows, { key: 'count', order: 'ascending' }, valueOf))).toEqual(['西城区', '东城区', '住建局', '城管局']);
    expect(names(sortRows(rows, null, valueOf))).toEqual(['东城区', '城管局', '住建局', '西城区']);
    expect(names(rows)).toEqual(['东城区', '城管局', '住建局', '西城区']);
  });

  it('sorts texts in Chinese order', () => {
    expect(names(sortRows(rows, { key: 'name', order: 'ascending' }, valueOf))).toEqual(['城管局', '东城区', '西城区', '住建局']);
  });
});

describe('report figures', () => {
  it('shows the rank change with its arrow: previousRank − rank, positive = up', () => {
    expect(rankMove(2)).toEqual({ move: 'up', places: 2 });
    expect(rankMove(-3)).toEqual({ move: 'down', places: 3 });
    expect(rankMove(0)).toEqual({ move: 'same', places: 0 });
    expect(rankMove(null)).toEqual({ move: 'new', places: 0 });
    expect(rankChangeText(2, '—')).toBe('↑2');
    expect(rankChangeText(-1, '—')).toBe('↓1');
    expect(rankChangeText(0, '—')).toBe('–');
    expect(rankChangeText(null, '—')).toBe('—');
  });

  it('writes rates as percentages with one decimal, and no data as such', () => {
    expect(formatRate(0.9234, '—')).toBe('92.3%');
    expect(formatRate(1, '—')).toBe('100.0%');
    expect(formatRate(0, '—')).toBe('0.0%');
    expect(formatRate(null, '—')).toBe('—');
    expect(formatDecimal(86.25, '—')).toBe('86.3');
    expect(formatDecimal(null, '—')).toBe('—');
  });
});
