import type { INestApplication } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { AppModule } from '../app.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import type { NotificationCreatedEvent } from '../events/app-events';
import { OpenApiConformance } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { NOTIFICATION_CHANNEL, type NotificationChannel, type OutboundNotification } from './notification-channel';
import type { NotificationContent, NotificationView } from './notification.view';
import { NotificationsService } from './notifications.service';

interface Me {
  id: number;
  unitId: number;
}

/** A channel that records what it is asked to send and lets a test wait for the next send. */
class RecordingChannel implements NotificationChannel {
  readonly name = 'recording';
  readonly sent: OutboundNotification[] = [];
  private waiters: ((notification: OutboundNotification) => void)[] = [];

  send(notification: OutboundNotification): Promise<void> {
    this.sent.push(notification);
    this.waiters.shift()?.(notification);
    return Promise.resolve();
  }

  next(): Promise<OutboundNotification> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

const content = (overrides: Partial<NotificationContent> = {}): NotificationContent => ({
  kind: 'deadline.yellow',
  title: '工单即将到期：请尽快答复',
  body: '答复时限还剩 2 个工作小时',
  payload: { deadline: 'replyDueAt', dueAt: '2026-12-02T09:30:00.000Z', level: 1, units: ['dc_cy'] },
  ...overrides,
});

describe.each(enginesUnderTest())('notifications (%s)', (engine) => {
  let t: TestApp;
  let service: NotificationsService;
  let api: OpenApiConformance;
  const users = new Map<string, Me>();

  const me = async (username: string): Promise<Me> => {
    const known = users.get(username);
    if (known) return known;
    const response = await t.get(username, '/api/me');
    const found = { id: response.body.id as number, unitId: response.body.unitId as number };
    users.set(username, found);
    return found;
  };
  const conforms = (path: string, method: string, response: request.Response) => expect(api.problemsOf(path, method, response)).toEqual([]);
  const list = (username: string, query = '') => t.get(username, `/api/notifications${query}`);

  beforeAll(async () => {
    t = await startTestApp(engine);
    service = t.app.get(NotificationsService);
    api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body);
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists what was notified for the user only, counts the unread, reads one and then all', async () => {
    const handler = await me('dc_cy_handler');
    await me('cgj_handler');
    const [first] = await service.notifyUsers([handler.id], content());
    const [second] = await service.notifyUsers([handler.id, handler.id], content({ kind: 'deadline.red', title: '工单已逾期', workOrderId: null, payload: null, body: null }));

    const listed = await list('dc_cy_handler');
    expect(listed.status).toBe(200);
    conforms('/api/notifications', 'get', listed);
    expect(listed.body).toEqual({ items: [second, first], unreadCount: 2, nextCursor: null });
    expect(listed.body.items[1]).toMatchObject({
      kind: 'deadline.yellow',
      title: '工单即将到期：请尽快答复',
      payload: { deadline: 'replyDueAt', dueAt: '2026-12-02T09:30:00.000Z', level: 1, units: ['dc_cy'] },
      readAt: null,
    });
    expect((await list('cgj_handler')).body).toEqual({ items: [], unreadCount: 0, nextCursor: null });

    const read = await t.post('dc_cy_handler', `/api/notifications/${first.id}/read`);
    expect(read.status).toBe(200);
    conforms('/api/notifications/{id}/read', 'post', read);
    expect(read.body).toEqual({ ...first, readAt: expect.any(String) });
    const again = await t.post('dc_cy_handler', `/api/notifications/${first.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);

    const unread = await list('dc_cy_handler', '?unreadOnly=true');
    expect(unread.body).toEqual({ items: [second], unreadCount: 1, nextCursor: null });

    const all = await t.post('dc_cy_handler', '/api/notifications/read-all');
    expect(all.status).toBe(200);
    conforms('/api/notifications/read-all', 'post', all);
    expect(all.body).toEqual({ updated: 1 });
    expect((await t.post('dc_cy_handler', '/api/notifications/read-all')).body).toEqual({ updated: 0 });
    const after = await list('dc_cy_handler');
    expect(after.body.unreadCount).toBe(0);
    expect(after.body.items.map((n: NotificationView) => n.readAt)).toEqual([expect.any(String), read.body.readAt]);
  });

  it('answers 404 for another user’s notification and for one that does not exist, and leaves it unread', async () => {
    const handler = await me('dc_cy_handler');
    const [mine] = await service.notifyUsers([handler.id], content({ kind: 'supervision', title: '督办：请于明日前答复' }));
    for (const id of [mine.id, 2_000_000_000]) {
      const response = await t.post('cgj_handler', `/api/notifications/${id}/read`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: `Notification ${id} does not exist`, correlationId: expect.any(String) });
      conforms('/api/notifications/{id}/read', 'post', response);
    }
    // Ids no row can have: still a plain 404, never a database error.
    for (const id of ['-1', '0', '99999999999999999999']) {
      const response = await t.post('cgj_handler', `/api/notifications/${id}/read`);
      expect({ id, status: response.status }).toEqual({ id, status: 404 });
    }
    expect((await list('dc_cy_handler', '?unreadOnly=true')).body.items).toEqual([mine]);
  });

  it('pages newest first by cursor, also for unread only', async () => {
    const admin = await me('dc_admin');
    const created: NotificationView[] = [];
    for (let i = 1; i <= 5; i++) created.push(...(await service.notifyUsers([admin.id], content({ title: `提醒 ${i}` }))));
    await t.post('dc_admin', `/api/notifications/${created[1].id}/read`);
    const newestFirst = [...created].reverse().map((n) => n.id);

    const walk = async (query: string): Promise<number[]> => {
      const ids: number[] = [];
      let cursor: string | null = null;
      do {
        const response = await list('dc_admin', `?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        conforms('/api/notifications', 'get', response);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        expect(response.body.unreadCount).toBe(4);
        ids.push(...response.body.items.map((n: NotificationView) => n.id));
        cursor = response.body.nextCursor;
      } while (cursor !== null);
      return ids;
    };
    expect(await walk('')).toEqual(newestFirst);
    expect(await walk('&unreadOnly=true')).toEqual(newestFirst.filter((id) => id !== created[1].id));
    expect((await list('dc_admin', '?limit=100')).body.items).toHaveLength(5);
  });

  it.each([
    ['cursor=abc', /cursor must be the nextCursor of a previous page/],
    ['cursor=0', /cursor must be/],
    ['cursor=-5', /cursor must be/],
    ['cursor=1.5', /cursor must be/],
    ['cursor=99999999999', /cursor must be/],
    ['cursor=1&cursor=2', /cursor must be/],
    ['limit=0', /limit must not be less than 1/],
    ['limit=101', /limit must not be greater than 100/],
    ['limit=abc', /limit must be a whole number/],
    ['limit=2.5', /limit must be a whole number/],
    ['unreadOnly=yes', /unreadOnly must be true or false/],
    ['page=2', /property page should not exist/],
  ])('refuses ?%s with 400 and a clear message', async (query, message) => {
    const response = await list('dc_cy_handler', `?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', correlationId: expect.any(String) });
    expect(response.body.message).toMatch(message);
    conforms('/api/notifications', 'get', response);
  });

  it('refuses a notification id that is not a whole number with 400', async () => {
    const response = await t.post('dc_cy_handler', '/api/notifications/abc/read');
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('The notification id must be a whole number');
    conforms('/api/notifications/{id}/read', 'post', response);
  });

  it('needs a login', async () => {
    const response = await request(t.server).get('/api/notifications');
    expect(response.status).toBe(401);
    conforms('/api/notifications', 'get', response);
  });

  it('shortens a title longer than 200 characters instead of failing the caller', async () => {
    const handler = await me('dc_cy_handler');
    const [view] = await service.notifyUsers([handler.id], content({ title: `${'路灯不亮'.repeat(60)}` }));
    expect(view.title).toHaveLength(200);
    expect(view.title.endsWith('…')).toBe(true);
    expect((await list('dc_cy_handler', '?limit=1')).body.items[0].title).toBe(view.title);
  });

  it('notifies the active users of units, only the roles asked for', async () => {
    const street = await me('dc_cy_admin');
    const streetHandler = await me('dc_cy_handler');
    const bureau = await me('cgj_admin');
    const views = await service.notifyUnits([street.unitId, bureau.unitId], ['unit_admin'], content({ kind: 'escalation', title: '逾期升级：请单位负责人督促办理' }));
    expect(views).toHaveLength(2);
    const escalations = async (username: string) =>
      (await list(username, '?limit=100')).body.items.filter((n: NotificationView) => n.kind === 'escalation').map((n: NotificationView) => n.id);
    expect(await escalations('dc_cy_admin')).toHaveLength(1);
    expect(await escalations('cgj_admin')).toHaveLength(1);
    expect(await escalations('dc_cy_handler')).toEqual([]);

    const everyone = await service.notifyUnits([street.unitId], null, content({ kind: 'repeat', title: '重复件：同一诉求人再次来电' }));
    expect(everyone.length).toBeGreaterThanOrEqual(2);
    expect(await service.notifyUnits([street.unitId], [], content())).toEqual([]);
    expect(streetHandler.unitId).toBe(street.unitId);
  });

  it('announces a notification only after the caller’s transaction commits, and never when it rolls back', async () => {
    const handler = await me('dc_cy_handler');
    const heard: NotificationCreatedEvent[] = [];
    const emitter = t.app.get(EventEmitter2);
    const listener = (event: NotificationCreatedEvent) => heard.push(event);
    emitter.on('notification.created', listener);
    try {
      const transactions = t.app.get(TransactionService);
      const before = (await list('dc_cy_handler', '?limit=100')).body.items.length;
      await expect(
        transactions.run(async (manager) => {
          await service.notifyUsers([handler.id], content({ title: '不会留下的通知' }), manager);
          throw new Error('the caller fails after notifying');
        }),
      ).rejects.toThrow('the caller fails after notifying');
      expect(heard).toEqual([]);
      expect((await list('dc_cy_handler', '?limit=100')).body.items).toHaveLength(before);

      const views = await transactions.run(async (manager) => {
        const inside = await service.notifyUsers([handler.id], content({ title: '提交后才推送' }), manager);
        expect(heard).toEqual([]);
        return inside;
      });
      expect(heard).toEqual([{ userId: handler.id, notification: views[0] }]);
      expect((await list('dc_cy_handler', '?limit=1')).body.items).toEqual(views);
    } finally {
      emitter.off('notification.created', listener);
    }
  });

  describe('over socket.io', () => {
    let url: string;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    });

    afterAll(() => {
      for (const socket of sockets) socket.disconnect();
    });

    async function connect(username: string): Promise<{ socket: Socket; received: NotificationView[]; next: () => Promise<NotificationView> }> {
      const socket = io(url, { auth: { token: await t.token(username) }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const received: NotificationView[] = [];
      const waiters: ((view: NotificationView) => void)[] = [];
      socket.on('notification.created', (view: NotificationView) => {
        received.push(view);
        waiters.shift()?.(view);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('ready', () => resolve());
        socket.once('unauthorized', (e: { message: string }) => reject(new Error(e.message)));
        socket.once('connect_error', reject);
      });
      return { socket, received, next: () => new Promise((resolve) => waiters.push(resolve)) };
    }

    it('pushes notification.created with the notification to the user’s sockets, not to others', async () => {
      const handler = await me('dc_cy_handler');
      const other = await me('cgj_handler');
      const mine = await connect('dc_cy_handler');
      const theirs = await connect('cgj_handler');

      const arrivesMine = mine.next();
      const [view] = await service.notifyUsers([handler.id], content({ kind: 'work_order.assigned', title: '新工单：朝阳路路灯不亮' }));
      expect(await arrivesMine).toEqual(view);

      // Pushes go out in order: had the other socket heard the first one, it would arrive before its own.
      const arrivesTheirs = theirs.next();
      const [their] = await service.notifyUsers([other.id], content({ title: '另一单位的提醒' }));
      expect(await arrivesTheirs).toEqual(their);
      expect(theirs.received).toEqual([their]);
      expect(mine.received).toEqual([view]);
    });
  });

  describe('the outbound channel (a test double provided as NOTIFICATION_CHANNEL)', () => {
    let second: INestApplication;
    let channel: RecordingChannel;
    let secondService: NotificationsService;

    // A second application on the same database, built with the channel replaced through its token.
    beforeAll(async () => {
      channel = new RecordingChannel();
      const config: AppConfig = t.app.get(APP_CONFIG);
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
        .overrideProvider(NOTIFICATION_CHANNEL)
        .useValue(channel)
        .compile();
      second = moduleRef.createNestApplication({ logger: false });
      await second.init();
      secondService = second.get(NotificationsService);
    });

    afterAll(async () => {
      await second?.close();
    });

    it('sends urgent kinds (deadline.red, escalation) once per user after commit, and nothing else', async () => {
      const handler = await me('dc_cy_handler');
      const admin = await me('dc_cy_admin');
      const transactions = second.get(TransactionService);
      await secondService.notifyUsers([handler.id], content({ kind: 'deadline.yellow' }));
      await expect(
        transactions.run(async (manager) => {
          await secondService.notifyUsers([handler.id], content({ kind: 'deadline.red', title: '回滚的逾期通知' }), manager);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      const firstSend = channel.next();
      const [red] = await secondService.notifyUsers([handler.id], content({ kind: 'deadline.red', title: '工单已逾期', workOrderId: null }));
      expect(await firstSend).toEqual({
        notificationId: red.id,
        userId: handler.id,
        kind: 'deadline.red',
        title: '工单已逾期',
        body: red.body,
        workOrderId: null,
        createdAt: new Date(red.createdAt),
      });

      const twoSends = [channel.next(), channel.next()];
      const escalated = await secondService.notifyUsers([handler.id, admin.id], content({ kind: 'escalation', title: '逾期升级' }));
      const sent = await Promise.all(twoSends);
      expect(sent.map((s) => [s.notificationId, s.userId, s.kind])).toEqual(escalated.map((v, i) => [v.id, [handler.id, admin.id][i], 'escalation']));
      // The yellow one and the rolled-back red one never went out.
      expect(channel.sent.map((s) => s.notificationId)).toEqual([red.id, ...escalated.map((v) => v.id)]);
    });
  });
});
