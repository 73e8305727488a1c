import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ClusterBus, CLUSTER_RESYNC_CHANNEL, CLUSTER_SUBSCRIBED_CHANNEL } from '../cluster/cluster-bus';
import { checkRedisForTests, TEST_REDIS_URL } from '../testing/redis-availability';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { RepeatScreeningQueue } from '../work-orders/repeat-screening-queue.service';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { MatterKey } from './entities/matter-key.entity';
import type { MatterFeatures } from './matter-features';
import { MatterIndexRepository } from './matter-index.repository';
import { callerKey } from './matter-keys';
import type { MatterInput } from './repeat-candidate';
import { MAX_COMPARED, RECORDED_CHANNEL, RepeatDetector } from './repeat-detector';

/** One matter (a lift in a compound of 东关, dc_dg) in the words of several callers. */
const LIFT = { categoryCode: 'C010203', street: 'dc_dg', address: '东关街道东关新村5栋' };
const WORDS = [
  ['东关新村5栋电梯停运', '东关新村5栋电梯停运两天了，楼上老人下不了楼，请督促物业尽快修好电梯。'],
  ['东关新村5栋电梯坏了', '东关新村5栋的电梯坏了好几天，住高层的老人没法出门，请尽快维修电梯。'],
  ['东关新村5栋电梯一直不修', '东关新村5栋电梯停了好几天还没修，老人上下楼很困难，请尽快修复电梯。'],
  ['东关新村5栋电梯困人', '东关新村5栋电梯昨天又困人了，物业一直拖着不修，请监管部门督促检修电梯。'],
  ['东关新村5栋电梯停了', '东关新村5栋电梯停了，高层住户出行困难，请有关部门督促物业尽快修复。'],
];

/**
 * The detector's window of recent orders (RecentRecordings) in a running application: a lookup finds what the
 * database index alone finds, reading from the database only what the window does not hold — nothing while it holds
 * every order (a process that started on an empty index), the older orders after a restart — and it hears the orders
 * other processes record.
 */
describe.each(enginesUnderTest().flatMap((engine) => [[engine, 'one node'] as const, [engine, 'with Redis'] as const]))('the repeat detector’s window of recent orders (%s, %s)', (engine, nodes) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let captured: string[] | null = null;
  let redis = false;

  async function start(): Promise<void> {
    const logger = t.app.get(DataSource).logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      captured?.push(parameters?.length ? `${query} -- ${JSON.stringify(parameters, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value))}` : query);
      logQuery(query, parameters, queryRunner);
    };
    d = await new WorkOrderDriver(t).load();
  }

  beforeAll(async () => {
    redis = nodes === 'with Redis' && (await checkRedisForTests('the repeat window’s tests with Redis'));
    // With REDIS_URL (several nodes) the window opens once the process's Redis subscription is in place.
    const env: Record<string, string> = redis ? { REPEAT_DETECTION: 'on', REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `jiesu-test:${randomUUID()}:` } : { REPEAT_DETECTION: 'on' };
    t = await startTestApp(engine, { env });
    if (redis) {
      // The subscription in place before the first registration (as a node that has been up a moment).
      const admin = new Redis(TEST_REDIS_URL);
      try {
        while (Number(((await admin.pubsub('NUMSUB', `${env.REDIS_KEY_PREFIX}bus`)) as [string, number])[1]) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        admin.disconnect();
      }
    }
    await start();
  });

  afterAll(() => t?.close());

  /** Skipped (with the notice above) when Redis does not answer. */
  const test = (name: string, body: () => Promise<void>) => it(name, async () => (nodes === 'one node' || redis ? body() : undefined));

  let calls = 0;
  async function register(words: string[]): Promise<number> {
    const response = await t.post('agent1', '/api/work-orders', {
      channel: 'phone',
      citizenName: '测试市民',
      citizenPhone: `1370001${String(calls++).padStart(4, '0')}`,
      address: LIFT.address,
      districtUnitId: d.unit('dc'),
      streetUnitId: d.unit(LIFT.street),
      categoryId: d.category(LIFT.categoryCode),
      title: words[0],
      content: words[1],
    });
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    await t.app.get(RepeatScreeningQueue).settled();
    return response.body.id as number;
  }

  function lookedUp(phone: string): MatterInput {
    return {
      title: '东关新村5栋电梯又坏了',
      content: '东关新村5栋电梯又坏了，老人被困在家里出不了门，请尽快督促物业维修电梯。',
      address: LIFT.address,
      citizenPhone: phone,
      districtUnitId: d.unit('dc'),
      streetUnitId: d.unit(LIFT.street),
      categoryId: d.category(LIFT.categoryCode),
      requestType: 'complaint',
      createdAt: t.clock.now(),
    };
  }

  /** The orders a lookup compares, and the statements it sent to the detector's index. */
  async function lookUp(matter: MatterInput): Promise<{ compared: number[]; indexReads: string[] }> {
    const detector = t.app.get(RepeatDetector);
    const features = await detector.featuresOf(matter);
    captured = [];
    const lookup = await detector.lookUp(matter, { features });
    const indexReads = captured.filter((s) => /matter_keys/.test(s));
    captured = null;
    return { compared: lookup.compared.map((c) => c.workOrderId).sort((a, b) => a - b), indexReads };
  }

  /** The same lookup through the database index alone (MatterIndexRepository.candidates, as before the window). */
  async function fromDatabase(matter: MatterInput): Promise<number[]> {
    const detector = t.app.get(RepeatDetector);
    const keys = detector.keysOf(matter, await detector.featuresOf(matter));
    const { repeatWindowDays, hotspotWindowDays } = detector.windows;
    const since = new Date(matter.createdAt.getTime() - Math.max(repeatWindowDays, hotspotWindowDays) * 24 * 60 * 60 * 1000);
    const rows = await t.app.get(MatterIndexRepository).candidates(keys, since, 40, MAX_COMPARED, null, undefined, callerKey(matter.citizenPhone!));
    return rows.map((row) => row.workOrderId).sort((a, b) => a - b);
  }

  test('holds every order of a process that started on an empty index: a lookup reads nothing from the index and finds what the index finds', async () => {
    const ids: number[] = [];
    for (const words of WORDS.slice(0, 3)) ids.push(await register(words));
    const matter = lookedUp('13700019999');
    const { compared, indexReads } = await lookUp(matter);
    expect(compared).toEqual(ids);
    expect(compared).toEqual(await fromDatabase(matter));
    expect(indexReads).toEqual([]);
  });

  test('after a restart reads the orders recorded before it from the index (one statement, bounded by time) and holds the later ones', async () => {
    await t.restart();
    await start();
    // The new process's first detection opens its window: the orders stored so far are the database's to answer.
    const later: number[] = [];
    for (const words of WORDS.slice(3)) later.push(await register(words));
    const matter = lookedUp('13700019998');
    const { compared, indexReads } = await lookUp(matter);
    expect(compared).toEqual(await fromDatabase(matter));
    expect(compared).toEqual(expect.arrayContaining(later));
    expect(compared).toHaveLength(WORDS.length);
    expect(indexReads).toHaveLength(1);
    expect(indexReads[0]).toMatch(/createdAt\W* < \?/);
    // The index's answer for those keys is kept (the older orders stay as they are): the same lookup again, and the
    // screening's second look at a registration, read nothing from it.
    const again = await lookUp(matter);
    expect(again.compared).toEqual(compared);
    expect(again.indexReads).toEqual([]);
  });

  test('starts again from now when messages from other nodes may have been lost (cluster resync): the earlier orders come from the index', async () => {
    const matter = lookedUp('13700019997');
    t.app.get(ClusterBus).publish(CLUSTER_RESYNC_CHANNEL);
    const { compared, indexReads } = await lookUp(matter);
    expect(compared).toEqual(await fromDatabase(matter));
    expect(compared).toHaveLength(WORDS.length);
    expect(indexReads).toHaveLength(1);
  });

  test('starts again from now when its Redis subscription is in place again (with Redis; on one node nothing is waited for)', async () => {
    const matter = lookedUp('13700019994');
    const before = await lookUp(matter);
    // Each statement of the index reads holds the keys the window cannot answer; a window started again holds none.
    t.app.get(ClusterBus).publish(CLUSTER_SUBSCRIBED_CHANNEL);
    const after = await lookUp(matter);
    expect(after.compared).toEqual(before.compared);
    expect(after.compared).toEqual(await fromDatabase(matter));
    expect(after.indexReads).toHaveLength(1);
  });

  test('hears the orders another process records (the cluster bus): an order its window would not hold otherwise is compared', async () => {
    const detector = t.app.get(RepeatDetector);
    const dataSource = t.app.get(DataSource);
    const heardOf = await register(['东关新村5栋电梯又停了', '东关新村5栋电梯又停了，老人下不了楼，请督促物业马上维修电梯。']);
    // The window starts again from now, and the order is stored again as another process records it: later than the
    // window's floor, straight into the index (no message: the window does not know it).
    t.app.get(ClusterBus).publish(CLUSTER_RESYNC_CHANNEL);
    const [stored] = await dataSource.getRepository(MatterFingerprint).findBy({ workOrderId: heardOf });
    const recordedAt = new Date(t.clock.now().getTime() + 1000);
    const keys = detector.keysOf(stored, JSON.parse(stored.features) as MatterFeatures);
    await dataSource.getRepository(MatterKey).delete({ workOrderId: heardOf });
    await dataSource.getRepository(MatterFingerprint).delete({ workOrderId: heardOf });
    await t.app.get(MatterIndexRepository).saveAndGlance(Object.assign(new MatterFingerprint(), { ...stored, createdAt: recordedAt }), keys, null);
    const matter = { ...lookedUp('13700019996'), createdAt: new Date(recordedAt.getTime() + 1000) };
    expect(await fromDatabase(matter)).toContain(heardOf);
    expect((await lookUp(matter)).compared).not.toContain(heardOf);

    // The other process's message arrives: the window holds it, and it is compared (its features read once).
    const { features: _features, workOrder: _order, ...facts } = stored;
    t.app.get(ClusterBus).publish(RECORDED_CHANNEL, { origin: 'another-process', orders: [{ ...facts, createdAt: recordedAt.getTime(), keys }] });
    const heard = await lookUp(matter);
    expect(heard.compared).toContain(heardOf);
    expect(heard.compared).toEqual(await fromDatabase(matter));

    // What is not such a message is ignored (logged).
    t.app.get(ClusterBus).publish(RECORDED_CHANNEL, { origin: 'another-process', orders: 'none' });
    t.app.get(ClusterBus).publish(RECORDED_CHANNEL, { origin: 'another-process', orders: [{ workOrderId: 9_000_002, keys: 'c:x' }] });
    expect((await lookUp(matter)).compared).toEqual(heard.compared);

    // An order recorded by another process with its features in the message (as this version sends them): compared
    // without reading its features from the database.
    const withFeatures = await register(['东关新村5栋电梯门关不上', '东关新村5栋电梯门关不上，电梯一直停在一楼，请物业尽快维修。']);
    t.app.get(ClusterBus).publish(CLUSTER_RESYNC_CHANNEL);
    const [storedToo] = await dataSource.getRepository(MatterFingerprint).findBy({ workOrderId: withFeatures });
    const alsoAt = new Date(recordedAt.getTime() + 500);
    const keysToo = detector.keysOf(storedToo, JSON.parse(storedToo.features) as MatterFeatures);
    await dataSource.getRepository(MatterKey).delete({ workOrderId: withFeatures });
    await dataSource.getRepository(MatterFingerprint).delete({ workOrderId: withFeatures });
    await t.app.get(MatterIndexRepository).saveAndGlance(Object.assign(new MatterFingerprint(), { ...storedToo, createdAt: alsoAt }), keysToo, null);
    const { features: featuresToo, workOrder: _orderToo, ...factsToo } = storedToo;
    // (A restarted app has none of the orders' features in memory: they would be read from the database.)
    await t.restart();
    await start();
    t.app.get(ClusterBus).publish(RECORDED_CHANNEL, {
      origin: 'another-process',
      orders: [{ ...factsToo, createdAt: alsoAt.getTime(), keys: keysToo, features: JSON.parse(featuresToo) as MatterFeatures }],
    });
    captured = [];
    const withHeard = await t.app.get(RepeatDetector).lookUp(matter, { features: await t.app.get(RepeatDetector).featuresOf(matter) });
    const featureReads = captured.filter((statement) => /`?features`?/.test(statement) && !/matter_keys/.test(statement));
    captured = null;
    expect(withHeard.compared.map((c) => c.workOrderId)).toContain(withFeatures);
    expect(featureReads.join('\n')).not.toMatch(new RegExp(`\\b${withFeatures}\\b`));
  });
});
