import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtSecretFileError, jwtSecretPath, resolveJwtSecret } from './jwt-secret';

describe('resolveJwtSecret', () => {
  let dataDirectory: string;
  const config = (jwtSecret: string | null = null) => ({ auth: { jwtSecret } as never, dataDirectory });

  beforeEach(() => {
    dataDirectory = join(mkdtempSync(join(tmpdir(), 'jiesu-secret-')), 'data');
  });

  afterEach(() => {
    rmSync(join(dataDirectory, '..'), { recursive: true, force: true });
  });

  it('uses JWT_SECRET when set and writes no file', () => {
    expect(resolveJwtSecret(config('a-long-enough-secret'))).toBe('a-long-enough-secret');
    expect(() => statSync(jwtSecretPath(dataDirectory))).toThrow();
  });

  it('generates a random secret of at least 32 bytes into <DATA_DIR>/jwt-secret with mode 0600, and reuses it', () => {
    const sut = resolveJwtSecret(config());
    expect(Buffer.from(sut, 'base64url').length).toBeGreaterThanOrEqual(32);
    const path = jwtSecretPath(dataDirectory);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(sut);
    expect(resolveJwtSecret(config())).toBe(sut);
  });

  it('generates a different secret for another data directory (never one from the source)', () => {
    const first = resolveJwtSecret(config());
    const other = mkdtempSync(join(tmpdir(), 'jiesu-secret-'));
    try {
      expect(resolveJwtSecret({ auth: { jwtSecret: null } as never, dataDirectory: other })).not.toBe(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a secret file that others can read, saying how to fix it', () => {
    resolveJwtSecret(config());
    chmodSync(jwtSecretPath(dataDirectory), 0o644);
    expect(() => resolveJwtSecret(config())).toThrow(JwtSecretFileError);
    expect(() => resolveJwtSecret(config())).toThrow(/readable by other users \(mode 644\); run: chmod 600/);
  });

  it('refuses a secret file that is too short', () => {
    resolveJwtSecret(config());
    writeFileSync(jwtSecretPath(dataDirectory), 'short\n', { mode: 0o600 });
    expect(() => resolveJwtSecret(config())).toThrow(/holds 5 characters; at least 32 are needed/);
  });
});
