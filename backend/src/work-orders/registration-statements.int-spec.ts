import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/**
 * Issue 8, intake: what one registration costs the database, and what it answers.
 *
 * Statements are counted by wrapping the DataSource logger's logQuery, which both drivers call for every statement they
 * send (transaction control included) — the whole request is counted, the auth guard's and the caches' reads too.
 * Budget (warm caches, no attachments): BEGIN + COMMIT, and at most 6 others — the number, the order, the search index
 * write(s), the first timeline event — and not one SELECT: nothing is read back, nothing is re-read per request.
 */
const STATEMENT_BUDGET = 6;
const TRANSACTION_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\b/i;

describe.each(enginesUnderTest())('registration statements and response (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let captured: string[] | null = null;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const logger = t.app.get(DataSource).logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      captured?.push(query);
      logQuery(query, parameters, queryRunner);
    };
  });

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    captured = [];
    try {
      const result = await work();
      return { result, statements: captured };
    } finally {
      captured = null;
    }
  }

  it(`sends BEGIN, COMMIT and at most ${STATEMENT_BUDGET} other statements per warm registration, none of them a SELECT`, async () => {
    await d.register('agent1'); // warms the caches (user, categories, units, deadline rules, calendar) and the login
    for (let i = 0; i < 3; i++) {
      const { result, statements } = await statementsOf(() => d.register('agent1', { title: `第${i}盏路灯不亮` }));
      expect(result.status).toBe('registered');
      const control = statements.filter((s) => TRANSACTION_CONTROL.test(s));
      const others = statements.filter((s) => !TRANSACTION_CONTROL.test(s));
      expect(control.map((s) => s.trim().split(/\s+/)[0].toUpperCase())).toEqual([expect.stringMatching(/^(BEGIN|START)$/), 'COMMIT']);
      expect(others.filter((s) => /^\s*SELECT\b/i.test(s))).toEqual([]);
      expect(others.length).toBeLessThanOrEqual(STATEMENT_BUDGET);
      // The number, the order and its first event are written once each.
      expect(others.filter((s) => /daily_sequences/.test(s))).toHaveLength(1);
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_orders[`"]?\s*\(/i.test(s))).toHaveLength(1);
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_order_events[`"]?/i.test(s))).toHaveLength(1);
    }
  });

  it('answers exactly what GET /api/work-orders/:id answers right after (field by field), for the center and with the caller', async () => {
    t.clock.set(new Date()); // the deadlines' countdowns are counted from now: the same now for both answers
    try {
      for (const overrides of [{}, { citizenConfidential: true, urgency: 'urgent', latitude: 39.9042, longitude: 116.4074 }]) {
        const registered = await d.register('agent1', overrides);
        const read = await t.get('agent1', `/api/work-orders/${registered.id}`);
        expect(read.status).toBe(200);
        for (const field of new Set([...Object.keys(read.body), ...Object.keys(registered)])) {
          expect({ field, value: registered[field] }).toEqual({ field, value: read.body[field] });
        }
        expect(registered.timeline).toHaveLength(1);
      }
    } finally {
      t.clock.set(null);
    }
  });

  it('takes the registration time after the number is drawn: numbers and times sort alike, also under concurrency', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, (_, i) => d.register('agent1', { title: `并发登记${i}` })));
    const byNumber = [...orders].sort((a, b) => (a.number < b.number ? -1 : 1));
    const times = byNumber.map((o: OrderBody) => new Date(o.createdAt as string).getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(new Set(orders.map((o) => o.number)).size).toBe(orders.length);
  });
});
