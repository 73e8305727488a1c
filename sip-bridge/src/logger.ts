export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Injected everywhere that logs, so logic modules never touch the console and tests can record. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface JsonLoggerOptions {
  /** Receives one complete line, newline included. Defaults to stdout. */
  write?: (line: string) => void;
  now?: () => Date;
}

/** One JSON object per line, pino-style, so the bridge's logs sit next to the backend's. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) =>
    write(`${stringify({ time: now().toISOString(), level, msg: message, ...fields })}\n`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function stringify(record: LogFields): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : typeof value === 'bigint' ? String(value) : value,
    );
  } catch {
    // A circular field must not take the log line down with it.
    return JSON.stringify({ time: record.time, level: record.level, msg: record.msg, logError: 'fields not serializable' });
  }
}
