import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { RepeatScreeningPending } from './entities/repeat-screening-pending.entity';
import { RepeatScreeningPendingRepository } from './repeat-screening-pending.repository';

const CLAIM_EXPIRES_MS = 5 * 60_000;

/** The repeat screening queue's table, several rows at a time (RepeatScreeningQueue claims and deletes in batches). */
describe.each(enginesUnderTest())('repeat screening queue rows (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let pending: RepeatScreeningPendingRepository;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    pending = t.app.get(RepeatScreeningPendingRepository);
    dataSource = t.app.get(DataSource);
  });

  afterAll(() => t.close());

  const queueRow = (workOrderId: number, queuedAt: Date, claimedAt: Date | null) =>
    dataSource.createQueryBuilder().insert().into(RepeatScreeningPending).values({ workOrderId, queuedAt, claimedAt }).execute();
  const rows = async () =>
    (await dataSource.getRepository(RepeatScreeningPending).find({ order: { workOrderId: 'ASC' } })).map((row) => ({ workOrderId: row.workOrderId, claimed: row.claimedAt !== null }));

  it('claims the rows no living process holds, in one statement, answers which; gives claims back; deletes together', async () => {
    const [a, b, c] = [await d.register('agent1'), await d.register('agent1'), await d.register('agent1')].map((o) => o.id);
    const now = t.clock.now();
    await queueRow(a, now, now); // claimed just now by another process
    await queueRow(b, now, null);
    await queueRow(c, now, new Date(now.getTime() - CLAIM_EXPIRES_MS - 1)); // its claimer died
    const at = new Date(now.getTime() + 1);
    const expired = new Date(at.getTime() - CLAIM_EXPIRES_MS);
    expect([...(await pending.claimAll([a, b, c], at, expired))].sort((x, y) => x - y)).toEqual([b, c]);
    // No rows: nothing to claim (no statement).
    expect([...(await pending.claimAll([], at, expired))]).toEqual([]);
    expect([...(await pending.claimAll([b, c], new Date(at.getTime() + 1), expired))]).toEqual([]);

    await pending.release([b]);
    expect(await rows()).toEqual([
      { workOrderId: a, claimed: true },
      { workOrderId: b, claimed: false },
      { workOrderId: c, claimed: true },
    ]);
    expect([...(await pending.claimAll([b], new Date(at.getTime() + 2), expired))]).toEqual([b]);

    await pending.removeAll([a, b, c]);
    await pending.removeAll([]);
    expect(await rows()).toEqual([]);
  });

  it('renews only the claims still made at the time the process holds them by', async () => {
    const [a, b, c] = [await d.register('agent1'), await d.register('agent1'), await d.register('agent1')].map((o) => o.id);
    const claimedAt = new Date(t.clock.now().getTime() - 2 * 60_000);
    const other = new Date(claimedAt.getTime() + 1);
    await queueRow(a, claimedAt, claimedAt);
    await queueRow(b, claimedAt, other); // taken over by another process meanwhile
    await queueRow(c, claimedAt, claimedAt);
    const now = t.clock.now();
    expect([...(await pending.renewClaims([a, b, c], claimedAt, now))].sort((x, y) => x - y)).toEqual([a, c]);
    expect([...(await pending.renewClaims([], claimedAt, now))]).toEqual([]);
    const claims = new Map((await dataSource.getRepository(RepeatScreeningPending).find()).map((row) => [row.workOrderId, row.claimedAt?.getTime()]));
    expect(claims).toEqual(new Map([[a, now.getTime()], [b, other.getTime()], [c, now.getTime()]]));
    // All of them renewed: answered without reading them back.
    const later = new Date(now.getTime() + 1);
    expect([...(await pending.renewClaims([a, c], now, later))].sort((x, y) => x - y)).toEqual([a, c]);
    await pending.removeAll([a, b, c]);
  });
});
