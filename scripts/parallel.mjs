// `node scripts/parallel.mjs "<command>" "<command>" …`: runs shell commands at the same time and fails when any of
// them fails. Each command's output is held back and printed in one piece when it ends, so the logs do not interleave.
// `npm test` runs the lint beside the build and the type checks: each keeps about one core busy, and on a 2-core
// machine the two together took 109 s against 157 s one after the other (docs/architecture.md, "Tests").
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: node scripts/parallel.mjs "<command>" ["<command>" …]');
  process.exit(2);
}

const run = (command) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const status = code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`\n== ${command}\n`);
      process.stdout.write(Buffer.concat(output));
      process.stdout.write(`== ${command}: ${status} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(commands.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
