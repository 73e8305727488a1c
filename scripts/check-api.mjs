// `npm run api:check` (part of `npm test`, after the build): the committed OpenAPI document (docs/openapi.json) and
// the console's types generated from it (frontend/src/api/generated/openapi.ts) must be what the backend's code
// describes now, and the document must pass Redocly's lint. On a difference it says which command rewrites them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'jiesu-api-check-'));
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
let failed = false;

try {
  const document = join(scratch, 'openapi.json');
  run('node', ['backend/dist/database/cli/write-openapi-document.js', document]);
  if (readFileSync(document, 'utf8') !== readFileSync(join(root, 'docs/openapi.json'), 'utf8')) {
    console.error('docs/openapi.json differs from what the backend describes: run `npm run openapi -w backend` and commit it.');
    failed = true;
  }
  const types = join(scratch, 'openapi.ts');
  run('npx', ['openapi-typescript', document, '--enum-values', '--root-types', '-o', types], join(root, 'frontend'));
  if (readFileSync(types, 'utf8') !== readFileSync(join(root, 'frontend/src/api/generated/openapi.ts'), 'utf8')) {
    console.error('frontend/src/api/generated/openapi.ts differs from the document: run `npm run api:types -w frontend` and commit it.');
    failed = true;
  }
  // Warnings fail too: the document must lint clean.
  const result = spawnSync('npx', ['redocly', 'lint', '--max-problems', '50', 'docs/openapi.json'], { cwd: root, encoding: 'utf8' });
  const lint = `${result.stdout}${result.stderr}${result.status === 0 ? '' : '\nfailed'}`;
  if (/warning|error|failed/i.test(lint.replace(/Deprecation warning[\s\S]*?╝/g, '').replace(/explicitly ignored/g, ''))) {
    console.error(lint);
    console.error('Redocly lint found problems in docs/openapi.json (above).');
    failed = true;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log('API document and console types are current; Redocly lint clean.');
