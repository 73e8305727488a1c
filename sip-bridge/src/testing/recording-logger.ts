import type { LogFields, LogLevel, Logger } from '../logger';

export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];

  debug(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'error', message, fields });
  }
}
