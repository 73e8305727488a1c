import Redis from 'ioredis';

/** The Redis the Redis-backed suites use (default the local one); each suite keys its data under a prefix of its own. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis suites run: true when TEST_REDIS_URL answers PING. Otherwise they are skipped with a loud notice
 * naming `what` on a developer's machine; under CI=true a Redis that does not answer fails the run instead.
 */
export async function checkRedisForTests(what: string): Promise<boolean> {
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  let answers = false;
  try {
    await probe.connect();
    answers = (await probe.ping()) === 'PONG';
  } catch {
    answers = false;
  } finally {
    probe.disconnect();
  }
  if (answers) return true;
  if (process.env.CI === 'true') throw new Error(`Redis at ${TEST_REDIS_URL} does not answer, and CI=true needs it`);
  const line = '!'.repeat(100);
  process.stderr.write(`\n${line}\n!! Redis at ${TEST_REDIS_URL} does not answer: ${what} are SKIPPED\n${line}\n\n`);
  return false;
}
