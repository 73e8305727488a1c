/**
 * Which Node.js majors still get security fixes. Node.js 20 reached end-of-life on 2026-04-30; 22 is in
 * maintenance until 2027-04-30; 24 LTS (supported to 2028-04-30) is the documented production runtime.
 */
export const OLDEST_SUPPORTED_NODE_MAJOR = 22;
export const RECOMMENDED_NODE_MAJOR = 24;

export interface RuntimeVerdict {
  /** ok: nothing to say; warn: log loudly and go on; refuse: do not start. */
  level: 'ok' | 'warn' | 'refuse';
  message: string | null;
}

/** Judges the Node.js version (process.version, e.g. "v20.19.0"): production refuses an end-of-life runtime, development warns. */
export function judgeNodeRuntime(version: string, nodeEnv: 'development' | 'production' | 'test'): RuntimeVerdict {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major)) return { level: 'warn', message: `Cannot read the Node.js version "${version}"` };
  if (major < OLDEST_SUPPORTED_NODE_MAJOR) {
    const message = `Node.js ${version} is end-of-life and gets no security fixes; run Node.js ${RECOMMENDED_NODE_MAJOR} LTS`;
    return nodeEnv === 'production'
      ? { level: 'refuse', message: `${message}. Refusing to start with NODE_ENV=production.` }
      : { level: 'warn', message: `${message} (only acceptable for development).` };
  }
  if (major < RECOMMENDED_NODE_MAJOR && nodeEnv === 'production') {
    return { level: 'warn', message: `Node.js ${version} is in maintenance only; plan the move to Node.js ${RECOMMENDED_NODE_MAJOR} LTS` };
  }
  return { level: 'ok', message: null };
}
