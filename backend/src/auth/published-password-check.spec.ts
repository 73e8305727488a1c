import { loadConfig } from '../config/app-config';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { TEST_PASSWORD_HASH_ENV } from '../testing/test-password-hash';
import { PasswordHasher } from '../users/password-hasher';
import { findAccountsWithDemoPassword, publishedPasswordProblem } from './published-password-check';

describe('the production check for the published demo password', () => {
  const hasher = new PasswordHasher(loadConfig({ NODE_ENV: 'test', ...TEST_PASSWORD_HASH_ENV }));

  it('names the active accounts that still have the demo password', async () => {
    const demoHash = await hasher.hash(DEMO_PASSWORD);
    const ownHash = await hasher.hash('a-password-of-their-own');
    const users = {
      findActiveCredentials: async () => [
        { id: 1, username: 'admin', passwordHash: demoHash },
        { id: 2, username: 'agent1', passwordHash: ownHash },
        { id: 3, username: 'dispatcher1', passwordHash: demoHash },
        { id: 4, username: 'broken', passwordHash: 'not-a-hash' },
      ],
    };
    const sut = await findAccountsWithDemoPassword(users, hasher);
    expect(sut).toEqual(['admin', 'dispatcher1']);
    const problem = publishedPasswordProblem(sut);
    expect(problem).toMatch(/Refusing to start with NODE_ENV=production: 2 active account\(s\) still have the published demo password: admin, dispatcher1/);
    expect(problem).toContain('npm run set-password -- <username>');
  });

  it('lets production start when no account has it', async () => {
    const users = { findActiveCredentials: async () => [{ id: 1, username: 'admin', passwordHash: await hasher.hash('Another#Password1') }] };
    expect(publishedPasswordProblem(await findAccountsWithDemoPassword(users, hasher))).toBeNull();
  });

  it('shortens a long list of accounts', () => {
    const names = Array.from({ length: 67 }, (_, i) => `user${i}`);
    expect(publishedPasswordProblem(names)).toMatch(/user19 and 47 more/);
  });
});
