import { describeExit, restartDelayMs } from './worker-supervisor';

describe('restartDelayMs', () => {
  it('doubles from 1 s with each crash in a row, up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('describeExit', () => {
  it('names the signal, else the exit code', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('signal SIGKILL');
    expect(describeExit(1, null)).toBe('exit code 1');
    expect(describeExit(null, null)).toBe('exit code unknown');
  });
});
