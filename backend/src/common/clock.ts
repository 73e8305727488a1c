import { Injectable } from '@nestjs/common';

/** The time source. Demo seeding and tests set a fixed time to place events in the past. */
@Injectable()
export class Clock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date();
  }

  /** Fix the time (null: back to the real clock). */
  set(at: Date | null): void {
    this.fixed = at ? new Date(at.getTime()) : null;
  }
}
