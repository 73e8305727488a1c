import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { WorkOrderNumbers } from './work-order-numbers';
import { screeningWork } from './repeat-screening-queue.service';

/**
 * Issue 8, intake: what one registration costs the database, and what it answers.
 *
 * Statements are counted by wrapping the DataSource logger's logQuery, which both drivers call for every statement they
 * send (transaction control included) — the whole request is counted, the auth guard's and the caches' reads too.
 * Budget (warm caches, no attachments): BEGIN + COMMIT, and at most 6 others — the number, the order, the search index
 * write(s), the first timeline event — and not one SELECT: nothing is read back, nothing is re-read per request.
 * On MariaDB the number is drawn last, by one CALL right before COMMIT (the day's sequence row is locked from the
 * draw to COMMIT) that also writes the first event and the search outbox (and the repeat screening queue) rows:
 * START, the order, the CALL, COMMIT, then the Mroonga row — 3 besides BEGIN and COMMIT.
 * SQLite draws it first (one writer): BEGIN, the number, the order, the FTS row, the event, COMMIT — 4.
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
      expect(others).toHaveLength(engine === 'mysql' ? 3 : 4);
      // The number, the order and its first event are written once each; on a server the number is drawn by the last
      // statement before COMMIT (the CALL, which writes the event too), so the sequence row is locked for that one
      // statement and the COMMIT.
      const draws = statements.filter((s) => /daily_sequences|complete_registration/.test(s));
      expect(draws).toHaveLength(1);
      if (engine === 'mysql') {
        expect(draws[0]).toMatch(/^\s*CALL\b/i);
        expect(statements.indexOf(draws[0])).toBe(statements.findIndex((s) => /^\s*COMMIT\b/i.test(s)) - 1);
      }
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_orders[`"]?\s*\(/i.test(s))).toHaveLength(1);
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_order_events[`"]?/i.test(s))).toHaveLength(engine === 'mysql' ? 0 : 1);
    }
  });

  it('answers exactly what GET /api/work-orders/:id answers right after (field by field), for the center and with the caller', async () => {
    t.clock.set(new Date()); // the deadlines' countdowns are counted from now: the same now for both answers
    try {
      for (const overrides of [{}, { citizenConfidential: true, urgency: 'urgent', latitude: 39.9042, longitude: 116.4074 }]) {
        const registered = await d.register('agent1', overrides);
        const read = await t.get('agent1', `/api/work-orders/${registered.id}`);
        expect(read.status).toBe(200);
        // similarOrders is the registration's own answer (the detector's candidates), not a field of the order.
        for (const field of new Set([...Object.keys(read.body), ...Object.keys(registered)].filter((f) => f !== 'similarOrders'))) {
          expect({ field, value: registered[field] }).toEqual({ field, value: read.body[field] });
        }
        expect(registered.timeline).toHaveLength(1);
      }
    } finally {
      t.clock.set(null);
    }
  });

  it('gives numbers and registration times that sort alike, also under concurrency (never earlier than the number before)', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, (_, i) => d.register('agent1', { title: `并发登记${i}` })));
    const byNumber = [...orders].sort((a, b) => (a.number < b.number ? -1 : 1));
    const times = byNumber.map((o: OrderBody) => new Date(o.createdAt as string).getTime());
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(new Set(orders.map((o) => o.number)).size).toBe(orders.length);
    // What was answered is what was stored (the time may have been raised when the number was drawn), the first
    // timeline event carries the order's time.
    for (const order of orders) {
      const read = await t.get('agent1', `/api/work-orders/${order.id}`);
      expect({ number: read.body.number, createdAt: read.body.createdAt }).toEqual({ number: order.number, createdAt: order.createdAt });
      expect((read.body.timeline as { createdAt: string }[])[0].createdAt).toBe(order.createdAt);
    }
  });

  it('grows a seventh digit past 999 999 a day, and (MariaDB) never gives an order a time before the previous number\'s', async () => {
    const at = new Date('2030-06-03T04:00:00.000Z'); // a day of its own
    const day = t.app.get(WorkOrderNumbers).dayOf(at);
    await t.app.get(DataSource).query('INSERT INTO daily_sequences (day, lastValue) VALUES (?, ?)', [day, 999_998]);
    try {
      t.clock.set(at);
      const first = await d.register('agent1', { title: '第999999号' });
      // A registration whose clock reading is earlier than the previous number's time (another process, or a reading
      // taken before a concurrent registration drew its number).
      t.clock.set(new Date(at.getTime() - 5));
      const second = await d.register('agent1', { title: '第1000000号' });
      expect([first.number, second.number]).toEqual([`${day}999999`, `${day}1000000`]);
      const expectedTime = engine === 'mysql' ? at.toISOString() : new Date(at.getTime() - 5).toISOString();
      expect(second.createdAt).toBe(expectedTime);
      const read = await t.get('agent1', `/api/work-orders/${second.id}`);
      expect({ number: read.body.number, createdAt: read.body.createdAt, updatedAt: read.body.updatedAt }).toEqual({
        number: second.number,
        createdAt: expectedTime,
        updatedAt: expectedTime,
      });
      expect((read.body.timeline as { createdAt: string }[]).map((e) => e.createdAt)).toEqual([expectedTime]);
    } finally {
      t.clock.set(null);
    }
  });
});

/**
 * With the repeat detector on (the production default): the request adds the detector's candidate reads before the
 * transaction (its index: keys, then the candidates' facts; the candidates' summaries and what the caller may open
 * for `similarOrders`) and one row of the screening queue inside it. Recording, repeat marks and hotspots run after
 * the answer (RepeatScreeningQueue), outside the request's statements.
 */
describe.each(enginesUnderTest())('registration statements with the repeat detector (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let captured: { request: string[]; screening: string[] } | null = null;

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { REPEAT_DETECTION: 'on' } });
    d = await new WorkOrderDriver(t).load();
    const logger = t.app.get(DataSource).logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      captured?.[screeningWork.getStore() ? 'screening' : 'request'].push(query);
      logQuery(query, parameters, queryRunner);
    };
  });

  afterAll(() => t.close());

  it(`sends BEGIN, COMMIT, at most ${STATEMENT_BUDGET + 1} writes and 2 reads per warm registration; the detector's writes come after`, async () => {
    await d.register('agent1');
    for (let i = 0; i < 3; i++) {
      captured = { request: [], screening: [] };
      const result = await d.register('agent1', { title: `第${i}盏路灯不亮`, citizenPhone: `1390000000${i}` });
      const { request, screening } = captured;
      captured = null;
      expect(result).toMatchObject({ status: 'registered', version: 1 });
      const reads = request.filter((s) => /^\s*SELECT\b/i.test(s));
      const writes = request.filter((s) => !/^\s*SELECT\b/i.test(s) && !TRANSACTION_CONTROL.test(s));
      expect(request.filter((s) => TRANSACTION_CONTROL.test(s))).toHaveLength(2);
      // The detector's candidates with their fingerprints (one statement), and the candidates shown (similarOrders).
      expect(reads.length).toBeLessThanOrEqual(2);
      expect(reads.filter((s) => /matter_keys/.test(s))).toHaveLength(1);
      expect(reads.filter((s) => /matter_fingerprints/.test(s))).toEqual(reads.filter((s) => /matter_keys/.test(s)));
      expect(writes.length).toBeLessThanOrEqual(STATEMENT_BUDGET + 1);
      // The queue row: its own INSERT on SQLite, inside the registration's CALL on a server.
      expect(writes.filter((s) => /repeat_screening_pending|complete_registration/.test(s))).toHaveLength(1);
      expect(writes.filter((s) => /matter_keys|matter_fingerprints|hotspots/.test(s))).toEqual([]);
      // After the answer: the order recorded in the detector's index and its queue row deleted.
      expect(screening.filter((s) => /INSERT\b.*matter_fingerprints/is.test(s))).toHaveLength(1);
      expect(screening.filter((s) => /DELETE\b.*repeat_screening_pending/is.test(s))).toHaveLength(1);
    }
    expect(Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM repeat_screening_pending'))[0].n)).toBe(0);
  });
});
