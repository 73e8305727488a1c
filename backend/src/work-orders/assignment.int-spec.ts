import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';

/** 分派: the lead unit's admin gives an order to one of the unit's staff; handlers list what is theirs. */
describe.each(enginesUnderTest())('assignment inside the lead unit (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const ids = new Map<string, number>();
  const userId = async (username: string): Promise<number> => {
    // Read from the database: an inactive user cannot log in to ask /api/me.
    if (!ids.has(username)) ids.set(username, (await t.app.get(DataSource).getRepository(User).findOneByOrFail({ username })).id);
    return ids.get(username) as number;
  };
  const inbox = async (username: string, query = 'assignee=me'): Promise<number[]> => {
    const response = await t.get(username, `/api/work-orders?${query}&pageSize=100`);
    expect(response.status).toBe(200);
    return response.body.items.map((o: OrderBody) => o.id);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // A second handler of the bureau and an inactive one, to assign between.
    const passwordHash = await t.app.get(PasswordHasher).hash(DEMO_PASSWORD);
    const users = t.app.get(DataSource).getRepository(User);
    await users.save([
      users.create({ username: 'cgj_handler2', displayName: '城管局承办人二', role: 'handler', unitId: d.unit('cgj'), passwordHash }),
      users.create({ username: 'cgj_gone', displayName: '城管局离职人员', role: 'handler', unitId: d.unit('cgj'), passwordHash, active: false }),
    ]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('assigns to a handler of the unit, reassigns to another one, and tells the assignee', async () => {
    const order = await d.processing('cgj');
    const [handler, handler2] = [await userId('cgj_handler'), await userId('cgj_handler2')];
    expect(order.assignee).toBeNull();
    expect(order.allowedActions).not.toContain('assign'); // the handler's view

    const admin = await t.get('cgj_admin', `/api/work-orders/${order.id}`);
    expect(admin.body.allowedActions).toContain('assign');
    const assigned = await d.act('cgj_admin', order.id, 'assign', { assigneeId: handler, note: '请负责办理' });
    expect(assigned).toMatchObject({ status: 'processing', assigneeId: handler, assignee: { id: handler, displayName: '云川市城市管理局承办人' } });
    expect(assigned.timeline.at(-1)).toMatchObject({
      action: 'assign',
      fromStatus: 'processing',
      toStatus: 'processing',
      actorRole: 'unit_admin',
      reason: '请负责办理',
      payload: { assigneeId: handler, assigneeName: '云川市城市管理局承办人', previousAssigneeId: null },
    });
    // Assigning changes no deadline: the scheduler's next look stays where it was.
    expect(assigned.deadlineCheckAt).toBe(order.deadlineCheckAt);

    const reassigned = await d.act('cgj_admin', order.id, 'assign', { assigneeId: handler2 });
    expect(reassigned.assignee).toEqual({ id: handler2, displayName: '城管局承办人二' });
    expect(reassigned.timeline.at(-1)?.payload).toEqual({ assigneeId: handler2, assigneeName: '城管局承办人二', previousAssigneeId: handler });

    // The bell: each assignee got a work_order.assigned notification for the assignment (besides the dispatch's).
    for (const username of ['cgj_handler', 'cgj_handler2']) {
      const bell = await t.get(username, '/api/notifications');
      const mine = bell.body.items.filter((n: { kind: string; workOrderId: number; title: string }) => n.kind === 'work_order.assigned' && n.workOrderId === order.id && n.title.startsWith('分派'));
      expect(mine).toEqual([expect.objectContaining({ title: `分派工单 ${order.number}：朝阳路路灯不亮` })]);
    }
  });

  it('refuses the same person again, staff of another unit, center staff, inactive and unknown users with 422', async () => {
    const order = await d.processing('cgj');
    const handler = await userId('cgj_handler');
    await d.act('cgj_admin', order.id, 'assign', { assigneeId: handler });
    const cases: [number, RegExp][] = [
      [handler, /already assigned to 云川市城市管理局承办人/],
      [await userId('zjj_handler'), /not a handler or admin of the lead unit 云川市城市管理局/],
      [await userId('dispatcher1'), /not a handler or admin of the lead unit/],
      [await userId('cgj_gone'), /inactive/],
      [999_999, /User 999999 does not exist/],
    ];
    for (const [assigneeId, message] of cases) {
      const refused = await d.try('cgj_admin', order.id, 'assign', { assigneeId });
      expect({ assigneeId, status: refused.status }).toEqual({ assigneeId, status: 422 });
      expect(refused.body.message).toMatch(message);
    }
    // The unit's admin may take the order themself.
    const self = await d.act('cgj_admin', order.id, 'assign', { assigneeId: await userId('cgj_admin') });
    expect(self.assignee).toMatchObject({ id: await userId('cgj_admin') });
  });

  it('only the lead unit’s admin assigns (403), while processing or in the unit’s review (409 otherwise)', async () => {
    const order = await d.processing('cgj');
    const handler = await userId('cgj_handler');
    const byHandler = await d.try('cgj_handler', order.id, 'assign', { assigneeId: handler });
    expect(byHandler.status).toBe(403);
    expect(byHandler.body.message).toMatch(/handler.*may not assign/);
    expect((await d.try('dispatcher1', order.id, 'assign', { assigneeId: handler })).status).toBe(403);
    expect((await d.try('zjj_admin', order.id, 'assign', { assigneeId: handler })).status).toBe(404);

    const dispatched = await d.dispatched('cgj');
    const early = await d.try('cgj_admin', dispatched.id, 'assign', { assigneeId: handler });
    expect(early.status).toBe(409);
    expect(early.body.details).toMatchObject({ status: 'dispatched' });
    expect(early.body.details.allowedActions).not.toContain('assign');

    const bad = await d.try('cgj_admin', order.id, 'assign', { assigneeId: 'someone' });
    expect(bad.status).toBe(400);
  });

  it("lists a handler's inbox with ?assignee=me, and one user's orders with ?assigneeId for the admin and the center", async () => {
    const [handler, handler2] = [await userId('cgj_handler'), await userId('cgj_handler2')];
    const mine = await d.processing('cgj');
    const theirs = await d.processing('cgj');
    const unassigned = await d.processing('cgj');
    await d.act('cgj_admin', mine.id, 'assign', { assigneeId: handler });
    await d.act('cgj_admin', theirs.id, 'assign', { assigneeId: handler2 });

    const first = await inbox('cgj_handler');
    expect(first).toContain(mine.id);
    expect(first).not.toContain(theirs.id);
    expect(first).not.toContain(unassigned.id);
    expect(await inbox('cgj_handler2')).toContain(theirs.id);
    expect(await inbox('cgj_handler2')).not.toContain(mine.id);

    // The unit's admin and the center look at one person's orders; scoped as every list (another unit sees none).
    expect(await inbox('cgj_admin', `assigneeId=${handler2}`)).toEqual(expect.arrayContaining([theirs.id]));
    expect(await inbox('cgj_admin', `assigneeId=${handler2}`)).not.toContain(mine.id);
    expect(await inbox('supervisor1', `assigneeId=${handler}`)).toContain(mine.id);
    expect(await inbox('zjj_admin', `assigneeId=${handler}`)).toEqual([]);
    // The list shows the assignee too.
    const listed = (await t.get('cgj_admin', `/api/work-orders?assigneeId=${handler2}&pageSize=100`)).body.items.find((o: OrderBody) => o.id === theirs.id);
    expect(listed.assignee).toEqual({ id: handler2, displayName: '城管局承办人二' });

    // A handler lists only their own.
    const nosy = await t.get('cgj_handler', `/api/work-orders?assigneeId=${handler2}`);
    expect(nosy.status).toBe(403);
    expect((await t.get('cgj_handler', `/api/work-orders?assigneeId=${handler}`)).status).toBe(200);
    expect((await t.get('cgj_handler', '/api/work-orders?assignee=someone')).status).toBe(400);
    expect((await t.get('cgj_admin', `/api/work-orders?assignee=me&assigneeId=${handler}`)).status).toBe(422);
  });

  it('dispatch elsewhere (recall) clears the assignee', async () => {
    const order = await d.processing('cgj');
    await d.act('cgj_admin', order.id, 'assign', { assigneeId: await userId('cgj_handler') });
    const moved = await d.act('dispatcher1', order.id, 'recall', { reason: '改派住建局', leadUnitId: d.unit('zjj') });
    expect(moved).toMatchObject({ status: 'dispatched', assigneeId: null, assignee: null });
  });
});
