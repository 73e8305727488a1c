import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import type { PasswordHasher } from '../users/password-hasher';
import type { UserAccountsService } from '../users/user-accounts.service';

/** The usernames whose password hash matches `password` (checked in parallel; argon2 runs on the thread pool). */
export async function accountsWithPassword(
  accounts: readonly { username: string; passwordHash: string }[],
  password: string,
  hasher: Pick<PasswordHasher, 'verify'>,
): Promise<string[]> {
  const matches = await Promise.all(accounts.map((account) => hasher.verify(account.passwordHash, password)));
  return accounts.filter((_, index) => matches[index]).map((account) => account.username);
}

/** Why production must not start with these accounts, or null when there are none. */
export function publishedPasswordProblem(usernames: readonly string[]): string | null {
  if (usernames.length === 0) return null;
  const listed = usernames.length > 20 ? `${usernames.slice(0, 20).join(', ')} and ${usernames.length - 20} more` : usernames.join(', ');
  return (
    `Refusing to start with NODE_ENV=production: ${usernames.length} active account(s) still have the published demo password: ${listed}. ` +
    'Give each a new password with `npm run set-password -- <username>` (or deactivate it), then start again.'
  );
}

/** The production start check: active accounts that still log in with the demo password printed in the README. */
export async function findAccountsWithDemoPassword(users: Pick<UserAccountsService, 'findActiveCredentials'>, hasher: Pick<PasswordHasher, 'verify'>): Promise<string[]> {
  return accountsWithPassword(await users.findActiveCredentials(), DEMO_PASSWORD, hasher);
}
