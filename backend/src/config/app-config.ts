import { z } from 'zod';

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
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  ACCESS_TOKEN_TTL: duration('15m'),
  REFRESH_TOKEN_TTL: duration('7d'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_DURATION: duration('15m'),
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
  ATTACHMENTS_DIR: z.string().min(1).default('./data/attachments'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  CONSOLE_DIR: z.string().optional(),
  SEED_DEMO_DATA: z.enum(['auto', 'never']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGIN: z.string().optional(),
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
    jwtSecret: string;
    jwtSecretIsDevelopmentDefault: boolean;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    loginMaxFailures: number;
    loginLockSeconds: number;
  };
  centerTimeZone: string;
  attachments: { directory: string; maxBytes: number };
  consoleDirectory: string | null;
  seedDemoData: boolean;
  logLevel: string;
  corsOrigin: string | null;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Only for development and tests: production must set JWT_SECRET (start-up refuses otherwise). */
const DEVELOPMENT_JWT_SECRET = 'jiesu-development-secret-change-me';

export class ConfigValidationError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (PORT=) counts as unset rather than as 0 or "".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigValidationError(`Invalid environment configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigValidationError('Invalid environment configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  const isSqlite = e.DATABASE_URL.startsWith('sqlite:');
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
      jwtSecret: e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      jwtSecretIsDevelopmentDefault: !e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockSeconds: e.LOGIN_LOCK_DURATION,
    },
    centerTimeZone: e.CENTER_TIMEZONE,
    attachments: { directory: e.ATTACHMENTS_DIR, maxBytes: e.ATTACHMENT_MAX_BYTES },
    consoleDirectory: e.CONSOLE_DIR ?? null,
    seedDemoData: e.SEED_DEMO_DATA === 'auto',
    logLevel: e.LOG_LEVEL,
    corsOrigin: e.CORS_ORIGIN ?? null,
  };
}
