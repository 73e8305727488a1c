import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_OFFICE_HOURS, describeOfficeHours, parseOfficeHours } from '../common/office-hours';
import { REQUEST_TYPES, type RequestType } from '../work-orders/work-order.enums';

/**
 * The environment, validated once at boot. A bad variable stops start-up with a message naming it.
 * Settings operators change at run time belong in the database, not here.
 */
const durationPattern = /^(\d+)(s|m|h|d)$/;

function parseDurationSeconds(value: string): number {
  const match = durationPattern.exec(value);
  if (!match) throw new Error('expected a duration such as 900s, 15m, 12h or 7d');
  const factor = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}

/** A shirking rule's threshold: how many times something must have happened to the order (0 = the rule is off). */
const shirkingCount = (fallback: number) =>
  z.coerce.number({ message: 'must be a whole number (0 turns the rule off)' }).int('must be a whole number (0 turns the rule off)').min(0).max(100).default(fallback);

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => durationPattern.test(v), 'expected a duration such as 900s, 15m, 12h or 7d')
    .transform(parseDurationSeconds);

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/jiesu.sqlite')
    .refine((v) => /^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(v), 'must start with sqlite: or mysql:// (mariadb:// is accepted too)'),
  DATABASE_LOG_QUERIES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Unset: a random secret is generated into <DATA_DIR>/jwt-secret on first start (see jwt-secret.ts). */
  JWT_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    // The development secret this project once published: tokens signed with it can be forged by anyone.
    .refine((v) => v !== 'jiesu-development-secret-change-me', 'is the secret published in an earlier version of jiesu: choose your own')
    .optional(),
  ACCESS_TOKEN_TTL: duration('15m'),
  REFRESH_TOKEN_TTL: duration('7d'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_DURATION: duration('15m'),
  /**
   * argon2id's cost for new password hashes (a hash keeps the cost it was made with; a password set again gets the new
   * one). The floors outside NODE_ENV=test are OWASP's smallest argon2id setting (19 MiB, 2 iterations); the tests hash
   * and check hundreds of passwords and set a small cost (checked in loadConfig).
   */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number({ message: 'must be a number of KiB' }).int('must be a whole number of KiB').min(8).max(4 * 1024 * 1024, 'must be at most 4194304 KiB (4 GiB)').default(64 * 1024),
  PASSWORD_HASH_ITERATIONS: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(1).max(100).default(3),
  PASSWORD_HASH_PARALLELISM: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(1).max(16).default(4),
  CENTER_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai'),
  /** The center's office hours on working days, "HH:MM-HH:MM" periods separated by commas (docs/calendar.md). */
  OFFICE_HOURS: z
    .string()
    .default(DEFAULT_OFFICE_HOURS.join(','))
    .superRefine((value, context) => {
      try {
        parseOfficeHours(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  ATTACHMENTS_DIR: z.string().min(1).default('./data/attachments'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  /** Per user: bytes of uploads not (yet) bound to an order, and bytes uploaded in any 24 hours. */
  ATTACHMENT_QUOTA_UNBOUND_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  ATTACHMENT_QUOTA_DAILY_BYTES: z.coerce.number().int().min(1).default(200 * 1024 * 1024),
  CONSOLE_DIR: z.string().optional(),
  SEED_DEMO_DATA: z.enum(['auto', 'never']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGIN: z.string().optional(),
  /** Where the platform keeps its own files (the generated JWT secret, by default the SQLite file and attachments). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Redis for what several instances must share (rate limits, later socket.io and locks); memory when unset. */
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://')
    .optional(),
  /**
   * Worker processes of `npm start` (node:cluster, sharing the port): a number from 1 to 64, or `auto` (the default):
   * 1 on SQLite, one per CPU on MariaDB/MySQL. See docs/deployment.md "Several processes and nodes".
   */
  WORKERS: z
    .string()
    .default('auto')
    .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 64), 'must be a whole number from 1 to 64, or auto'),
  /** Put before every Redis key, so that several installations (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('jiesu:'),
  /** The OpenAPI document and its UI at /api/docs; a production center may turn them off. */
  API_DOCS: z.enum(['on', 'off']).default('on'),
  /** Rate limits (429 with Retry-After): requests per RATE_LIMIT_WINDOW. */
  RATE_LIMIT_WINDOW: duration('1m'),
  RATE_LIMIT_LOGIN_PER_USERNAME: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_API_PER_USER: z.coerce.number().int().min(1).default(1200),
  /** 回访: after this many unanswered callback attempts, each at least CALLBACK_ATTEMPT_GAP after the one before, the order closes as unreachable. */
  CALLBACK_UNREACHABLE_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  CALLBACK_ATTEMPT_GAP: duration('2h'),
  /** Request types whose orders close when their reply is approved, without a callback (comma-separated). */
  CALLBACK_NOT_REQUIRED_TYPES: z
    .string()
    .default('praise')
    .refine(
      (v) => v.split(',').every((t) => t.trim() === '' || (REQUEST_TYPES as readonly string[]).includes(t.trim())),
      `must be request types separated by commas (${REQUEST_TYPES.join(', ')})`,
    ),
  /** A callback where the citizen says the matter is resolved but is dissatisfied: `reopen` sends it back to the unit, `close` closes it. */
  CALLBACK_DISSATISFIED: z.enum(['reopen', 'close']).default('reopen'),
  /** Statement time limits of list and report queries in milliseconds, 0 = none (database/statement-timeout.ts; MariaDB/MySQL only). */
  LIST_QUERY_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must be 0 (off) or more').default(5000),
  REPORT_QUERY_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must be 0 (off) or more').default(30000),
  /** 重复件 / 多人反映: how far back the repeat detector looks for the same caller's matter and for other callers' (days), and the orders that make a hotspot. */
  /** on: every registration is screened for repeats and hotspots (candidates, automatic repeat marks, hotspots); off: none of it (the manual actions stay). */
  REPEAT_DETECTION: z.enum(['on', 'off']).default('on'),
  REPEAT_WINDOW_DAYS: z.coerce.number({ message: 'must be a whole number of days' }).int('must be a whole number of days').min(1).max(3650).default(90),
  HOTSPOT_WINDOW_DAYS: z.coerce.number({ message: 'must be a whole number of days' }).int('must be a whole number of days').min(1).max(3650).default(30),
  HOTSPOT_MIN_ORDERS: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(2).max(1000).default(3),
  /** 推诿扯皮: the shirking rules' thresholds (docs/shirking.md); a count of 0 turns its rule off. */
  SHIRKING_RETURNS: shirkingCount(2),
  SHIRKING_BOUNCES: shirkingCount(1),
  SHIRKING_LATE_ACCEPTANCE: z.enum(['after-warning', 'late', 'off']).default('after-warning'),
  SHIRKING_REPLY_REJECTIONS: shirkingCount(1),
  SHIRKING_CALLBACK_FAILURES: shirkingCount(1),
  SHIRKING_REOPENS: shirkingCount(1),
  SHIRKING_REPEAT_AFTER_RESOLVED: z.enum(['on', 'off']).default('on'),
  /** 考核 (reports/assessment): the 三率 weights response,resolution,satisfaction (any positive numbers; shares of their sum), and what a 基本满意 counts as. */
  ASSESSMENT_WEIGHTS: z
    .string()
    .default('30,35,35')
    .refine((v) => {
      const parts = v.split(',').map((p) => Number(p.trim()));
      return parts.length === 3 && parts.every((p) => Number.isFinite(p) && p >= 0) && parts.some((p) => p > 0);
    }, 'must be three non-negative numbers separated by commas (response,resolution,satisfaction), e.g. 30,35,35'),
  ASSESSMENT_BASICALLY_SATISFIED_WEIGHT: z.coerce.number({ message: 'must be a number from 0 to 1' }).min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1').default(0.8),
  /** Where generated report files (the monthly bulletins' PDFs) are kept: shared storage when several nodes run. */
  REPORTS_DIR: z.string().min(1).default('./data/reports'),
  /** 月通报: on = generated on the first working day of each month for the month before, at BULLETIN_HOUR (center time). */
  BULLETIN_SCHEDULE: z.enum(['on', 'off']).default('on'),
  /** The CJK font file the bulletin PDF is set in (default: Noto Sans CJK SC from Debian's fonts-noto-cjk, found in the usual places). */
  BULLETIN_FONT: z.string().min(1).optional(),
  BULLETIN_HOUR: z.coerce.number({ message: 'must be an hour 0–23' }).int('must be an hour 0–23').min(0, 'must be an hour 0–23').max(23, 'must be an hour 0–23').default(6),
  /** How often the statistics job folds the timeline's changes into the daily statistics (seconds). */
  STATISTICS_INTERVAL: duration('1m'),
  /** Days the audit trail is kept; 等保 2.0 asks for at least six months, so less than 180 is refused. */
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(180, 'must be at least 180 days: 等保 2.0 asks to keep audit records for at least six months')
    .max(36500, 'must be at most 36500 days')
    .default(180),
  /** 话务 (cti/, docs/cti.md): the shared secret the SIP bridge or the PBX sends; unset = the CTI API answers 503. */
  CTI_TOKEN: z.string().min(16, 'must be at least 16 characters (a random secret shared with the SIP bridge or the PBX)').optional(),
  /** The SIP digest realm of the agents' phones (HA1 = MD5(extension:realm:password)); changing it needs every phone's password set again. */
  CTI_REALM: z.string().min(1).max(64).regex(/^[A-Za-z0-9.-]+$/, 'must be letters, digits, dots and dashes').default('jiesu'),
  /** Where call recordings (WAV) are kept: shared storage when several nodes run. */
  RECORDINGS_DIR: z.string().min(1).default('./data/recordings'),
  /** How long the ACD lets an agent's phone ring before the next ready agent is tried (the bridge applies it). */
  CTI_RING_TIMEOUT: duration('15s'),
  /**
   * How long an agent may be without a console socket (a page reload, a network blip) before the ACD sets them offline;
   * never while a call rings at them or lasts (then when it ends).
   */
  CTI_AGENT_GRACE: duration('30s'),
  /** The largest recording upload (bytes): 256 MiB is over 4 hours of 8 kHz 16-bit stereo. */
  CTI_RECORDING_MAX_BYTES: z.coerce.number({ message: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1024).default(256 * 1024 * 1024),
});

export type DatabaseEngine = 'sqlite' | 'mysql';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: {
    engine: DatabaseEngine;
    url: string;
    sqlitePath: string | null;
    logQueries: boolean;
    /** MariaDB or MySQL proper; found by asking the server (detectMysqlFlavour), as TypeORM reads their catalogs differently. */
    mysqlFlavour?: 'mysql' | 'mariadb';
  };
  auth: {
    /** JWT_SECRET; null: the generated secret in the data directory is used (resolveJwtSecret). */
    jwtSecret: string | null;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    loginMaxFailures: number;
    loginLockSeconds: number;
    /** argon2id's cost for new password hashes (PasswordHasher). */
    passwordHash: PasswordHashCost;
  };
  centerTimeZone: string;
  /** OFFICE_HOURS, validated and normalised: ['08:30-12:00', '13:30-17:30']. */
  officeHours: string[];
  attachments: { directory: string; maxBytes: number; unboundQuotaBytes: number; dailyQuotaBytes: number };
  consoleDirectory: string | null;
  seedDemoData: boolean;
  logLevel: string;
  corsOrigin: string | null;
  dataDirectory: string;
  /** How many worker processes `npm start` runs (WORKERS resolved: `auto` → 1 on SQLite, the CPUs on MySQL). */
  workers: number;
  redisUrl: string | null;
  redisKeyPrefix: string;
  apiDocs: boolean;
  rateLimits: {
    windowSeconds: number;
    loginPerUsername: number;
    loginPerIp: number;
    /** Per authenticated user, per IP address for unauthenticated requests. */
    apiPerUser: number;
  };
  /** Callback (回访) rules: see docs/lifecycle.md. */
  callback: {
    unreachableAttempts: number;
    attemptGapSeconds: number;
    notRequiredTypes: RequestType[];
    dissatisfied: 'reopen' | 'close';
  };
  /** The audit trail: rows older than retentionDays are purged daily (audit/audit-retention.service.ts). */
  audit: { retentionDays: number };
  /** Statement time limits (ms, 0 = none) for list and report queries; a query stopped at its limit answers 503. SQLite has none. */
  queryTimeouts: { listMs: number; reportMs: number };
  /** The repeat detector (repeat-detection/): look-back windows in days and the orders of one matter that make a hotspot. */
  repeatDetection: { enabled: boolean; repeatWindowDays: number; hotspotWindowDays: number; hotspotMinOrders: number };
  /** Reports (reports/): the assessment's weights, the bulletin schedule, where files go, the statistics job's interval. */
  reports: {
    weights: { response: number; resolution: number; satisfaction: number };
    basicallySatisfiedWeight: number;
    directory: string;
    bulletinSchedule: boolean;
    bulletinHour: number;
    /** null: look for Noto Sans CJK SC in the usual places. */
    bulletinFont: string | null;
    statisticsIntervalSeconds: number;
  };
  /** 推诿扯皮: the shirking rules' thresholds (shirking/, docs/shirking.md); 0 turns a counting rule off. */
  shirking: {
    returns: number;
    bounces: number;
    lateAcceptance: 'after-warning' | 'late' | 'off';
    replyRejections: number;
    callbackFailures: number;
    reopens: number;
    repeatAfterResolved: boolean;
  };
  /** 话务 (cti/, docs/cti.md): the CTI token (null: the CTI API answers 503), the SIP realm, recordings, the ACD's ring time. */
  cti: { token: string | null; realm: string; recordingsDirectory: string; ringTimeoutSeconds: number; recordingMaxBytes: number; agentGraceSeconds: number };
}

/** argon2id's cost: memory in KiB, iterations (time cost) and lanes. */
export interface PasswordHashCost {
  memoryKib: number;
  iterations: number;
  parallelism: number;
}

/** OWASP's smallest argon2id setting (Password Storage Cheat Sheet: 19 MiB, 2 iterations, 1 lane). */
const PASSWORD_HASH_FLOOR = { memoryKib: 19 * 1024, iterations: 2 } as const;

/** What is wrong with a password hash cost, or nothing; the floors do not apply to NODE_ENV=test. */
function passwordHashCostProblems(cost: PasswordHashCost, nodeEnv: AppConfig['nodeEnv']): string[] {
  const problems: string[] = [];
  // argon2 itself needs 8 KiB per lane.
  if (cost.memoryKib < 8 * cost.parallelism) problems.push(`PASSWORD_HASH_MEMORY_KIB: must be at least 8 KiB per lane (${8 * cost.parallelism} KiB for PASSWORD_HASH_PARALLELISM=${cost.parallelism})`);
  if (nodeEnv === 'test') return problems;
  if (cost.memoryKib < PASSWORD_HASH_FLOOR.memoryKib) {
    problems.push(`PASSWORD_HASH_MEMORY_KIB: must be at least ${PASSWORD_HASH_FLOOR.memoryKib} KiB (19 MiB, OWASP's smallest setting for argon2id); less is allowed only with NODE_ENV=test`);
  }
  if (cost.iterations < PASSWORD_HASH_FLOOR.iterations) {
    problems.push(`PASSWORD_HASH_ITERATIONS: must be at least ${PASSWORD_HASH_FLOOR.iterations} (OWASP's smallest setting for argon2id); less is allowed only with NODE_ENV=test`);
  }
  return problems;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigValidationError extends Error {}

/** The error that stops start-up, naming every problem on a line of its own. */
function invalidConfiguration(problems: readonly string[]): ConfigValidationError {
  return new ConfigValidationError(`Invalid environment configuration:\n  ${problems.join('\n  ')}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (PORT=) counts as unset rather than as 0 or "".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw invalidConfiguration(problems);
  }
  const e = parsed.data;
  const passwordHash: PasswordHashCost = { memoryKib: e.PASSWORD_HASH_MEMORY_KIB, iterations: e.PASSWORD_HASH_ITERATIONS, parallelism: e.PASSWORD_HASH_PARALLELISM };
  const hashProblems = passwordHashCostProblems(passwordHash, e.NODE_ENV);
  if (hashProblems.length > 0) throw invalidConfiguration(hashProblems);
  const isSqlite = e.DATABASE_URL.startsWith('sqlite:');
  const workers = e.WORKERS === 'auto' ? (isSqlite ? 1 : Math.min(64, availableParallelism())) : Number(e.WORKERS);
  if (isSqlite && workers > 1) {
    // One process serialises the writes in its own queue; several would fight over SQLite's single write lock.
    throw invalidConfiguration([
      `WORKERS: ${workers} worker processes cannot share a SQLite database: SQLite has one writer at a time, and each process would wait up to 10 s for the others' write lock. Use WORKERS=1 (the default on SQLite), or MariaDB/MySQL (DATABASE_URL=mysql://…) for a center that needs several processes.`,
    ]);
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: {
      engine: isSqlite ? 'sqlite' : 'mysql',
      url: e.DATABASE_URL.replace(/^mariadb:/, 'mysql:'),
      sqlitePath: isSqlite ? e.DATABASE_URL.slice('sqlite:'.length) || ':memory:' : null,
      logQueries: e.DATABASE_LOG_QUERIES,
    },
    auth: {
      jwtSecret: e.JWT_SECRET ?? null,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockSeconds: e.LOGIN_LOCK_DURATION,
      passwordHash,
    },
    centerTimeZone: e.CENTER_TIMEZONE,
    officeHours: describeOfficeHours(parseOfficeHours(e.OFFICE_HOURS)),
    attachments: {
      directory: e.ATTACHMENTS_DIR,
      maxBytes: e.ATTACHMENT_MAX_BYTES,
      unboundQuotaBytes: e.ATTACHMENT_QUOTA_UNBOUND_BYTES,
      dailyQuotaBytes: e.ATTACHMENT_QUOTA_DAILY_BYTES,
    },
    consoleDirectory: e.CONSOLE_DIR ?? null,
    // A production installation never gets the demo accounts and their published password.
    seedDemoData: e.SEED_DEMO_DATA === 'auto' && e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    corsOrigin: e.CORS_ORIGIN ?? null,
    dataDirectory: e.DATA_DIR,
    workers,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    apiDocs: e.API_DOCS === 'on',
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW,
      loginPerUsername: e.RATE_LIMIT_LOGIN_PER_USERNAME,
      loginPerIp: e.RATE_LIMIT_LOGIN_PER_IP,
      apiPerUser: e.RATE_LIMIT_API_PER_USER,
    },
    callback: {
      unreachableAttempts: e.CALLBACK_UNREACHABLE_ATTEMPTS,
      attemptGapSeconds: e.CALLBACK_ATTEMPT_GAP,
      notRequiredTypes: [...new Set(e.CALLBACK_NOT_REQUIRED_TYPES.split(',').map((t) => t.trim()).filter((t) => t !== ''))] as RequestType[],
      dissatisfied: e.CALLBACK_DISSATISFIED,
    },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    queryTimeouts: { listMs: e.LIST_QUERY_TIMEOUT_MS, reportMs: e.REPORT_QUERY_TIMEOUT_MS },
    repeatDetection: { enabled: e.REPEAT_DETECTION === 'on', repeatWindowDays: e.REPEAT_WINDOW_DAYS, hotspotWindowDays: e.HOTSPOT_WINDOW_DAYS, hotspotMinOrders: e.HOTSPOT_MIN_ORDERS },
    reports: {
      weights: assessmentWeights(e.ASSESSMENT_WEIGHTS),
      basicallySatisfiedWeight: e.ASSESSMENT_BASICALLY_SATISFIED_WEIGHT,
      directory: e.REPORTS_DIR,
      bulletinSchedule: e.BULLETIN_SCHEDULE === 'on',
      bulletinHour: e.BULLETIN_HOUR,
      bulletinFont: e.BULLETIN_FONT ?? null,
      statisticsIntervalSeconds: e.STATISTICS_INTERVAL,
    },
    shirking: {
      returns: e.SHIRKING_RETURNS,
      bounces: e.SHIRKING_BOUNCES,
      lateAcceptance: e.SHIRKING_LATE_ACCEPTANCE,
      replyRejections: e.SHIRKING_REPLY_REJECTIONS,
      callbackFailures: e.SHIRKING_CALLBACK_FAILURES,
      reopens: e.SHIRKING_REOPENS,
      repeatAfterResolved: e.SHIRKING_REPEAT_AFTER_RESOLVED === 'on',
    },
    cti: {
      token: e.CTI_TOKEN ?? null,
      realm: e.CTI_REALM,
      recordingsDirectory: e.RECORDINGS_DIR,
      ringTimeoutSeconds: e.CTI_RING_TIMEOUT,
      recordingMaxBytes: e.CTI_RECORDING_MAX_BYTES,
      agentGraceSeconds: e.CTI_AGENT_GRACE,
    },
  };
}

function assessmentWeights(value: string): AppConfig['reports']['weights'] {
  const [response, resolution, satisfaction] = value.split(',').map((part) => Number(part.trim()));
  return { response, resolution, satisfaction };
}
