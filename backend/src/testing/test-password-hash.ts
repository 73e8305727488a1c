/**
 * A small argon2id cost for the tests' password hashes (allowed with NODE_ENV=test only): the suites hash and check
 * hundreds of passwords, and at the production cost (64 MiB, 3 iterations) that was half of the backend suites' time.
 * The hashing code is the same; password-hasher.spec.ts checks the configured cost reaches the hashes.
 */
export const TEST_PASSWORD_HASH_ENV = { PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_ITERATIONS: '1', PASSWORD_HASH_PARALLELISM: '1' } as const;
