import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ; 100 on every Linux build that matters). */
export const CLOCK_TICKS_PER_SECOND = ((): number => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far, from /proc/<pid>/stat (utime and stime: fields 14 and 15). */
export interface CpuTime {
  userSeconds: number;
  systemSeconds: number;
}

export function readCpuTime(pid: number): CpuTime {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (number: number) => Number(fields[number - 3]);
  return { userSeconds: field(14) / CLOCK_TICKS_PER_SECOND, systemSeconds: field(15) / CLOCK_TICKS_PER_SECOND };
}

export function cpuBetween(before: CpuTime, after: CpuTime): CpuTime {
  return { userSeconds: after.userSeconds - before.userSeconds, systemSeconds: after.systemSeconds - before.systemSeconds };
}

/** Resident memory now and its high-water mark (VmRSS, VmHWM of /proc/<pid>/status), in KiB. */
export interface Memory {
  rssKb: number;
  hwmKb: number;
}

export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/**
 * Samples a process's memory every `intervalMs` (the kernel keeps the peak itself in VmHWM; the samples add the
 * peak during the measured window and survive the process's exit) and its CPU time at the marks asked for.
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private last: Memory | undefined;
  /** The CPU time at the last sample: what is known of a process that has exited since. */
  lastCpu: CpuTime = { userSeconds: 0, systemSeconds: 0 };
  /** Largest VmRSS seen since `resetPeak()`. */
  peakRssKb = 0;

  constructor(
    readonly name: string,
    readonly pid: number,
    intervalMs = 1_000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** The last VmHWM read (the process's peak since it started). */
  get hwmKb(): number {
    return this.last?.hwmKb ?? NaN;
  }

  get rssKb(): number {
    return this.last?.rssKb ?? NaN;
  }

  cpu(): CpuTime {
    return readCpuTime(this.pid);
  }

  resetPeak(): void {
    this.sample();
    this.peakRssKb = this.last?.rssKb ?? 0;
  }

  sample(): void {
    try {
      const memory = readMemory(this.pid);
      this.lastCpu = readCpuTime(this.pid);
      // A process that has exited but is not reaped yet (a zombie) has no Vm lines: keep the last figures.
      if (!Number.isFinite(memory.hwmKb)) return;
      this.last = memory;
      this.peakRssKb = Math.max(this.peakRssKb, memory.rssKb);
    } catch {
      // The process is gone: keep the last figures.
    }
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
