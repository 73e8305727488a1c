#!/usr/bin/env node
// `npm start`: the backend (which serves the console) and, beside it, the SIP bridge, sharing one CTI token.
//
// - CTI_TOKEN: taken from the environment, else read from (or, on the first start, generated into)
//   <backend DATA_DIR>/cti-token (mode 0600, like the generated JWT secret), and given to both processes.
// - The bridge posts to this backend (BACKEND_URL defaults to http://127.0.0.1:<PORT>).
// - SIP_BRIDGE=off starts the backend alone (a PBX that posts CTI events itself, or no telephony).
// - The backend is the platform: when it exits, the bridge is stopped and this script exits with the backend's code.
//   When the bridge cannot start or dies (e.g. its SIP port is taken), the backend keeps serving and the error is
//   printed; calls are then not taken until the bridge is started again (`npm start -w sip-bridge`).
// - SIGINT / SIGTERM are passed to both; each drains as it does when started alone.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const backendDirectory = join(root, 'backend');
const bridgeDirectory = join(root, 'sip-bridge');
const TOKEN_FILE = 'cti-token';

function say(message) {
  process.stdout.write(`[start] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[start] ${message}\n`);
  process.exit(1);
}

/**
 * The CTI token both processes share: the environment's, else the one kept in the backend's data directory — generated
 * and checked by the backend's own secret-file code (backend/src/config/jwt-secret.ts: mode 0600, created once even
 * when two starts race, refused when others may read it or it is too short).
 */
function ctiToken(env) {
  const given = env.CTI_TOKEN?.trim();
  if (given) return given;
  const { resolveSecretFile, SecretFileError } = createRequire(import.meta.url)(join(backendDirectory, 'dist', 'config', 'jwt-secret.js'));
  const file = join(resolve(backendDirectory, env.DATA_DIR ?? './data'), TOKEN_FILE);
  try {
    const { secret, created } = resolveSecretFile(file, { label: 'CTI token file', minLength: 16, variable: 'CTI_TOKEN', deleteCost: ' (then restart the bridge with it too)' });
    if (created) say(`generated a CTI token for the SIP bridge into ${file}`);
    return secret;
  } catch (error) {
    if (error instanceof SecretFileError) fail(error.message);
    throw error;
  }
}

const bridgeWanted = (process.env.SIP_BRIDGE ?? 'on').toLowerCase() !== 'off';
for (const [name, directory] of [['backend', backendDirectory], ['sip-bridge', bridgeDirectory]]) {
  if (name === 'sip-bridge' && !bridgeWanted) continue;
  if (!existsSync(join(directory, 'dist', 'main.js'))) fail(`${name}/dist/main.js is missing: run npm run build first`);
}
const env = { ...process.env };
if (bridgeWanted || env.CTI_TOKEN) env.CTI_TOKEN = ctiToken(env);

const children = new Map();
let stopping = false;

function start(name, directory, childEnv) {
  const child = spawn(process.execPath, [join(directory, 'dist', 'main.js')], { cwd: directory, env: childEnv, stdio: 'inherit' });
  children.set(name, child);
  return child;
}

const backend = start('backend', backendDirectory, env);
backend.on('exit', (code, signal) => {
  children.delete('backend');
  // Stopped by the signal we passed on (Nest re-raises it after its shutdown hooks): a clean stop.
  const status = code ?? (stopping ? 0 : 1);
  if (!stopping) say(`the backend stopped (${signal ?? `exit code ${code}`}); stopping the SIP bridge`);
  stopping = true;
  children.get('sip-bridge')?.kill('SIGTERM');
  const finish = () => process.exit(status);
  const bridge = children.get('sip-bridge');
  if (bridge) bridge.once('exit', finish);
  else finish();
});

if (bridgeWanted) {
  const port = env.PORT ?? '3000';
  const bridgeEnv = { ...env, BACKEND_URL: env.BACKEND_URL ?? `http://127.0.0.1:${port}` };
  // The backend's own variables that mean something else to the bridge are not passed on.
  delete bridgeEnv.PORT;
  delete bridgeEnv.HOST;
  const bridge = start('sip-bridge', bridgeDirectory, bridgeEnv);
  bridge.on('exit', (code, signal) => {
    children.delete('sip-bridge');
    if (stopping) return;
    process.stderr.write(
      `[start] the SIP bridge stopped (${signal ?? `exit code ${code}`}); the backend keeps serving, but calls are not taken until ` +
        'the bridge runs again (npm start -w sip-bridge, with the same CTI_TOKEN); see docs/telephony.md\n',
    );
  });
} else {
  say('SIP_BRIDGE=off: the SIP bridge is not started');
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    for (const child of children.values()) child.kill(signal);
  });
}
