/** Settings of the warning and escalation scheduler (docs/configuration.md "Warnings and escalation"). */
export interface EscalationConfig {
  /** How often each instance ticks; 0 turns the timer off (tests call `tick(now)` themselves). */
  tickIntervalMs: number;
  /** Due orders read per query; a tick reads batch after batch until nothing due is left (or maxPerTick). */
  batchSize: number;
  /** Orders written in one transaction. */
  chunkSize: number;
  /** Chunk transactions run side by side on MySQL/MariaDB (SQLite: always one). */
  parallelChunks: number;
  /** At most this many orders per tick; the rest waits for the next tick (still in order of due time). */
  maxPerTick: number;
  /** Yellow when at most this share of a deadline's limit is left (0.25 = 25 %)… */
  yellowFraction: number;
  /** …or at most this many hours (working hours for working-time limits), whichever instant comes first. */
  yellowHours: number;
  /** The automatic supervision opens at the opening of the n-th working day after the order became overdue. */
  supervisionDelayWorkingDays: number;
  /** The automatic supervision's new reply deadline: this many working days after it opens. */
  supervisionReplyWorkingDays: number;
  /** Further escalation levels, in working days after the order became overdue (ascending). */
  escalationWorkingDays: number[];
}

export const ESCALATION_CONFIG = Symbol('ESCALATION_CONFIG');

export const DEFAULT_ESCALATION_CONFIG: EscalationConfig = {
  tickIntervalMs: 30_000,
  batchSize: 1000,
  chunkSize: 200,
  parallelChunks: 3,
  maxPerTick: 100_000,
  yellowFraction: 0.25,
  yellowHours: 2,
  supervisionDelayWorkingDays: 1,
  supervisionReplyWorkingDays: 2,
  escalationWorkingDays: [3, 5],
};

/** Reads and checks the ESCALATION_* variables once at start-up; a bad value stops the start with its name. */
export function loadEscalationConfig(env: NodeJS.ProcessEnv = process.env): EscalationConfig {
  const number = (name: string, fallback: number, check: (value: number) => boolean, expected: string): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || !check(value)) throw new Error(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const whole = (min: number) => (value: number) => Number.isInteger(value) && value >= min;
  const levelsRaw = env.ESCALATION_LEVEL_WORKING_DAYS;
  let escalationWorkingDays = DEFAULT_ESCALATION_CONFIG.escalationWorkingDays;
  if (levelsRaw !== undefined && levelsRaw.trim() !== '') {
    escalationWorkingDays = levelsRaw.split(',').map((part) => Number(part.trim()));
    const ascending = escalationWorkingDays.every((days, index) => Number.isInteger(days) && days >= 1 && (index === 0 || days > escalationWorkingDays[index - 1]));
    if (!ascending || escalationWorkingDays.length > 2) {
      throw new Error(`ESCALATION_LEVEL_WORKING_DAYS must be one or two ascending whole numbers ≥ 1, comma-separated (e.g. 3,5), got ${JSON.stringify(levelsRaw)}`);
    }
  }
  return {
    // Off by default under tests: a timer ticking with a test's moved clock would write steps into other suites' orders.
    tickIntervalMs: number('ESCALATION_TICK_SECONDS', env.NODE_ENV === 'test' ? 0 : DEFAULT_ESCALATION_CONFIG.tickIntervalMs / 1000, (v) => v >= 0, 'a number of seconds ≥ 0 (0: off)') * 1000,
    batchSize: number('ESCALATION_BATCH_SIZE', DEFAULT_ESCALATION_CONFIG.batchSize, whole(1), 'a whole number ≥ 1'),
    chunkSize: number('ESCALATION_CHUNK_SIZE', DEFAULT_ESCALATION_CONFIG.chunkSize, whole(1), 'a whole number ≥ 1'),
    parallelChunks: number('ESCALATION_PARALLEL_CHUNKS', DEFAULT_ESCALATION_CONFIG.parallelChunks, whole(1), 'a whole number ≥ 1'),
    maxPerTick: number('ESCALATION_MAX_PER_TICK', DEFAULT_ESCALATION_CONFIG.maxPerTick, whole(1), 'a whole number ≥ 1'),
    yellowFraction: number('DEADLINE_YELLOW_FRACTION', DEFAULT_ESCALATION_CONFIG.yellowFraction, (v) => v >= 0 && v < 1, 'a fraction from 0 to below 1'),
    yellowHours: number('DEADLINE_YELLOW_HOURS', DEFAULT_ESCALATION_CONFIG.yellowHours, (v) => v >= 0, 'a number of hours ≥ 0'),
    supervisionDelayWorkingDays: number('ESCALATION_SUPERVISION_DELAY_WORKING_DAYS', DEFAULT_ESCALATION_CONFIG.supervisionDelayWorkingDays, whole(1), 'a whole number ≥ 1'),
    supervisionReplyWorkingDays: number('ESCALATION_SUPERVISION_REPLY_WORKING_DAYS', DEFAULT_ESCALATION_CONFIG.supervisionReplyWorkingDays, whole(1), 'a whole number ≥ 1'),
    escalationWorkingDays,
  };
}
