import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from './app-config';

/** Bytes of randomness in a generated secret (HS256 wants at least 32). */
export const GENERATED_SECRET_BYTES = 48;
/** A secret file shorter than this (in characters) is refused: it was not written by us or was truncated. */
export const MIN_SECRET_FILE_LENGTH = 32;

/** A secret file that cannot be created, read or trusted (JWT secret, CTI token). */
export class SecretFileError extends Error {}
/** The name main.ts and the tests know it by. */
export { SecretFileError as JwtSecretFileError };

/** What a generated secret file is, for its messages and checks. */
export interface SecretFileKind {
  /** e.g. "JWT secret file". */
  label: string;
  /** A file holding fewer characters is refused. */
  minLength: number;
  /** The variable that replaces the file. */
  variable: string;
  /** What deleting the file costs, e.g. " (this logs everybody out)". */
  deleteCost: string;
}

const JWT_SECRET_FILE: SecretFileKind = { label: 'JWT secret file', minLength: MIN_SECRET_FILE_LENGTH, variable: 'JWT_SECRET', deleteCost: ' (this logs everybody out)' };

export function jwtSecretPath(dataDirectory: string): string {
  return join(resolve(dataDirectory), 'jwt-secret');
}

/**
 * The key that signs and verifies tokens: JWT_SECRET when set; otherwise a random secret generated into
 * `<DATA_DIR>/jwt-secret` (mode 0600) on first start and read back on later starts. No secret ever comes from
 * the source code, so a token cannot be forged with a published key.
 */
export function resolveJwtSecret(config: Pick<AppConfig, 'auth' | 'dataDirectory'>): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  return resolveSecretFile(jwtSecretPath(config.dataDirectory), JWT_SECRET_FILE).secret;
}

/**
 * A random secret kept in `path` (mode 0600): generated on the first call, read back (and checked: private, long
 * enough) on later ones. Also used by `npm start` (scripts/start.mjs) for the CTI token it shares with the SIP bridge.
 */
export function resolveSecretFile(path: string, kind: SecretFileKind): { secret: string; created: boolean } {
  mkdirSync(dirname(path), { recursive: true });
  const created = createSecretFile(path, kind);
  return created === null ? { secret: readSecretFile(path, kind), created: false } : { secret: created, created: true };
}

/** Writes a new secret unless the file exists ('wx': two processes starting at once cannot both write). */
function createSecretFile(path: string, kind: SecretFileKind): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw new SecretFileError(`Cannot create the ${kind.label} ${path}: ${(error as Error).message}`);
  }
  try {
    const secret = randomBytes(GENERATED_SECRET_BYTES).toString('base64url');
    writeSync(fd, `${secret}\n`);
    // The umask cannot loosen what openSync asked for, but an existing ACL could: check what we got.
    assertPrivate(path, fstatSync(fd).mode, kind);
    return secret;
  } finally {
    closeSync(fd);
  }
}

function readSecretFile(path: string, kind: SecretFileKind): string {
  assertPrivate(path, statSync(path).mode, kind);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < kind.minLength) {
    throw new SecretFileError(
      `The ${kind.label} ${path} holds ${secret.length} characters; at least ${kind.minLength} are needed. Delete it to generate a new one${kind.deleteCost} or set ${kind.variable}.`,
    );
  }
  return secret;
}

function assertPrivate(path: string, mode: number, kind: SecretFileKind): void {
  if (process.platform === 'win32') return;
  if ((mode & 0o077) !== 0) {
    throw new SecretFileError(
      `The ${kind.label} ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
}
