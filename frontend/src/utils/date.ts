/** The hotline center's time zone: every date and time the console shows is local to it, wherever the browser is. */
export const CENTER_TIME_ZONE = 'Asia/Shanghai';
/** China has kept UTC+8 without daylight saving since 1991. */
export const CENTER_UTC_OFFSET = '+08:00';

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: CENTER_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The center's local date (YYYY-MM-DD) of an instant. */
export function centerDate(instant: Date | number = Date.now()): string {
  return partsFormat.format(instant);
}

const dateTimeFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: CENTER_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The center's wall clock of an instant, `YYYY-MM-DD HH:mm:ss`. */
export function centerDateTime(instant: Date | number): string {
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The center's current year. */
export function centerYear(instant: Date | number = Date.now()): number {
  return Number(centerDate(instant).slice(0, 4));
}

/** Day of week of a local date (0 Sunday … 6 Saturday); local dates carry no zone, so UTC arithmetic is exact. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Minutes split for display: `{ hours, minutes }` of the absolute value. */
export function splitMinutes(total: number): { hours: number; minutes: number } {
  const abs = Math.abs(Math.trunc(total));
  return { hours: Math.floor(abs / 60), minutes: abs % 60 };
}
