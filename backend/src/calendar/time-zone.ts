/**
 * Converts instants to the calendar's local wall-clock time and back, through Intl (no hard-coded +08:00, so
 * a configured zone with daylight saving works too). "Local ms" is the wall-clock time written as if it were UTC:
 * Math.floor(localMs / DAY_MS) is the local day number and the remainder the time of day.
 */
const OFFSET_SLICE_MS = 15 * 60_000;
const UTC_DAY_MS = 86_400_000;
const MAX_CACHED = 10_000;

export class TimeZone {
  private readonly parts: Intl.DateTimeFormat;
  /**
   * Intl costs tens of µs a call, so offsets are cached: by UTC day when the offset is the same at both ends of it
   * (every day of Asia/Shanghai), else by 15-minute slice — offsets are whole quarter hours and change at local
   * whole or half hours, hence at a quarter hour of UTC, in every year this platform handles.
   */
  private readonly dayOffsets = new Map<number, number | null>();
  private readonly sliceOffsets = new Map<number, number>();

  constructor(readonly name: string) {
    try {
      this.parts = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone ${JSON.stringify(name)}: use an IANA name such as Asia/Shanghai`);
    }
  }

  /** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
  offsetMsAt(utcMs: number): number {
    const day = Math.floor(utcMs / UTC_DAY_MS);
    let dayOffset = this.dayOffsets.get(day);
    if (dayOffset === undefined) {
      const atStart = this.intlOffsetMsAt(day * UTC_DAY_MS);
      dayOffset = atStart === this.intlOffsetMsAt((day + 1) * UTC_DAY_MS - 1000) ? atStart : null;
      remember(this.dayOffsets, day, dayOffset);
    }
    if (dayOffset !== null) return dayOffset;
    const slice = Math.floor(utcMs / OFFSET_SLICE_MS);
    let offset = this.sliceOffsets.get(slice);
    if (offset === undefined) {
      offset = this.intlOffsetMsAt(slice * OFFSET_SLICE_MS);
      remember(this.sliceOffsets, slice, offset);
    }
    return offset;
  }

  private intlOffsetMsAt(utcMs: number): number {
    const wholeSecond = utcMs - (((utcMs % 1000) + 1000) % 1000);
    const field: Record<string, number> = {};
    for (const part of this.parts.formatToParts(new Date(wholeSecond))) {
      if (part.type !== 'literal') field[part.type] = Number(part.value);
    }
    const wallClock = Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
    return wallClock - wholeSecond;
  }

  toLocalMs(utcMs: number): number {
    return utcMs + this.offsetMsAt(utcMs);
  }

  /**
   * The instant of a local wall-clock time. A time skipped by a daylight-saving jump maps to the same distance after
   * the jump (02:30 → 03:30); a repeated time maps to its first occurrence. Neither happens in Asia/Shanghai.
   */
  toUtcMs(localMs: number): number {
    const guess = this.offsetMsAt(localMs - this.offsetMsAt(localMs));
    const utcMs = localMs - guess;
    const actual = this.offsetMsAt(utcMs);
    return actual === guess ? utcMs : localMs - actual;
  }
}

function remember<V>(cache: Map<number, V>, key: number, value: V): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
}
