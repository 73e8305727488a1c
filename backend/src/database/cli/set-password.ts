/**
 * npm run set-password -- <username>: sets a user's password and unlocks the account.
 * The new password comes from the NEW_PASSWORD environment variable or, when unset, from standard input
 * (one line), so it does not end up in the shell history.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
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
    const users = dataSource.getRepository(User);
    const user = await users.findOne({ where: { username } });
    if (!user) throw new Error(`There is no user ${username}`);
    const passwordHash = await new PasswordHasher().hash(password);
    // A new password also revokes the refresh tokens handed out before.
    await users.update({ id: user.id }, { passwordHash, failedLoginCount: 0, lockedUntil: null, tokenVersion: user.tokenVersion + 1, updatedAt: new Date() });
    console.log(`The password of ${username} is set.`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
