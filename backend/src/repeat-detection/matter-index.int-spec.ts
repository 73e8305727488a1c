import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { MatterKey } from './entities/matter-key.entity';
import { MatterIndexRepository } from './matter-index.repository';

/**
 * Recording an order in the detector's index (MatterIndexRepository.saveAndGlance): on MariaDB the fingerprint and its keys in
 * one CALL of `record_matter` (one transaction), elsewhere statement by statement — the same rows either way.
 */
describe.each(enginesUnderTest())('the detector’s index: recording an order (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let captured: string[] | null = null;
  const server = engine !== 'sqlite';

  beforeAll(async () => {
    // The detector off: the orders registered here are recorded by the test alone.
    t = await startTestApp(engine, { env: { REPEAT_DETECTION: 'off' } });
    const logger = t.app.get(DataSource).logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      captured?.push(query);
      logQuery(query, parameters, queryRunner);
    };
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(() => t?.close());

  function fingerprintOf(workOrderId: number, createdAt: Date): MatterFingerprint {
    return Object.assign(new MatterFingerprint(), {
      workOrderId,
      matterId: workOrderId,
      createdAt,
      citizenPhone: '13700020001',
      districtUnitId: d.unit('dc'),
      streetUnitId: d.unit('dc_dg'),
      categoryId: d.category('C010203'),
      requestType: 'complaint',
      features: JSON.stringify({ v: 5, text: [['电梯', 2]], note: '引号\'与反斜杠\\' }),
    });
  }

  it('stores the fingerprint and every key as given (the time to the millisecond, quotes and backslashes in the text), one statement on MariaDB', async () => {
    const order = await d.register();
    const createdAt = new Date('2026-12-07T03:04:05.678Z');
    const keys = ['c:abc', 'p:12:xyz', `t:${order.id}`];
    captured = [];
    await t.app.get(MatterIndexRepository).saveAndGlance(fingerprintOf(order.id, createdAt), keys, null);
    const sent = captured;
    captured = null;
    if (server) expect(sent).toEqual([expect.stringMatching(/^CALL `record_matter`/)]);
    else expect(sent).toHaveLength(2);
    const dataSource = t.app.get(DataSource);
    const stored = await dataSource.getRepository(MatterFingerprint).findOneByOrFail({ workOrderId: order.id });
    expect(stored).toEqual(expect.objectContaining({ ...fingerprintOf(order.id, createdAt) }));
    const storedKeys = await dataSource.getRepository(MatterKey).findBy({ workOrderId: order.id });
    expect(storedKeys.map((k) => [k.key, k.createdAt.toISOString()]).sort()).toEqual(keys.map((key) => [key, createdAt.toISOString()]).sort());
  });

  // SQLite has no procedure: statement by statement, as before.
  (server ? it : it.skip)('on MariaDB stores neither when the keys cannot be stored (record_matter is one transaction), and raises the error', async () => {
    const order = await d.register();
    const dataSource = t.app.get(DataSource);
    const at = '2026-12-07 03:04:05.678';
    // Another transaction holds the key row the procedure's INSERT IGNORE wants: it waits, and gives up after a second.
    const holder = dataSource.createQueryRunner();
    const caller = dataSource.createQueryRunner();
    try {
      await holder.startTransaction();
      await holder.query('INSERT INTO `matter_keys` (`key`, `createdAt`, `workOrderId`) VALUES (?, ?, ?)', ['c:held', at, order.id]);
      await caller.query('SET SESSION innodb_lock_wait_timeout = 1');
      const fingerprint = `INSERT INTO \`matter_fingerprints\` (\`workOrderId\`, \`matterId\`, \`createdAt\`, \`categoryId\`, \`requestType\`, \`features\`) VALUES (${order.id}, ${order.id}, '${at}', ${d.category('C010203')}, 'complaint', '{}')`;
      const keys = `INSERT IGNORE INTO \`matter_keys\` (\`key\`, \`createdAt\`, \`workOrderId\`) VALUES ('c:free', '${at}', ${order.id}), ('c:held', '${at}', ${order.id})`;
      await expect(caller.query('CALL `record_matter`(?, ?, ?)', [fingerprint, keys, null])).rejects.toThrow(/Lock wait timeout/);
      await holder.rollbackTransaction();
      expect(await dataSource.getRepository(MatterFingerprint).countBy({ workOrderId: order.id })).toBe(0);
      expect(await dataSource.getRepository(MatterKey).countBy({ workOrderId: order.id })).toBe(0);
      // The session goes on: the same CALL again stores both.
      await caller.query('CALL `record_matter`(?, ?, ?)', [fingerprint, keys, null]);
      expect(await dataSource.getRepository(MatterKey).countBy({ workOrderId: order.id })).toBe(2);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await caller.release();
    }
  });

  it('records an order and glances at the matter it joins in one go (one statement on MariaDB): the caller’s first order of the matter, whether it reaches a hotspot', async () => {
    const repository = t.app.get(MatterIndexRepository);
    const [first, second, third] = [await d.register(), await d.register(), await d.register()];
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 7, 8, minutes));
    const phoneOf = { [first.id]: '13700020011', [second.id]: '13700020012', [third.id]: '13700020011' };
    const ofMatter = (order: { id: number }, minutes: number) =>
      Object.assign(fingerprintOf(order.id, at(minutes)), { matterId: first.id, citizenPhone: phoneOf[order.id] });
    await repository.saveAndGlance(ofMatter(first, 0), [`c:m${first.id}`], null);
    await repository.saveAndGlance(ofMatter(second, 1), [`c:m${first.id}`], null);
    const question = (reaches: { minOrders: number; minCallers: number }) => ({
      matterId: first.id,
      since: at(0),
      until: at(2),
      caller: { citizenPhone: '13700020011', since: at(0), exceptId: third.id },
      reaches,
    });
    captured = [];
    const glance = await repository.saveAndGlance(ofMatter(third, 2), [`c:m${first.id}`], question({ minOrders: 3, minCallers: 2 }));
    const sent = captured;
    captured = null;
    if (server) expect(sent).toEqual([expect.stringMatching(/^CALL `record_matter`/)]);
    else expect(sent).toHaveLength(3);
    // The new order is counted: three orders from two callers; the caller's first order is the matter's first.
    expect(glance).toEqual({ firstOfCallerId: first.id, reachesHotspot: true });
    const fourth = await d.register();
    expect(await repository.saveAndGlance(Object.assign(fingerprintOf(fourth.id, at(3)), { matterId: first.id, citizenPhone: null }), [], { ...question({ minOrders: 5, minCallers: 2 }), until: at(3), caller: null })).toEqual({
      firstOfCallerId: null,
      reachesHotspot: false,
    });
  });
});
