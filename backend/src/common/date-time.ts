import { ValidateBy, type ValidationOptions } from 'class-validator';

export const MIN_DATE_TIME_YEAR = 2000;
export const MAX_DATE_TIME_YEAR = 2100;

/** The one shape of a date-time this API accepts: RFC 3339 with seconds and a mandatory offset. */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export const DATE_TIME_EXAMPLE = '2030-01-31T17:00:00+08:00';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Why `value` is not an acceptable date-time, or null when it is. The ISO 8601 check that came before accepted
 * ordinal and week dates, hour-only times, comma fractions and 9999-12-31 — values `Date` cannot read or a
 * database cannot store (→ 500 on MariaDB, year 0000 on SQLite, and every or no row for a list filter).
 */
export function dateTimeProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const match = RFC_3339.exec(value);
  if (!match) return `must be an RFC 3339 date-time with seconds and an offset, e.g. ${DATE_TIME_EXAMPLE}`;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return `is not a real calendar date (${value.slice(0, 10)})`;
  if (hour > 23 || minute > 59 || second > 59) return 'has a time of day out of range (00:00:00 to 23:59:59)';
  if (match[7] !== undefined) {
    const offsetHours = Number(match[8]);
    const offsetMinutes = Number(match[9]);
    if (offsetMinutes > 59 || offsetHours > 14 || (offsetHours === 14 && offsetMinutes > 0)) return 'has a time-zone offset out of range (-14:00 to +14:00)';
  }
  if (year < MIN_DATE_TIME_YEAR || year > MAX_DATE_TIME_YEAR) return `must be in the years ${MIN_DATE_TIME_YEAR} to ${MAX_DATE_TIME_YEAR}`;
  return null;
}

/**
 * The date-time validator for every date field of a request (body or query). Services may then rely on
 * `new Date(value)` being a real instant in a range both database engines store.
 */
export function IsStrictDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStrictDateTime',
      validator: {
        validate: (value: unknown) => dateTimeProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${dateTimeProblem(args?.value) ?? 'is not a valid date-time'}`,
      },
    },
    options,
  );
}
