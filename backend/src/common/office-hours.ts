/** One minute in milliseconds. */
const MINUTE_MS = 60_000;

/** The center's default office hours (DOMAIN.md): morning and afternoon with a lunch break. */
export const DEFAULT_OFFICE_HOURS: readonly string[] = ['08:30-12:00', '13:30-17:30'];

/** One office period of a working day, as ms since local midnight; half-open: [startMs, endMs). */
export interface OfficePeriod {
  readonly startMs: number;
  readonly endMs: number;
}

export interface OfficeHours {
  /** In order, none overlapping or touching. */
  readonly periods: readonly OfficePeriod[];
  /** Office time of one working day (7.5 h by default). */
  readonly msPerDay: number;
}

const PERIOD = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function clockMs(hours: number, minutes: number): number {
  return (hours * 60 + minutes) * MINUTE_MS;
}

export function formatClock(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Reads office periods written "HH:MM-HH:MM" (a list, or one string separated by commas, as an environment variable
 * would give them). Throws a RangeError saying which period is wrong: each must start before it ends (24:00 may end
 * the last one), and they must be in order without overlapping or touching (touching periods are one period).
 */
export function parseOfficeHours(spec: string | readonly string[] = DEFAULT_OFFICE_HOURS): OfficeHours {
  const texts = (typeof spec === 'string' ? spec.split(',') : [...spec]).map((text) => text.trim()).filter((text) => text !== '');
  if (texts.length === 0) throw new RangeError('Office hours need at least one period such as 08:30-12:00');
  const periods: OfficePeriod[] = [];
  for (const text of texts) {
    const match = PERIOD.exec(text);
    if (!match) throw new RangeError(`Office period ${JSON.stringify(text)} must be written HH:MM-HH:MM, e.g. 08:30-12:00`);
    const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number);
    if (startHour > 23 || startMinute > 59 || endMinute > 59 || endHour > 24 || (endHour === 24 && endMinute !== 0)) {
      throw new RangeError(`Office period ${text} has a time of day out of range (00:00 to 24:00)`);
    }
    const period = { startMs: clockMs(startHour, startMinute), endMs: clockMs(endHour, endMinute) };
    if (period.startMs >= period.endMs) throw new RangeError(`Office period ${text} must start before it ends`);
    const previous = periods[periods.length - 1];
    if (previous && period.startMs <= previous.endMs) {
      throw new RangeError(
        `Office period ${text} must start after the previous one (${formatClock(previous.startMs)}-${formatClock(previous.endMs)}) ends: list periods in order, without overlap, and merge touching ones`,
      );
    }
    periods.push(period);
  }
  return { periods, msPerDay: periods.reduce((sum, period) => sum + period.endMs - period.startMs, 0) };
}

export function describeOfficeHours(hours: OfficeHours): string[] {
  return hours.periods.map((period) => `${formatClock(period.startMs)}-${formatClock(period.endMs)}`);
}
