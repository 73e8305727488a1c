import { DataSource } from 'typeorm';
import { baseSpread, captureStatements, type CapturedStatement, copyOrders, type CopyContext, type CopyOverrides, explain, fullReads } from '../../testing/explain-harness';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver } from '../../testing/work-order-driver';
import type { ReportScope } from '../report-scope';
import { RepeatsReportRepository } from '../repeats-report/repeats-report.repository';
import { ShirkingReportRepository } from '../shirking-report/shirking-report.repository';
import { VolumeRepository } from '../volume/volume.repository';
import { OverdueReportRepository } from './overdue-report.repository';

/**
 * Every work_orders statement of the overdue, shirking, repeats and volume reports, EXPLAINed on MariaDB over a table
 * large enough for the optimizer to choose as in production: none may read the orders in full (EXPLAIN type ALL) or a
 * whole index (type index), and each runs under the report time limit. Runs only with TEST_MYSQL_URL.
 *
 * One known exception: the overdue report's "replied at or after the period's end" reads the repliedAt range from that
 * end to now — a few days for this month's or last month's report, but for a period long past every reply since, and
 * there the optimizer rightly prefers a scan (docs/report-definitions.md, "Cost"). It is checked for recent periods.
 */
const ORDERS = 40_000;
const DAY = 86_400_000;
const maybe = process.env.TEST_MYSQL_URL ? describe : describe.skip;


maybe('EXPLAIN of the reports’ order statements on MariaDB', () => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let dataSource: DataSource;
  let captured: CapturedStatement[] = [];

  beforeAll(async () => {
    t = await startTestApp('mysql');
    d = await new WorkOrderDriver(t).load();
    dataSource = t.app.get(DataSource);
    const template = await d.register('agent1');
    await copyOrders(dataSource, template.id, ORDERS, repliedAndCalledBack);
    captured = captureStatements(dataSource);
  }, 300_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const scopes = (): [string, ReportScope][] => [
    ['the whole center', { unitId: null, unitIds: null }],
    ['district dc', { unitId: d.unit('dc'), unitIds: [d.unit('dc'), d.unit('dc_cy'), d.unit('dc_dg')] }],
    ['bureau cgj', { unitId: d.unit('cgj'), unitIds: [d.unit('cgj')] }],
  ];

  it.each([
    ['this month', 0, true],
    ['last month', 30, true],
    ['a month a year ago', 365, false],
  ])('%s: no statement reads all orders', async (_label, daysBack, withRepliedSince) => {
    const end = new Date(Date.now() - daysBack * DAY);
    const start = new Date(end.getTime() - 30 * DAY);
    const range = { start, end };
    for (const [scopeName, scope] of scopes()) {
      captured.length = 0;
      const overdue = t.app.get(OverdueReportRepository);
      const shirking = t.app.get(ShirkingReportRepository);
      await overdue.unrepliedDueBefore(end, scope);
      if (withRepliedSince) await overdue.repliedSinceDueBefore(end, scope);
      await overdue.repliedLateBetween(start, end, scope);
      await shirking.failedCallbacksByUnit(range, scope);
      await shirking.rulings(range, scope);
      await shirking.disputesRaised(range, scope);
      await shirking.mostReturned(range, scope, 20);
      await t.app.get(VolumeRepository).registeredBy('channel', ['phone', 'wechat', 'email'], start, end, scope);
      await t.app.get(VolumeRepository).registeredBy('requestType', ['complaint', 'praise'], start, end, scope);
      await t.app.get(RepeatsReportRepository).hotspotsBetween(start, end, scope, 100);
      const statements = captured.filter((c) => /\bwork_orders wo\b/.test(c.sql));
      // Overdue 3 (2), failed callbacks, rulings, disputes raised, volume 2 (no returns here: no order look-up of them).
      expect(statements).toHaveLength(withRepliedSince ? 8 : 7);
      for (const statement of statements) {
        // Report statements run under the report time limit (REPORT_QUERY_TIMEOUT_MS, 30 s by default).
        expect(statement.sql).toMatch(/^SET STATEMENT max_statement_time=30 FOR SELECT/);
        const plan = await explain(dataSource, statement);
        const scans = fullReads(plan, 'wo');
        if (scans.length > 0) throw new Error(`${scopeName}:\n${statement.sql}\n${JSON.stringify(plan, null, 1)}`);
      }
    }
  });
});

/**
 * Two years of orders: most replied (some late) and called back (some failed), a few ruled; the open ones with
 * deadlines around now.
 */
function repliedAndCalledBack(context: CopyContext): CopyOverrides {
  const { unitList, unitCount } = context;
  const later = (minutes: number) => `TIMESTAMPADD(MINUTE, -n * 26 + ${minutes}, UTC_TIMESTAMP(3))`;
  const open = 'n < 2000';
  return {
    ...baseSpread(context),
    updatedAt: later(8000),
    status: `IF(${open}, ELT(1 + n % 5, 'dispatched', 'processing', 'processing', 'suspended', 'return_requested'), IF(n % 30 = 0, 'invalid', 'closed'))`,
    dispatchedAt: later(60),
    replyDueAt: `IF(n % 30 = 0, NULL, ${later(7200)})`,
    // Every fourth replied late (after the deadline at +7200 min).
    repliedAt: `IF(${open} OR n % 30 = 0, NULL, TIMESTAMPADD(MINUTE, -n * 26 + IF(n % 4 = 0, 9000, 5000), UTC_TIMESTAMP(3)))`,
    replyLateMinutes: `IF(${open} OR n % 4 <> 0, NULL, 800)`,
    calledBackAt: `IF(${open} OR n % 30 = 0, NULL, ${later(10000)})`,
    callbackOutcome: `IF(${open} OR n % 30 = 0, NULL, ELT(1 + n % 4, 'resolved', 'resolved', 'unresolved', 'dissatisfied'))`,
    closedAt: `IF(${open} OR n % 30 = 0, NULL, ${later(10000)})`,
    ruledAt: `IF(n % 400 = 0, ${later(300)}, NULL)`,
    ruledUnitId: `IF(n % 400 = 0, ELT(1 + (n * 7) % ${unitCount}, ${unitList}), NULL)`,
    warningLevel: "'none'",
  };
}
