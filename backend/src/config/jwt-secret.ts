import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';

/** Bytes of randomness in a generated secret (HS256 wants at least 32). */
export const GENERATED_SECRET_BYTES = 48;
/** A secret file shorter than this (in characters) is refused: it was not written by us or was truncated. */
export const MIN_SECRET_FILE_LENGTH = 32;

export class JwtSecretFileError extends Error {}

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
  const path = jwtSecretPath(config.dataDirectory);
  mkdirSync(resolve(config.dataDirectory), { recursive: true });
  const created = createSecretFile(path);
  return created ?? readSecretFile(path);
}

/** Writes a new secret unless the file exists ('wx': two processes starting at once cannot both write). */
function createSecretFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw new JwtSecretFileError(`Cannot create the JWT secret file ${path}: ${(error as Error).message}`);
  }
  try {
    const secret = randomBytes(GENERATED_SECRET_BYTES).toString('base64url');
    writeSync(fd, `${secret}\n`);
    // The umask cannot loosen what openSync asked for, but an existing ACL could: check what we got.
    assertPrivate(path, fstatSync(fd).mode);
    return secret;
  } finally {
    closeSync(fd);
  }
}

function readSecretFile(path: string): string {
  assertPrivate(path, statSync(path).mode);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < MIN_SECRET_FILE_LENGTH) {
    throw new JwtSecretFileError(
      `The JWT secret file ${path} holds ${secret.length} characters; at least ${MIN_SECRET_FILE_LENGTH} are needed. Delete it to generate a new one (this logs everybody out) or set JWT_SECRET.`,
    );
  }
  return secret;
}

function assertPrivate(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  if ((mode & 0o077) !== 0) {
    throw new JwtSecretFileError(
      `The JWT secret file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
}
