import { SchedulerRegistry } from '@nestjs/schedule';
import { startTestApp, type TestApp } from '../testing/test-app';
import { ONCE_PER_NODE_JOBS, stopOncePerNodeJobs } from './once-per-node-jobs';

describe('the jobs only worker 1 runs', () => {
  let t: TestApp;
  const tickBefore = process.env.ESCALATION_TICK_SECONDS;

  beforeAll(async () => {
    // Under NODE_ENV=test the deadline tick is off unless set; an hour keeps it from ever firing here.
    process.env.ESCALATION_TICK_SECONDS = '3600';
    t = await startTestApp('sqlite');
  });

  afterAll(async () => {
    if (tickBefore === undefined) delete process.env.ESCALATION_TICK_SECONDS;
    else process.env.ESCALATION_TICK_SECONDS = tickBefore;
    await t.close();
  });

  it('names jobs that exist (a renamed job would silently run in every worker again)', () => {
    const registry = t.app.get(SchedulerRegistry);
    for (const name of ONCE_PER_NODE_JOBS.intervals) expect({ name, registered: registry.doesExist('interval', name) }).toEqual({ name, registered: true });
    for (const name of ONCE_PER_NODE_JOBS.cronJobs) expect({ name, registered: registry.doesExist('cron', name) }).toEqual({ name, registered: true });
  });

  it('stops them in the other workers, and the application still closes cleanly', () => {
    const registry = t.app.get(SchedulerRegistry);
    expect(stopOncePerNodeJobs(registry).sort()).toEqual([...ONCE_PER_NODE_JOBS.intervals, ...ONCE_PER_NODE_JOBS.cronJobs].sort());
    for (const name of ONCE_PER_NODE_JOBS.intervals) expect(registry.doesExist('interval', name)).toBe(false);
    for (const name of ONCE_PER_NODE_JOBS.cronJobs) expect(registry.doesExist('cron', name)).toBe(false);
    expect(stopOncePerNodeJobs(registry)).toEqual([]);
  });
});
