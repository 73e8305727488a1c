import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(enginesUnderTest())("a child order is never due after its parent (%s)", (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  /** A parent led by 东城区 (dc) in processing, and an accepted child at 朝阳街道 (dc_cy) due halfway to the parent's deadline. */
  async function parentAndChild(): Promise<{ parent: OrderBody; child: OrderBody; parentDue: number; childDue: number }> {
    // A fixed Monday morning: deadlines run on working time, so the real date would change what they are.
    t.clock.set(new Date('2026-03-09T09:00:00+08:00'));
    const parent = await d.processing('dc');
    const parentDue = new Date(parent.replyDueAt as string).getTime();
    const childDue = t.clock.now().getTime() + Math.floor((parentDue - t.clock.now().getTime()) / 2);
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道处理', replyDueAt: iso(childDue) });
    const child = await d.act('dc_cy_handler', withChild.children[0].id, 'accept');
    return { parent: await d.read(parent.id), child, parentDue, childDue };
  }

  it("an extension beyond the parent's deadline can be neither requested nor approved", async () => {
    const { parent, child, parentDue, childDue } = await parentAndChild();
    const tooLate = await d.try('dc_cy_handler', child.id, 'request-extension', { requestedDueAt: iso(parentDue + 24 * HOUR), reason: '需要更多时间' });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.message).toMatch(/may not be later than the parent's/);

    // Asked within the parent's deadline, then the parent's deadline moves earlier (督办): approving is refused.
    const asked = childDue + Math.floor((parentDue - childDue) / 2);
    await d.act('dc_cy_handler', child.id, 'request-extension', { requestedDueAt: iso(asked), reason: '需要更多时间' });
    const parentEarlier = childDue + Math.floor((asked - childDue) / 2);
    await d.act('supervisor1', parent.id, 'supervise', { instruction: '加快办理', replyDueAt: iso(parentEarlier) });
    const approve = await d.try('dc_handler', child.id, 'approve-extension');
    expect(approve.status).toBe(422);
    expect(approve.body.message).toMatch(/may not be later than the parent's/);
    expect((await d.read(child.id)).replyDueAt).toBe(iso(childDue));
    // Refusing it is always possible.
    expect((await d.try('dc_handler', child.id, 'refuse-extension', { reason: '超过父工单期限' })).status).toBe(200);
  });

  it("supervising a child with a deadline after its parent's is refused; within it, accepted", async () => {
    const { child, parentDue } = await parentAndChild();
    const beyond = await d.try('supervisor1', child.id, 'supervise', { instruction: '督办', replyDueAt: iso(parentDue + HOUR) });
    expect(beyond.status).toBe(422);
    expect(beyond.body.message).toMatch(/may not be later than the parent's/);
    expect((await d.act('supervisor1', child.id, 'supervise', { instruction: '督办', replyDueAt: iso(parentDue) })).replyDueAt).toBe(iso(parentDue));
  });

  it("moving the parent's deadline before an open child's is refused until the child is supervised first", async () => {
    const { parent, child, childDue } = await parentAndChild();
    const earlier = t.clock.now().getTime() + Math.floor((childDue - t.clock.now().getTime()) / 2);
    const refused = await d.try('supervisor1', parent.id, 'supervise', { instruction: '提前办结', replyDueAt: iso(earlier) });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(child.number);
    await d.act('supervisor1', child.id, 'supervise', { instruction: '提前办结', replyDueAt: iso(earlier) });
    expect((await d.act('supervisor1', parent.id, 'supervise', { instruction: '提前办结', replyDueAt: iso(earlier) })).replyDueAt).toBe(iso(earlier));
  });

  it("resuming a suspended child moves its deadline on, but never past the parent's", async () => {
    const { parent, child, parentDue } = await parentAndChild();
    const start = t.clock.now().getTime();
    t.clock.set(new Date(start));
    await d.act('dc_handler', child.id, 'suspend', { reason: '等待市民补充材料' });
    t.clock.set(new Date(start + (parentDue - start) * 0.8));
    const resumed = await d.act('dc_handler', child.id, 'resume');
    expect(resumed.replyDueAt).toBe(parent.replyDueAt);
    expect(resumed.timeline.at(-1)?.payload).toMatchObject({ replyDueAtCappedByParent: parent.replyDueAt });
  });

  it("a child's extension approved while the parent is supervised earlier, in parallel: never both", async () => {
    for (let round = 0; round < 6; round++) {
      const { parent, child, parentDue, childDue } = await parentAndChild();
      const asked = childDue + Math.floor((parentDue - childDue) / 2);
      const requested = await d.act('dc_cy_handler', child.id, 'request-extension', { requestedDueAt: iso(asked), reason: '需要更多时间' });
      // The parent's new deadline lies between the child's current one and the extension asked for.
      const parentEarlier = childDue + Math.floor((asked - childDue) / 2);
      const [approve, supervise] = await Promise.all([
        d.try('dc_handler', child.id, 'approve-extension', { version: requested.version }),
        d.try('supervisor1', parent.id, 'supervise', { version: parent.version, instruction: '加快办理', replyDueAt: iso(parentEarlier) }),
      ]);
      expect([approve.status, supervise.status].filter((status) => status === 200)).toHaveLength(1);
      const [parentNow, childNow] = [await d.read(parent.id), await d.read(child.id)];
      expect(new Date(childNow.replyDueAt as string).getTime()).toBeLessThanOrEqual(new Date(parentNow.replyDueAt as string).getTime());
    }
  });
});
