import request from 'supertest';
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
 * Budget (warm caches, no attachments): at most 6 statements besides BEGIN and COMMIT — the number, the order, the search
 * index write(s), the first timeline event — and not one SELECT: nothing is read back, nothing is re-read per request.
 * On MariaDB the whole registration is one CALL (migration RegistrationInOneStatement): it starts its own transaction,
 * draws the number (the day's sequence row is locked from the draw to COMMIT), inserts the order with it, writes the
 * first event and the search outbox (and the repeat screening queue) rows, commits and writes the Mroonga row.
 * With attachments it is START, the order, the attachments' rows, the CALL of `complete_registration` and COMMIT.
 * SQLite draws the number first (one writer): BEGIN, the number, the order, the FTS row, the event, COMMIT — 4.
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

  it(`sends at most ${STATEMENT_BUDGET} statements besides BEGIN and COMMIT per warm registration, none of them a SELECT; one CALL on MariaDB`, async () => {
    await d.register('agent1'); // warms the caches (user, categories, units, deadline rules, calendar) and the login
    for (let i = 0; i < 3; i++) {
      const { result, statements } = await statementsOf(() => d.register('agent1', { title: `第${i}盏路灯不亮` }));
      expect(result.status).toBe('registered');
      const control = statements.filter((s) => TRANSACTION_CONTROL.test(s));
      const others = statements.filter((s) => !TRANSACTION_CONTROL.test(s));
      expect(others.filter((s) => /^\s*SELECT\b/i.test(s))).toEqual([]);
      expect(others.length).toBeLessThanOrEqual(STATEMENT_BUDGET);
      if (engine === 'mysql') {
        // The order, its event, the outbox row, the number, COMMIT and the Mroonga row: one round trip.
        expect(control).toEqual([]);
        expect(others).toHaveLength(1);
        expect(others[0]).toMatch(/^\s*CALL `register_work_order`/);
        continue;
      }
      expect(control.map((s) => s.trim().split(/\s+/)[0].toUpperCase())).toEqual(['BEGIN', 'COMMIT']);
      expect(others).toHaveLength(4);
      // The number, the order and its first event are written once each.
      expect(statements.filter((s) => /daily_sequences/.test(s))).toHaveLength(1);
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_orders[`"]?\s*\(/i.test(s))).toHaveLength(1);
      expect(others.filter((s) => /^\s*INSERT INTO [`"]?work_order_events[`"]?/i.test(s))).toHaveLength(1);
    }
  });

  if (engine === 'mysql') {
    it('rolls the whole CALL back when a statement inside it fails, and leaves its connection fit for the next registration', async () => {
      const dataSource = t.app.get(DataSource);
      const at = new Date('2031-03-04T02:00:00.000Z'); // a day of its own
      const day = t.app.get(WorkOrderNumbers).dayOf(at);
      const count = async () =>
        Object.fromEntries(
          await Promise.all(
            ['work_orders', 'work_order_events', 'work_order_search_pending', 'work_order_search'].map(async (table) => [
              table,
              Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n),
            ]),
          ),
        );
      t.clock.set(at);
      try {
        const first = await d.register('agent1', { title: '序号重置前' });
        expect(first.number).toBe(`${day}000001`);
        // The day's sequence lost (restored from an old backup, say): the next draw repeats a number that is taken, and
        // the order's INSERT fails after the draw wrote the day's sequence row.
        await dataSource.query('DELETE FROM daily_sequences WHERE day = ?', [day]);
        const before = await count();
        const refused = await t.post('agent1', '/api/work-orders', d.registration({ title: '序号重复' }));
        expect(refused.status).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        expect(await count()).toEqual(before);
        // Rolled back with the rest: the day's sequence row the CALL created is gone again.
        expect(await dataSource.query('SELECT lastValue FROM daily_sequences WHERE day = ?', [day])).toEqual([]);
        await dataSource.query('INSERT INTO daily_sequences (day, lastValue) VALUES (?, 1)', [day]);
        // Every connection of the pool is still in autocommit, with nothing left open: the next registrations commit.
        const next = await Promise.all(Array.from({ length: 12 }, (_, i) => d.register('agent1', { title: `序号恢复${i}` })));
        expect(next.map((o) => o.number).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `${day}${String(i + 2).padStart(6, '0')}`));
        const after = await count();
        expect(after.work_orders).toBe(before.work_orders + 12);
        expect(after.work_order_events).toBe(before.work_order_events + 12);
      } finally {
        t.clock.set(null);
      }
    });

    it('registers with attachments in a transaction (the attachments are bound inside it) and answers what is stored', async () => {
      const uploaded = await request(t.server)
        .post('/api/attachments')
        .set('Authorization', `Bearer ${await t.token('agent1')}`)
        .attach('file', Buffer.from('现场照片'), { filename: '现场.txt', contentType: 'text/plain' });
      expect(uploaded.status).toBe(201);
      const { result, statements } = await statementsOf(() => d.register('agent1', { attachmentIds: [uploaded.body.id] }));
      expect(statements.filter((s) => TRANSACTION_CONTROL.test(s)).map((s) => s.trim().split(/\s+/)[0].toUpperCase())).toEqual(['START', 'COMMIT']);
      expect(statements.filter((s) => /complete_registration/.test(s))).toHaveLength(1);
      expect(result.attachments).toEqual([expect.objectContaining({ id: uploaded.body.id, purpose: 'register' })]);
      const read = await t.get('agent1', `/api/work-orders/${result.id}`);
      expect({ number: read.body.number, createdAt: read.body.createdAt, attachments: read.body.attachments }).toEqual({
        number: result.number,
        createdAt: result.createdAt,
        attachments: result.attachments,
      });
    });
  }

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

  it('stores hostile text exactly as sent (the order\'s INSERT travels as SQL text on MariaDB)', async () => {
    const hostile = {
      title: `它's "引号" \\ 反斜杠 ? 问号 @jiesu_register_number 🚧`,
      content: `'); DROP TABLE work_orders; -- \n第二行\t制表 \\' \\\\ ?? :name $1 \u0000 NUL 😀 ${'长'.repeat(2000)}`,
      address: `东城区\\路 ' OR '1'='1`,
      citizenName: `O'Brien \\ 张`,
    };
    const registered = await d.register('agent1', hostile);
    const read = await t.get('agent1', `/api/work-orders/${registered.id}`);
    expect({ title: read.body.title, content: read.body.content, address: read.body.address, citizenName: read.body.citizenName }).toEqual(hostile);
    expect({ title: registered.title, content: registered.content, address: registered.address, citizenName: registered.citizenName }).toEqual(hostile);
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
 * With the repeat detector on (the production default): the request adds the detector's candidate lookup before the
 * transaction (from its window of recent orders; the database index only for what the window does not hold) and the
 * candidates' summaries with what the caller may open for `similarOrders` and one row of the screening queue inside it. Recording, repeat marks and hotspots run after
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

  it(`sends at most ${STATEMENT_BUDGET + 1} writes (one CALL on MariaDB) and 1 read per warm registration; the detector's writes come after`, async () => {
    await d.register('agent1');
    for (let i = 0; i < 3; i++) {
      captured = { request: [], screening: [] };
      const result = await d.register('agent1', { title: `第${i}盏路灯不亮`, citizenPhone: `1390000000${i}` });
      const { request, screening } = captured;
      captured = null;
      expect(result).toMatchObject({ status: 'registered', version: 1 });
      const reads = request.filter((s) => /^\s*SELECT\b/i.test(s));
      const writes = request.filter((s) => !/^\s*SELECT\b/i.test(s) && !TRANSACTION_CONTROL.test(s));
      // SQLite: BEGIN and COMMIT; MariaDB: none besides the CALL's own.
      expect(request.filter((s) => TRANSACTION_CONTROL.test(s))).toHaveLength(engine === 'mysql' ? 0 : 2);
      // The candidates shown (similarOrders): one read. The detector's candidates come from its window of recent orders,
      // which holds every order of a process that started on an empty index: not one read of the index
      // (recent-recordings.int-spec: the reads after a restart).
      expect(reads.length).toBeLessThanOrEqual(1);
      expect(reads.filter((s) => /matter_keys|matter_fingerprints/.test(s))).toEqual([]);
      expect(writes.length).toBeLessThanOrEqual(STATEMENT_BUDGET + 1);
      // The queue row: its own INSERT on SQLite, inside the registration's CALL on a server (the only write there).
      expect(writes.filter((s) => /repeat_screening_pending|register_work_order/.test(s))).toHaveLength(1);
      if (engine === 'mysql') expect(writes).toHaveLength(1);
      expect(writes.filter((s) => /matter_keys|matter_fingerprints|hotspots/.test(s))).toEqual([]);
      // After the answer: the order recorded in the detector's index — on a server one CALL of record_matter (its
      // fingerprint, keys and the glance at its matter), on SQLite the fingerprint's INSERT — and its queue row deleted.
      expect(screening.filter((s) => (engine === 'mysql' ? /^CALL `record_matter`/ : /INSERT\b.*matter_fingerprints/is).test(s))).toHaveLength(1);
      if (engine === 'mysql') expect(screening.filter((s) => /^\s*INSERT\b.*(matter_fingerprints|matter_keys)/is.test(s))).toEqual([]);
      expect(screening.filter((s) => /DELETE\b.*repeat_screening_pending/is.test(s))).toHaveLength(1);
    }
    expect(Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM repeat_screening_pending'))[0].n)).toBe(0);
  });
});
