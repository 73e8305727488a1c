/**
 * npm run set-password -- <username>: sets a user's password, unlocks the account and ends every session of
 * the user (tokens stop working at once; open sockets are closed within 30 seconds).
 * The new password comes from the NEW_PASSWORD environment variable or, when unset, from standard input
 * (one line), so it does not end up in the shell history. The change is written to the audit trail as
 * `auth.password-change` (never the password), with the operating-system user who ran the command.
 */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { DataSource, IsNull } from 'typeorm';
import { AuditEvent } from '../../audit/audit-event.entity';
import { auditRow } from '../../audit/audit.service';
import { normaliseUsername } from '../../auth/normalise-username';
import { LoginFailure } from '../../auth/entities/login-failure.entity';
import { RefreshToken } from '../../auth/entities/refresh-token.entity';
import { loadConfig } from '../../config/app-config';
import { PasswordHasher } from '../../users/password-hasher';
import { passwordProblem } from '../../users/password-policy';
import { User } from '../../users/user.entity';
import { buildDataSourceOptions, detectMysqlFlavour } from '../data-source-options';

async function readPassword(): Promise<string> {
  if (process.env.NEW_PASSWORD) return process.env.NEW_PASSWORD;
  process.stderr.write('New password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Who ran the command, for the audit trail. */
function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/**
 * Sets the password of `username` in one transaction: new hash (at the configured cost), new token version (every access token goes stale),
 * refresh tokens revoked, failed logins forgotten, and the audit row. Throws when there is no such user.
 */
export async function setPassword(dataSource: DataSource, hasher: PasswordHasher, username: string, password: string, operator: string = operatingSystemUser()): Promise<void> {
  const user = await dataSource.getRepository(User).findOne({ where: { username } });
  if (!user) throw new Error(`There is no user ${username}`);
  const passwordHash = await hasher.hash(password);
  const now = new Date();
  await dataSource.transaction(async (manager) => {
    // A new token version makes every access token of the user stale; the refresh tokens are revoked too.
    await manager.update(User, { id: user.id }, { passwordHash, mustChangePassword: false, updatedAt: now });
    await manager.increment(User, { id: user.id }, 'tokenVersion', 1);
    await manager.update(RefreshToken, { userId: user.id, revokedAt: IsNull() }, { revokedAt: now });
    await manager.delete(LoginFailure, { username: normaliseUsername(username) });
    await manager.getRepository(AuditEvent).insert(
      auditRow(
        {
          actor: { id: null, name: `cli:${operator}`, role: 'system', correlationId: null },
          action: 'auth.password-change',
          targetType: 'user',
          targetId: user.id,
          details: { username: user.username, via: 'set-password', unlocked: true, sessionsEnded: true },
        },
        now,
      ),
    );
  });
}

async function main(): Promise<void> {
  const username = process.argv[2];
  if (!username) throw new Error('Usage: npm run set-password -- <username>   (password from NEW_PASSWORD or standard input)');
  const password = await readPassword();
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  const config = loadConfig();
  const dataSource = new DataSource(buildDataSourceOptions(await detectMysqlFlavour(config.database)));
  await dataSource.initialize();
  try {
    await setPassword(dataSource, new PasswordHasher(config), username, password);
    console.log(`The password of ${username} is set.`);
  } finally {
    await dataSource.destroy();
  }
}

// Run as the command; imported (by its test), it only provides setPassword.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
