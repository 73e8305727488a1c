import { loadConfig } from '../config/app-config';
import { TEST_PASSWORD_HASH_ENV } from '../testing/test-password-hash';
import { PasswordHasher } from './password-hasher';

const hasherAt = (env: Readonly<Record<string, string>>) => new PasswordHasher(loadConfig({ NODE_ENV: 'test', ...env }));

describe('PasswordHasher', () => {
  it('hashes with argon2id at the production cost by default (64 MiB, 3 iterations, 4 lanes)', async () => {
    const hash = await hasherAt({}).hash('Correct-Horse-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
  });

  it('hashes at the configured cost (PASSWORD_HASH_*)', async () => {
    const hash = await hasherAt({ PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_ITERATIONS: '2', PASSWORD_HASH_PARALLELISM: '1' }).hash('Correct-Horse-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('checks a hash at the cost it was made with, whatever the cost configured now', async () => {
    const madeEarlier = await hasherAt(TEST_PASSWORD_HASH_ENV).hash('Correct-Horse-2026');
    const sut = hasherAt({ PASSWORD_HASH_MEMORY_KIB: '2048', PASSWORD_HASH_ITERATIONS: '2', PASSWORD_HASH_PARALLELISM: '2' });
    expect(await sut.verify(madeEarlier, 'Correct-Horse-2026')).toBe(true);
    expect(await sut.verify(madeEarlier, 'correct-horse-2026')).toBe(false);
  });

  it('answers false, never throws, for a stored value that is no argon2 hash', async () => {
    expect(await hasherAt({}).verify('not-a-hash', 'Correct-Horse-2026')).toBe(false);
  });
});
