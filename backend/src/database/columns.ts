import { BeforeInsert, BeforeUpdate, Column, ColumnOptions } from 'typeorm';

/**
 * Every time is stored in UTC with millisecond precision, on SQLite and MySQL alike
 * (SQLite keeps 'YYYY-MM-DD HH:MM:SS.SSS' UTC text; MySQL a DATETIME(3) written through a 'Z' connection).
 * No database defaults: SQLite's datetime('now') would drop the milliseconds, so the application sets
 * createdAt/updatedAt itself (see TimestampedEntity).
 */
export function UtcDateTimeColumn(options: Omit<ColumnOptions, 'type' | 'precision'> = {}): PropertyDecorator {
  return Column({ ...options, type: 'datetime', precision: 3 });
}

/** createdAt/updatedAt filled by the application on save; query-builder updates set updatedAt explicitly. */
export abstract class TimestampedEntity {
  @UtcDateTimeColumn()
  createdAt: Date;

  @UtcDateTimeColumn()
  updatedAt: Date;

  @BeforeInsert()
  protected stampInsert(): void {
    const now = new Date();
    this.createdAt ??= now;
    this.updatedAt ??= now;
  }

  @BeforeUpdate()
  protected stampUpdate(): void {
    this.updatedAt = new Date();
  }
}

/** A DATETIME read from a raw row or an aggregate: a Date from mysql2, UTC text ('YYYY-MM-DD HH:MM:SS.SSS') from SQLite. */
export function dateFromRow(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
