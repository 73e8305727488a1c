import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** The environment, validated once at start-up. A bad variable stops start-up with a message naming it. */
export interface SipBridgeConfig {
  sip: {
    /** An IP literal (SIP_HOST, or its older name SIP_BIND_HOST): it also decides between an IPv4 and an IPv6 socket. */
    bindHost: string;
    /** UDP and TCP. 0 lets the system pick a free port (tests, local experiments). */
    port: number;
    /** The address written in Via, Contact and the SDP's c= line; defaults to the bind address. */
    advertisedHost: string | undefined;
    /** Digest realm of the registrar for agents' phones (the backend's CTI_REALM). */
    realm: string;
  };
  rtp: { portMin: number; portMax: number };
  /** Where CTI events, routing requests and recordings go. */
  backendUrl: string;
  /** The shared secret sent as `Authorization: Bearer`; undefined = not configured (the backend answers 503, events wait on disk). */
  ctiToken: string | undefined;
  /** Callers waiting in the queue (IVR included); one more gets 486 Busy Here. */
  queueMax: number;
  /** An agent's phone that does not answer within this → the next agent. */
  ringTimeoutMs: number;
  /** How long the caller has to press the survey key after the survey prompt. */
  surveyTimeoutMs: number;
  /** The ringing phase (180 Ringing) before the bridge answers a call; 0 answers at once. */
  answerAfterMs: number;
  /** The durable outbox (journal) and recordings waiting for upload. */
  spoolDir: string;
  /** welcome/waiting/survey/thanks/busy.wav. */
  promptsDir: string;
}

export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
}

/** The package's shipped prompts: sip-bridge/prompts, from src/ (ts-node, tests) and from dist/ alike. */
export const DEFAULT_PROMPTS_DIR = resolve(__dirname, '..', 'prompts');

const DEFAULTS = {
  SIP_HOST: '127.0.0.1',
  SIP_PORT: '5060',
  SIP_REALM: 'jiesu',
  RTP_PORT_MIN: '10000',
  RTP_PORT_MAX: '20000',
  BACKEND_URL: 'http://localhost:3000',
  QUEUE_MAX: '50',
  RING_TIMEOUT: '15s',
  SURVEY_TIMEOUT: '10s',
  ANSWER_AFTER: '0',
  SPOOL_DIR: './data/sip-spool',
} as const;

type Checked<T> = { value: T } | { problem: string };

/** An empty variable counts as unset, the way `SIP_PORT=${SIP_PORT}` in a compose file ends up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SipBridgeConfig {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => env[name]?.trim() || undefined;
  const read = <T>(name: string, fallback: string, check: (value: string) => Checked<T>): T | undefined => {
    const value = raw(name) ?? fallback;
    const checked = check(value);
    if ('value' in checked) return checked.value;
    problems.push(`${name}: ${checked.problem} (got ${JSON.stringify(value)})`);
    return undefined;
  };

  // SIP_HOST is the name the issue uses; SIP_BIND_HOST is the scaffold's. Both set and different is a mistake.
  const hostName = raw('SIP_HOST') !== undefined || raw('SIP_BIND_HOST') === undefined ? 'SIP_HOST' : 'SIP_BIND_HOST';
  if (raw('SIP_HOST') !== undefined && raw('SIP_BIND_HOST') !== undefined && raw('SIP_HOST') !== raw('SIP_BIND_HOST')) {
    problems.push(`SIP_HOST: disagrees with SIP_BIND_HOST (its older name) — set only one (got ${JSON.stringify(raw('SIP_HOST'))} and ${JSON.stringify(raw('SIP_BIND_HOST'))})`);
  }
  const bindHost = read(hostName, DEFAULTS.SIP_HOST, ipAddress);
  const port = read('SIP_PORT', DEFAULTS.SIP_PORT, (value) => port0to65535(value));
  const advertisedHost = raw('SIP_ADVERTISED_HOST') === undefined ? undefined : read('SIP_ADVERTISED_HOST', '', ipAddress);
  const realm = read('SIP_REALM', DEFAULTS.SIP_REALM, (value) =>
    /^[\x21-\x7e]+$/.test(value) && !value.includes('"') ? { value } : { problem: 'must be printable ASCII without spaces or quotes' },
  );
  const portMin = read('RTP_PORT_MIN', DEFAULTS.RTP_PORT_MIN, rtpPort);
  const portMax = read('RTP_PORT_MAX', DEFAULTS.RTP_PORT_MAX, rtpPort);
  if (portMin !== undefined && portMax !== undefined && portMax - portMin < 2) {
    problems.push(`RTP_PORT_MAX: must be at least RTP_PORT_MIN + 2 (got ${portMin}-${portMax})`);
  }
  const backendUrl = read('BACKEND_URL', DEFAULTS.BACKEND_URL, (value) =>
    isHttpUrl(value) ? { value: value.replace(/\/+$/, '') } : { problem: 'must be an http:// or https:// URL' },
  );
  const ctiToken = raw('CTI_TOKEN');
  const queueMax = read('QUEUE_MAX', DEFAULTS.QUEUE_MAX, (value) =>
    /^\d{1,6}$/.test(value) && Number(value) >= 1 ? { value: Number(value) } : { problem: 'must be a whole number of calls, at least 1' },
  );
  const ringTimeoutMs = read('RING_TIMEOUT', DEFAULTS.RING_TIMEOUT, (value) => duration(value, 1_000, 300_000));
  const surveyTimeoutMs = read('SURVEY_TIMEOUT', DEFAULTS.SURVEY_TIMEOUT, (value) => duration(value, 1_000, 120_000));
  const answerAfterMs = read('ANSWER_AFTER', DEFAULTS.ANSWER_AFTER, (value) => duration(value, 0, 30_000));
  const spoolDir = resolve(raw('SPOOL_DIR') ?? DEFAULTS.SPOOL_DIR);
  const promptsDir = resolve(raw('PROMPTS_DIR') ?? DEFAULT_PROMPTS_DIR);

  if (
    problems.length > 0 ||
    bindHost === undefined ||
    port === undefined ||
    realm === undefined ||
    portMin === undefined ||
    portMax === undefined ||
    backendUrl === undefined ||
    queueMax === undefined ||
    ringTimeoutMs === undefined ||
    surveyTimeoutMs === undefined ||
    answerAfterMs === undefined
  ) {
    throw new ConfigValidationError(`Invalid environment configuration:\n  ${problems.join('\n  ')}`);
  }
  return {
    sip: { bindHost, port, advertisedHost, realm },
    rtp: { portMin, portMax },
    backendUrl,
    ctiToken,
    queueMax,
    ringTimeoutMs,
    surveyTimeoutMs,
    answerAfterMs,
    spoolDir,
    promptsDir,
  };
}

function ipAddress(value: string): Checked<string> {
  return isIP(value) !== 0 ? { value } : { problem: 'must be an IPv4 or IPv6 address' };
}

function port0to65535(value: string): Checked<number> {
  return /^\d{1,5}$/.test(value) && Number(value) <= 65535 ? { value: Number(value) } : { problem: 'must be an integer from 0 to 65535' };
}

function rtpPort(value: string): Checked<number> {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1024 && Number(value) <= 65535
    ? { value: Number(value) }
    : { problem: 'must be an integer from 1024 to 65535' };
}

/** `15s`, `500ms`, `2m` or a bare number of seconds. */
export function duration(value: string, minMs: number, maxMs: number): Checked<number> {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value);
  if (!match) return { problem: 'must be a duration such as 15s, 500ms or 2m (a bare number is seconds)' };
  const factor = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1_000;
  const ms = Math.round(Number(match[1]) * factor);
  if (ms < minMs || ms > maxMs) return { problem: `must be between ${minMs / 1000}s and ${maxMs / 1000}s` };
  return { value: ms };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
