#!/usr/bin/env node
// Generates the IVR prompts (sip-bridge/prompts/*.wav) with espeak-ng's Mandarin voice and sox:
// 8000 Hz, mono, 16-bit signed PCM — the format the prompt player sends as G.711 RTP.
// Usage: node sip-bridge/scripts/generate-prompts.mjs [--out <dir>] [--only welcome,busy]
// Needs the Debian packages espeak-ng and sox on the PATH (.ci/run installs them).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped prompts: file name (without .wav) → the text spoken. */
export const PROMPTS = {
  welcome: '您好，欢迎致电12345政务服务便民热线，请稍候，正在为您转接人工服务',
  waiting: '现在坐席繁忙，请您耐心等候',
  survey: '请您对本次服务进行评价：满意请按1，基本满意请按2，不满意请按3',
  thanks: '感谢您的评价，再见',
  busy: '现在来电较多，请您稍后再拨',
};

// `cmn-latn-pinyin` is espeak-ng's Mandarin (cmn) voice with one difference that matters: characters
// missing from cmn_dict fall back to pinyin, which plain `cmn` then reads with the ENGLISH voice
// (电 → "daI..."), while this variant reads them as Mandarin. Check with `espeak-ng -v cmn -x 致电`.
const VOICE = 'cmn-latn-pinyin';
/** Words per minute: espeak-ng's default (175) is hurried for Mandarin on a phone line. */
const SPEED = '150';

/** The hotline's number is said digit by digit (一二三四五), not as the quantity 一万二千三百四十五. */
function spokenForm(text) {
  return text.replace(/12345/g, '一二三四五');
}

function parseArguments(argv) {
  const options = { out: resolve(dirname(fileURLToPath(import.meta.url)), '..', 'prompts'), only: Object.keys(PROMPTS) };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--out') options.out = resolve(argv[(index += 1)] ?? '');
    else if (argument === '--only') options.only = (argv[(index += 1)] ?? '').split(',').filter(Boolean);
    else throw new Error(`Unknown argument ${JSON.stringify(argument)} (expected --out <dir> or --only <names>)`);
  }
  const unknown = options.only.filter((name) => !(name in PROMPTS));
  if (unknown.length > 0) throw new Error(`Unknown prompt(s): ${unknown.join(', ')}; known: ${Object.keys(PROMPTS).join(', ')}`);
  return options;
}

function run(command, args) {
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${command} is not installed (Debian: apt-get install espeak-ng sox)`);
    throw new Error(`${command} ${args.join(' ')} failed: ${error.stderr?.toString().trim() || error.message}`);
  }
}

function generate(name, text, outDirectory, workDirectory) {
  const spoken = join(workDirectory, `${name}.espeak.wav`);
  const target = join(outDirectory, `${name}.wav`);
  run('espeak-ng', ['-v', VOICE, '-s', SPEED, '-w', spoken, spokenForm(text)]);
  // espeak-ng writes 22050 Hz mono. Resample to 8 kHz with a phone-band filter, normalise to -3 dBFS and
  // add 300 ms of silence at the end so consecutive prompts do not run into each other.
  // (-D: no dither, so regenerating gives the same bytes.)
  run('sox', [spoken, '-D', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', target,
    'highpass', '300', 'lowpass', '3400', 'gain', '-n', '-3', 'pad', '0', '0.3']);
  const seconds = run('soxi', ['-D', target]).trim();
  return { name, target, seconds: Number(seconds) };
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  mkdirSync(options.out, { recursive: true });
  const workDirectory = mkdtempSync(join(tmpdir(), 'jiesu-prompts-'));
  try {
    for (const name of options.only) {
      const { target, seconds } = generate(name, PROMPTS[name], options.out, workDirectory);
      process.stdout.write(`${target}  ${seconds.toFixed(2)} s\n`);
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`generate-prompts: ${error.message}\n`);
    process.exitCode = 1;
  }
}
