import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Scheduled jobs that need to run in one worker per node only. Each is already correct when several processes
 * run it at once (claims and conditional deletes in the database, see docs/deployment.md), so this only saves the
 * work of n-1 workers doing the same pass. The names are those the jobs register with @nestjs/schedule
 * (cluster/once-per-node-jobs.int-spec.ts fails if one is renamed). A job not listed here runs in every worker.
 */
export const ONCE_PER_NODE_JOBS = {
  /** escalation/escalation.service.ts (deadline warnings, reminders, supervision, escalation), attachments/attachment-expiry.service.ts and reports/statistics/statistics.service.ts (folding the timeline into the daily statistics; safe in several processes through its cursor row). */
  intervals: ['deadline-escalation-tick', 'attachments-expire-unbound', 'report-statistics'],
  /** audit/audit-retention.service.ts: the daily purge; reports/bulletins/bulletin-schedule.service.ts: the monthly bulletin (exactly once through its unique month row anyway); reports/statistics: the nightly consistency check. */
  cronJobs: ['audit-retention', 'monthly-bulletin', 'report-statistics-check'],
} as const;

/** Which worker keeps them: worker 1 (its replacement, after a crash, gets the same index and runs them again). */
export const JOBS_WORKER_INDEX = 1;

/**
 * Stops the once-per-node jobs in a worker other than JOBS_WORKER_INDEX. Called after the application started
 * (the jobs are registered during `init`). Returns the names it stopped.
 */
export function stopOncePerNodeJobs(registry: SchedulerRegistry): string[] {
  const stopped: string[] = [];
  for (const name of ONCE_PER_NODE_JOBS.intervals) {
    if (!registry.doesExist('interval', name)) continue;
    registry.deleteInterval(name);
    stopped.push(name);
  }
  for (const name of ONCE_PER_NODE_JOBS.cronJobs) {
    if (!registry.doesExist('cron', name)) continue;
    registry.deleteCronJob(name);
    stopped.push(name);
  }
  return stopped;
}
