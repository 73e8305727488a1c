import { describe, expect, it } from 'vitest';
import { defaultChoice, monthPeriod, periodOf, previousMonth, quarterOf, quarterPeriod, queryKey, rangePeriod, recentQuarters } from '../period';

describe('report period choice', () => {
  it('turns a month into its first and last day, leap Februaries included', () => {
    expect(monthPeriod('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthPeriod('2027-02')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(monthPeriod('2026-13')).toBeNull();
    expect(monthPeriod('2026-1')).toBeNull();
  });

  it('turns a quarter into its three months', () => {
    expect(quarterPeriod('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterPeriod('2026-Q2')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterPeriod('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterPeriod('2026-Q5')).toBeNull();
  });

  it('accepts a range of up to 366 days, both ends included, and refuses a longer or reversed one', () => {
    expect(rangePeriod('2026-12-02', '2026-12-02')).toEqual({ ok: true, period: { from: '2026-12-02', to: '2026-12-02' } });
    // 2024 is a leap year: 2024-01-01 … 2024-12-31 is 366 days, the longest allowed.
    expect(rangePeriod('2024-01-01', '2024-12-31')).toEqual({ ok: true, period: { from: '2024-01-01', to: '2024-12-31' } });
    expect(rangePeriod('2025-12-01', '2026-12-01')).toEqual({ ok: true, period: { from: '2025-12-01', to: '2026-12-01' } });
    expect(rangePeriod('2025-12-01', '2026-12-02')).toEqual({ ok: false, problem: 'tooLong' });
    expect(rangePeriod('2024-01-01', '2025-01-01')).toEqual({ ok: false, problem: 'tooLong' });
    expect(rangePeriod('2026-12-02', '2026-12-01')).toEqual({ ok: false, problem: 'reversed' });
    expect(rangePeriod('', '2026-12-01')).toEqual({ ok: false, problem: 'missing' });
  });

  it('gives the period of the chosen kind', () => {
    const choice = { month: '2026-11', quarter: '2026-Q3', range: ['2026-01-05', '2026-02-04'] as [string, string] };
    expect(periodOf({ ...choice, kind: 'month' })).toEqual({ ok: true, period: { from: '2026-11-01', to: '2026-11-30' } });
    expect(periodOf({ ...choice, kind: 'quarter' })).toEqual({ ok: true, period: { from: '2026-07-01', to: '2026-09-30' } });
    expect(periodOf({ ...choice, kind: 'range' })).toEqual({ ok: true, period: { from: '2026-01-05', to: '2026-02-04' } });
    expect(periodOf({ ...choice, kind: 'range', range: null })).toEqual({ ok: false, problem: 'missing' });
    expect(periodOf({ ...choice, kind: 'month', month: null })).toEqual({ ok: false, problem: 'missing' });
    expect(periodOf({ ...choice, kind: 'range', range: ['2025-01-01', '2026-06-30'] })).toEqual({ ok: false, problem: 'tooLong' });
  });

  it('starts on last month, across a new year too', () => {
    expect(previousMonth('2026-12-02')).toBe('2026-11');
    expect(previousMonth('2027-01-15')).toBe('2026-12');
    expect(defaultChoice('2026-12-02')).toEqual({ kind: 'month', month: '2026-11', quarter: '2026-Q4', range: ['2026-11-01', '2026-11-30'] });
    expect(defaultChoice('2027-01-03')).toEqual({ kind: 'month', month: '2026-12', quarter: '2026-Q4', range: ['2026-12-01', '2026-12-31'] });
  });

  it('offers the current quarter and those before it', () => {
    expect(quarterOf('2026-11')).toBe('2026-Q4');
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(recentQuarters('2026-02-10', 5)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1']);
  });

  it('keys a request by its period and unit', () => {
    expect(queryKey({ from: '2026-11-01', to: '2026-11-30' }, null)).toBe('2026-11-01|2026-11-30|');
    expect(queryKey({ from: '2026-11-01', to: '2026-11-30' }, 7)).toBe('2026-11-01|2026-11-30|7');
  });
});
