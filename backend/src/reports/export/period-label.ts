import { monthPeriod, type ReportPeriod } from '../report-period';

/** "2026年11月" for a whole month, "2026-10-01 至 2026-12-31" otherwise: how the exports name a period. */
export function periodLabel(period: ReportPeriod): string {
  const month = period.from.slice(0, 7);
  const whole = monthPeriod(month);
  if (whole.from === period.from && whole.to === period.to) return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
  return `${period.from} 至 ${period.to}`;
}
