import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { createOpenApiDocument } from '../../common/openapi-document';

/**
 * `npm run openapi -w backend [-- <file>]`: writes the OpenAPI document (default docs/openapi.json) from the code,
 * on a scratch SQLite database; the console's types are generated from that file (`npm run api:types -w frontend`).
 */
async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json'));
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: `sqlite:${join(directory, 'jiesu.sqlite')}`,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      DATA_DIR: join(directory, 'data'),
      CONSOLE_DIR: join(directory, 'no-console'),
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'never',
      API_DOCS: 'off',
    });
    const app = await createApp(config);
    app.useLogger(false);
    await app.init();
    const document = createOpenApiDocument(app);
    await app.close();
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`OpenAPI document written to ${target}\n`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
