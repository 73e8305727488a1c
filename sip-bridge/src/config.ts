import { isIP } from 'node:net';

/** The environment, validated once at start-up. A bad variable stops start-up with a message naming it. */
export interface SipBridgeConfig {
  sip: {
    /** An IP literal: it also decides between an IPv4 and an IPv6 socket. */
    bindHost: string;
    /** 0 lets the system pick a free port (tests, local experiments). */
    port: number;
  };
  /** Where CTI events will be posted (a later issue). */
  backendUrl: string;
}

export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
}

const DEFAULTS = {
  SIP_BIND_HOST: '127.0.0.1',
  SIP_PORT: '5060',
  BACKEND_URL: 'http://localhost:3000',
} as const;

type Variable = keyof typeof DEFAULTS;
type Checked<T> = { value: T } | { problem: string };

/** An empty variable counts as unset, the way `SIP_PORT=${SIP_PORT}` in a compose file ends up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SipBridgeConfig {
  const problems: string[] = [];
  const read = <T>(name: Variable, check: (raw: string) => Checked<T>): T | undefined => {
    const raw = env[name]?.trim() || DEFAULTS[name];
    const checked = check(raw);
    if ('value' in checked) return checked.value;
    problems.push(`${name}: ${checked.problem} (got ${JSON.stringify(raw)})`);
    return undefined;
  };

  const bindHost = read('SIP_BIND_HOST', (raw) =>
    isIP(raw) !== 0 ? { value: raw } : { problem: 'must be an IPv4 or IPv6 address' },
  );
  const port = read('SIP_PORT', (raw) =>
    /^\d{1,5}$/.test(raw) && Number(raw) <= 65535
      ? { value: Number(raw) }
      : { problem: 'must be an integer from 0 to 65535' },
  );
  const backendUrl = read('BACKEND_URL', (raw) =>
    isHttpUrl(raw) ? { value: raw } : { problem: 'must be an http:// or https:// URL' },
  );

  if (bindHost === undefined || port === undefined || backendUrl === undefined) {
    throw new ConfigValidationError(`Invalid environment configuration:\n  ${problems.join('\n  ')}`);
  }
  return { sip: { bindHost, port }, backendUrl };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
