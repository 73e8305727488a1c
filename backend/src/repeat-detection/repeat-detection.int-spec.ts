import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { io, type Socket } from 'socket.io-client';
import { DataSource, In } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { RepeatScreeningPending } from '../work-orders/entities/repeat-screening-pending.entity';
import { RepeatScreeningQueue } from '../work-orders/repeat-screening-queue.service';
import { matterOf, RepeatScreening, type ScreenedOrder } from '../work-orders/repeat-screening.service';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { HotspotsRepository } from './hotspots.repository';
import { MatterIndexRepository } from './matter-index.repository';
import { callerKey } from './matter-keys';
import { MAX_DICTIONARY_TERMS, RepeatDetector } from './repeat-detector';
import * as similarityModel from './similarity-model';

/** The texts are written for these tests: a district (东城 dc) with its streets 东关 (dc_dg) and 朝阳 (dc_cy). */
const LAMP = {
  categoryCode: 'C010101',
  street: 'dc_dg',
  address: '东关街道东关大街56号',
  title: '东关大街56号门口路灯不亮',
  content: '东关大街56号门口的两盏路灯从上周开始一直不亮，晚上路面漆黑，老人出门很不方便，请尽快派人维修。',
};
const LAMP_AGAIN = {
  ...LAMP,
  title: '东关大街56号路灯还是不亮',
  content: '上次反映东关大街56号门口路灯不亮，到现在还没有修好，晚上还是一片漆黑，请督促尽快维修。',
};
/** The same caller, next door, about something else. */
const BARBECUE = {
  categoryCode: 'C040101',
  street: 'dc_dg',
  address: '东关街道东关大街58号',
  title: '东关大街58号烧烤店深夜噪音扰民',
  content: '东关大街58号一家烧烤店每天营业到凌晨两点，顾客喧哗吵闹，严重影响附近居民休息，请相关部门处理。',
};
/** The same words about a lamp on another road. */
const LAMP_ELSEWHERE = {
  categoryCode: 'C010101',
  street: 'dc_cy',
  address: '朝阳街道朝阳路102号',
  title: '朝阳路102号门口路灯不亮',
  content: '朝阳路102号门口的两盏路灯从上周开始一直不亮，晚上路面漆黑，老人出门很不方便，请尽快派人维修。',
};
/** Four neighbours about one building site at night, in another district (西城 xc, 西湖 xc_xh): no other order is near. */
const SITE = [
  { title: '建设路工地夜间施工噪音扰民', content: '建设路与湖滨街交叉口的工地每天晚上十一点以后还在打桩，噪音非常大，附近居民无法入睡，请求查处。' },
  { title: '湖滨街路口工地半夜施工', content: '湖滨街和建设路路口东北角那个工地，凌晨还在打桩施工，机器轰鸣声吵得孩子睡不着觉，请求查处。' },
  { title: '建设路口工地深夜打桩噪音大', content: '家住建设路口附近，建设路与湖滨街交叉口的工地连续几个晚上深夜打桩作业，噪音太大，希望有关部门管一管。' },
  { title: '建设路湖滨街交叉口工地夜间噪音', content: '建设路与湖滨街交叉口东北角的建筑工地夜里打桩施工不停，噪声扰民严重，请执法部门到现场处理。' },
].map((text) => ({ ...text, categoryCode: 'C010301', district: 'xc', street: 'xc_xh', address: '西湖街道建设路与湖滨街交叉口东北角工地' }));
const LIFT = {
  categoryCode: 'C010203',
  street: 'dc_dg',
  address: '东关街道东关新村3栋',
  title: '东关新村3栋电梯频繁故障',
  content: '东关新村3栋的电梯这个月已经坏了好几次，昨天又停在两层之间，有老人被困了半个小时，请监管部门督促物业彻底检修。',
};

type Matter = typeof LAMP & { district?: string };

interface Similar {
  id: number;
  number: string;
  kind: 'repeat' | 'hotspot' | 'similar';
  score: number;
  reasons: { code: string; value?: number }[];
  reasonText: string;
}

interface HotspotEvent {
  hotspotId: number;
  matterId: number;
  change: 'formed' | 'grown';
  workOrderId: number;
  memberCount: number;
  callerCount: number;
}

interface HotspotBody {
  id: number;
  matterId: number;
  memberCount: number;
  callerCount: number;
  members: { id: number; accessible: boolean; number?: string; citizenPhone?: string | null }[];
  memberTotal: number;
  growth: number;
  recentCount: number;
  active: boolean;
}

describe.each(enginesUnderTest())('repeat detection in the API (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { REPEAT_DETECTION: 'on' } });
    d = await new WorkOrderDriver(t).load();
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  /** Registers the matter as told by the caller; the answer, before the detector screened the order. */
  async function post(matter: Matter, phone: string, username = 'agent1'): Promise<{ status: number; body: OrderBody & { similarOrders: Similar[] } }> {
    return t.post(username, '/api/work-orders', {
      channel: 'phone',
      citizenName: '测试市民',
      citizenPhone: phone,
      address: matter.address,
      districtUnitId: d.unit(matter.district ?? 'dc'),
      streetUnitId: d.unit(matter.street),
      categoryId: d.category(matter.categoryCode),
      title: matter.title,
      content: matter.content,
    });
  }

  async function register(matter: Matter, phone: string, username = 'agent1'): Promise<OrderBody & { similarOrders: Similar[] }> {
    const response = await post(matter, phone, username);
    if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    answers.set(response.body.id, response.body);
    // The detector screens the order after the answer (RepeatScreeningQueue): the order as it stands then.
    await t.app.get(RepeatScreeningQueue).settled();
    return { ...(await t.get(username, `/api/work-orders/${response.body.id}`)).body, similarOrders: response.body.similarOrders };
  }
  /** What each registration answered, before the detector screened the order. */
  const answers = new Map<number, OrderBody & { similarOrders: Similar[] }>();

  const acting = (similar: Similar[]) => similar.filter((s) => s.kind !== 'similar');

  async function connect(username: string): Promise<{ socket: Socket; next: <T>(event: string, accept: (payload: T) => boolean) => Promise<T> }> {
    const socket = io(url, { auth: { token: await t.token(username) }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('ready', () => resolve());
      socket.once('unauthorized', (e: { message: string }) => reject(new Error(e.message)));
      socket.once('connect_error', reject);
    });
    return {
      socket,
      // Resolves with the first event of that name the predicate accepts (registered before the action that causes it).
      next: <T>(event: string, accept: (payload: T) => boolean) =>
        new Promise<T>((resolve) => {
          const listener = (payload: T) => {
            if (!accept(payload)) return;
            socket.off(event, listener);
            resolve(payload);
          };
          socket.on(event, listener);
        }),
    };
  }

  describe('at registration', () => {
    let original: OrderBody;
    let repeat: OrderBody & { similarOrders: Similar[] };

    beforeAll(async () => {
      const registered = await register(LAMP, '13700001111');
      original = await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('cgj') });
      repeat = await register(LAMP_AGAIN, '13700001111');
    });

    it('proposes the same caller’s earlier order about the same matter as a repeat, with a score and a reason', () => {
      const [best] = repeat.similarOrders;
      expect(best).toMatchObject({ id: original.id, number: original.number, kind: 'repeat', status: 'dispatched', title: LAMP.title, address: LAMP.address, createdAt: original.createdAt });
      expect(best.score).toBeGreaterThan(0.5);
      expect(best.reasons.map((r) => r.code)).toContain('same_caller');
      expect(best.reasonText).toContain('同一来电人');
    });

    it('answers the registration before the detector marks it: the mark follows with workOrder.changed', () => {
      expect(answers.get(repeat.id)).toMatchObject({ repeatOfId: null, version: 1, similarOrders: repeat.similarOrders });
      expect(answers.get(repeat.id)?.timeline.map((e) => e.action)).toEqual(['register']);
    });

    it('marks the new order a repeat right after: repeatOf, the timelines of both, repeatCount and versions', async () => {
      expect(repeat).toMatchObject({ repeatOfId: original.id, repeatOf: { id: original.id, accessible: true, number: original.number }, version: 2 });
      expect(repeat.timeline.map((e) => e.action)).toEqual(['register', 'repeat-detected']);
      expect(repeat.timeline[1]).toMatchObject({
        actorId: null,
        actorName: 'system',
        payload: { repeatOfId: original.id, repeatOfNumber: original.number, score: expect.any(Number), reasonText: expect.stringContaining('同一来电人') },
      });
      const read = await d.read(original.id);
      expect(read).toMatchObject({ repeatCount: 1, repeats: [{ id: repeat.id, accessible: true, number: repeat.number }] });
      expect(read.version).toBe(original.version + 1);
      expect(read.timeline.at(-1)).toMatchObject({ action: 'repeat-received', actorName: 'system', payload: { repeatWorkOrderId: repeat.id, repeatNumber: repeat.number } });
      expect(await t.app.get(DataSource).query('SELECT * FROM repeat_screening_pending')).toEqual([]);
    });

    it('tells the unit handling the original (notification), which sees the repeat on the original only', async () => {
      const bell = await t.get('cgj_handler', '/api/notifications');
      expect(bell.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'repeat', workOrderId: original.id, payload: expect.objectContaining({ repeatWorkOrderId: repeat.id }) })]),
      );
      const seen = await t.get('cgj_handler', `/api/work-orders/${original.id}`);
      expect(seen.body.repeats).toEqual([{ id: repeat.id, accessible: false }]);
      expect(seen.body.timeline.at(-1).payload).toEqual({ repeatWorkOrderId: repeat.id, score: expect.any(Number) });
    });

    it('does not propose another matter of the same caller as a repeat', async () => {
      const other = await register(BARBECUE, '13700001111');
      expect(acting(other.similarOrders)).toEqual([]);
      expect(other).toMatchObject({ repeatOfId: null, repeatOf: null });
      expect(other.timeline.map((e) => e.action)).toEqual(['register']);
    });

    it('does not propose the same problem on another road, worded alike', async () => {
      const elsewhere = await register(LAMP_ELSEWHERE, '13700001111');
      expect(acting(elsewhere.similarOrders).map((s) => s.id)).toEqual([]);
      expect(elsewhere.repeatOfId).toBeNull();
    });

    it('answers the candidates of a stored order on /similar, for those who may see it', async () => {
      const similar = await t.get('supervisor1', `/api/work-orders/${original.id}/similar`);
      expect(similar.status).toBe(200);
      expect(similar.body.find((s: Similar) => s.id === repeat.id)).toMatchObject({ kind: 'repeat', number: repeat.number });
      expect(similar.body.map((s: Similar) => s.id)).not.toContain(original.id);
      expect((await t.get('supervisor1', `/api/work-orders/${original.id}/similar?limit=1`)).body).toHaveLength(1);
      for (const limit of ['0', '51', 'x']) expect((await t.get('supervisor1', `/api/work-orders/${original.id}/similar?limit=${limit}`)).status).toBe(400);
      // The lead unit sees the original but not the repeat (still with the center): it is left out.
      const unit = await t.get('cgj_handler', `/api/work-orders/${original.id}/similar`);
      expect(unit.status).toBe(200);
      expect(unit.body.map((s: Similar) => s.id)).not.toContain(repeat.id);
      expect((await t.get('zjj_handler', `/api/work-orders/${original.id}/similar`)).status).toBe(404);
      expect((await t.get('supervisor1', '/api/work-orders/99999999/similar')).status).toBe(404);
    });
  });

  describe('while the agent types (similar-drafts)', () => {
    /** The form of the lamp's caller calling again, before it is registered. */
    const lampAgainDraft = () => ({
      content: LAMP_AGAIN.content,
      address: LAMP.address,
      citizenPhone: '13700001111',
      districtUnitId: d.unit('dc'),
      streetUnitId: d.unit(LAMP.street),
      categoryId: d.category(LAMP.categoryCode),
    });

    it('answers the earlier orders about the same matter for a form not yet registered, and registers nothing', async () => {
      const before = await t.get('supervisor1', '/api/work-orders?pageSize=1');
      const draft = await t.post('agent1', '/api/work-orders/similar-drafts', lampAgainDraft());
      expect(draft.status).toBe(200);
      expect(draft.body[0]).toMatchObject({ kind: 'repeat', reasons: expect.arrayContaining([{ code: 'same_caller' }]) });
      // Without the phone and the category the same place and words still find the matter, as hotspot or similar.
      const anonymous = await t.post('agent1', '/api/work-orders/similar-drafts', { content: LAMP_AGAIN.content, address: LAMP.address, streetUnitId: d.unit(LAMP.street) });
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.length).toBeGreaterThan(0);
      const after = await t.get('supervisor1', '/api/work-orders?pageSize=1');
      expect(after.body.total).toBe(before.body.total);
    });

    it('answers the same candidates and scores when it starts a new dictionary of terms at every comparison (profiles kept are made again)', async () => {
      const draft = lampAgainDraft();
      const usual = await t.post('agent1', '/api/work-orders/similar-drafts', draft);
      expect(usual.status).toBe(200);
      expect(usual.body.length).toBeGreaterThan(0);
      RepeatDetector.maxDictionaryTerms = 0;
      try {
        const renewed = await t.post('agent1', '/api/work-orders/similar-drafts', draft);
        const again = await t.post('agent1', '/api/work-orders/similar-drafts', draft);
        expect(renewed.body).toEqual(usual.body);
        expect(again.body).toEqual(usual.body);
      } finally {
        RepeatDetector.maxDictionaryTerms = MAX_DICTIONARY_TERMS;
      }
    });

    it('answers 400 for too little text, 422 for an unknown category, 403 for unit staff', async () => {
      const short = await t.post('agent1', '/api/work-orders/similar-drafts', { content: '路灯' });
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'content' }] } });
      expect((await t.post('agent1', '/api/work-orders/similar-drafts', { content: '路灯坏了好几天', categoryId: 999999 })).status).toBe(422);
      expect((await t.post('cgj_handler', '/api/work-orders/similar-drafts', { content: '路灯坏了好几天' })).status).toBe(403);
    });
  });

  describe('marking by hand', () => {
    it('marks an order a repeat of an earlier one (of its original when that is a repeat), and takes it back', async () => {
      const original = await register({ ...LIFT, address: '东关街道东关新村9栋', title: '东关新村9栋电梯故障', content: '东关新村9栋电梯停运三天了，楼里老人上下楼很困难，请尽快维修。' }, '13700002222');
      const later = await register({ ...BARBECUE, address: '东关街道东关新村9栋', title: '东关新村9栋电梯又坏了', content: '九栋的电梯还是没人修，住高层的老人只能待在家里。' }, '13700003333');
      const marked = await d.act('dispatcher1', later.id, 'mark-repeat', { targetId: original.id, note: '同一部电梯' });
      expect(marked).toMatchObject({ repeatOfId: original.id, repeatOf: { id: original.id }, allowedActions: expect.arrayContaining(['unmark-repeat']) });
      expect(marked.allowedActions).not.toContain('mark-repeat');
      expect(marked.timeline.at(-1)).toMatchObject({ action: 'mark-repeat', actorRole: 'dispatcher', reason: '同一部电梯', payload: { targetId: original.id, repeatOfId: original.id } });
      const read = await d.read(original.id);
      expect(read).toMatchObject({ repeatCount: 1, repeats: [{ id: later.id }] });
      expect(read.timeline.at(-1)).toMatchObject({ action: 'repeat-received', actorRole: 'dispatcher', payload: { repeatWorkOrderId: later.id } });

      // A third order marked against the repeat points to the original.
      const third = await register({ ...BARBECUE, address: '东关街道东关新村9栋', title: '九栋电梯停运', content: '东关新村九栋电梯停了快一周，没有任何通知。' }, '13700004444');
      expect(await d.act('agent1', third.id, 'mark-repeat', { targetId: later.id })).toMatchObject({ repeatOfId: original.id });
      expect((await d.read(original.id)).repeatCount).toBe(2);

      const unmarked = await d.act('supervisor1', later.id, 'unmark-repeat', { note: '不是同一诉求' });
      expect(unmarked).toMatchObject({ repeatOfId: null, repeatOf: null });
      expect(unmarked.timeline.at(-1)).toMatchObject({ action: 'unmark-repeat', payload: { formerRepeatOfId: original.id } });
      expect(await d.read(original.id)).toMatchObject({ repeatCount: 1, repeats: [{ id: third.id }] });
      expect((await d.try('supervisor1', later.id, 'unmark-repeat')).status).toBe(409);
    });

    it('answers 409 for a stale version, 403 for the wrong role, 404 for an invisible order, 422 for the order itself or a later one', async () => {
      const first = await register({ ...BARBECUE, title: '东关大街60号饭店油烟', content: '东关大街60号饭店排烟管道直对居民窗户，油烟很大。', categoryCode: 'C040102', address: '东关街道东关大街60号' }, '13700005555');
      const second = await register({ ...BARBECUE, title: '东关大街60号油烟扰民', content: '东关大街60号的饭店油烟直排，家里窗户都不敢开。', categoryCode: 'C040102', address: '东关街道东关大街60号' }, '13700006666');
      const stale = await t.post('dispatcher1', `/api/work-orders/${second.id}/mark-repeat`, { version: (await d.read(second.id)).version - 1 || 99, targetId: first.id });
      expect(stale.status).toBe(409);
      expect((await d.try('reviewer1', second.id, 'mark-repeat', { targetId: first.id })).status).toBe(403);
      expect((await d.try('dispatcher1', second.id, 'mark-repeat', { targetId: second.id })).status).toBe(422);
      expect((await d.try('dispatcher1', first.id, 'mark-repeat', { targetId: second.id })).status).toBe(422);
      expect((await d.try('dispatcher1', second.id, 'mark-repeat', { targetId: 99999999 })).status).toBe(422);
      expect((await d.try('dispatcher1', second.id, 'mark-repeat', {})).status).toBe(400);
      expect((await d.try('zjj_handler', second.id, 'mark-repeat', { targetId: first.id })).status).toBe(404);
      await d.act('dispatcher1', second.id, 'dispatch', { leadUnitId: d.unit('sthjj') });
      expect((await d.try('sthjj_handler', second.id, 'mark-repeat', { targetId: first.id })).status).toBe(403);
      expect((await d.try('dispatcher1', second.id, 'unmark-repeat')).status).toBe(409);
    });
  });

  describe('the screening queue', () => {
    const GATE = {
      categoryCode: 'C010101',
      street: 'dc_cy',
      address: '朝阳街道朝阳北路18号',
      title: '朝阳北路18号路灯不亮',
      content: '朝阳北路18号小区门口的路灯坏了一个多星期，晚上回家很危险，请尽快修理。',
    };
    const GATE_AGAIN = { ...GATE, title: '朝阳北路18号路灯仍然不亮', content: '朝阳北路18号门口路灯还是没有修，晚上一片漆黑，请尽快处理。' };

    it('pushes the detector’s mark to the console (workOrder.changed) after the answer', async () => {
      const first = await register(GATE, '13700007777');
      const agent = await connect('agent1');
      const marked = agent.next<{ workOrderId: number; action: string; version: number }>('workOrder.changed', (e) => e.action === 'repeat-detected');
      const response = await t.post('agent1', '/api/work-orders', {
        channel: 'phone',
        citizenPhone: '13700007777',
        address: GATE_AGAIN.address,
        districtUnitId: d.unit('dc'),
        streetUnitId: d.unit(GATE.street),
        categoryId: d.category(GATE.categoryCode),
        title: GATE_AGAIN.title,
        content: GATE_AGAIN.content,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ version: 1, repeatOfId: null });
      expect(response.body.similarOrders[0]).toMatchObject({ id: first.id, kind: 'repeat' });
      expect(await marked).toMatchObject({ workOrderId: response.body.id, action: 'repeat-detected', version: 2 });
      await t.app.get(RepeatScreeningQueue).settled();
      expect((await d.read(response.body.id)).repeatOfId).toBe(first.id);
    });

    it("reads the caller's own orders first, before orders sharing more of the new one's words", async () => {
      const GATE = { categoryCode: 'C010102', street: 'dc_dg', address: '东关街道东关小学南门', title: '东关小学南门人行道破损', content: '东关小学南门外的人行道砖块大面积松动破损，下雨积水，孩子上学经常摔倒，请尽快修复。' };
      const ALIKE = { ...GATE, title: '东关小学南门人行道砖松了', content: '东关小学南门人行道的砖松动翘起，学生上下学容易绊倒，雨天到处是积水，希望尽快派人修好。' };
      const own = await register(GATE, '13700008001');
      await register(ALIKE, '13700008002');
      await register(ALIKE, '13700008003');
      const detector = t.app.get(RepeatDetector);
      const index = t.app.get(MatterIndexRepository);
      // The caller again, in the other callers' words: they share more keys with it than the caller's first order.
      const matter = { ...ALIKE, citizenPhone: '13700008001', districtUnitId: d.unit('dc'), streetUnitId: d.unit('dc_dg'), categoryId: d.category(ALIKE.categoryCode), requestType: 'complaint' as const, createdAt: new Date() };
      const keys = detector.keysOf(matter, await detector.featuresOf(matter));
      const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
      const top = async (firstKey: string | null) => (await index.candidates(keys, since, 40, 1, null, undefined, firstKey)).map((c) => c.workOrderId);
      expect(await top(null)).not.toEqual([own.id]);
      expect(await top(callerKey('13700008001'))).toEqual([own.id]);
    });

    it('looks a stale job up again comparing only the orders its registration did not, with the result of a fresh lookup', async () => {
      const WELL = { categoryCode: 'C010203', street: 'dc_dg', address: '东关街道东关新村9栋', title: '东关新村9栋电梯停运', content: '东关新村9栋电梯停运三天了，九楼的老人下不了楼，请督促物业尽快修好电梯。' };
      const first = await register(WELL, '13700009001');
      const second = await register({ ...WELL, title: '东关新村9栋电梯坏了', content: '东关新村9栋的电梯坏了好几天，住高层的老人没法出门，请尽快维修电梯。' }, '13700009002');
      const detector = t.app.get(RepeatDetector);
      const matter = matterOf(await t.app.get(DataSource).getRepository(WorkOrder).findOneByOrFail({ id: second.id }));
      const features = await detector.featuresOf(matter);
      const lookup = await detector.lookUp(matter, { features });
      expect(lookup.candidates.map((c) => c.workOrderId)).toContain(first.id);
      // Registered after the lookup: only it is new to the refresh.
      const third = await register({ ...WELL, title: '东关新村9栋电梯一直不修', content: '东关新村9栋电梯停了好几天还没修，老人上下楼很困难，请尽快修复电梯。' }, '13700009003');
      const compared = jest.spyOn(similarityModel, 'pairVector');
      try {
        const refreshed = await detector.refresh(matter, features, lookup);
        // Only the third order is compared now: the others keep their scores from the lookup.
        expect(compared).toHaveBeenCalledTimes(1);
        const fresh = await detector.findCandidates(matter, { features });
        expect(refreshed.map((c) => [c.workOrderId, c.kind])).toEqual(fresh.map((c) => [c.workOrderId, c.kind]));
        expect(refreshed.map((c) => c.workOrderId)).toEqual(expect.arrayContaining([first.id, third.id]));
        refreshed.forEach((c, i) => expect(c.score).toBeCloseTo(fresh[i].score, 2));

        // Reading only the orders registered since a time (the queue passes the earliest an order recorded after the
        // lookup can have been registered): the earlier orders are not read again, the later ones are.
        const none = { candidates: [], compared: [] };
        const since = new Date(third.createdAt as string);
        expect((await detector.refresh(matter, features, none, { registeredSince: since })).map((c) => c.workOrderId)).toEqual([third.id]);
        expect((await detector.refresh(matter, features, none, { registeredSince: new Date(first.createdAt as string) })).map((c) => c.workOrderId).sort()).toEqual(
          [first.id, third.id].sort(),
        );
      } finally {
        compared.mockRestore();
      }
    });

    it('screens an order its process never got to (a crash after COMMIT) from the table, once, respecting a living claim', async () => {
      const queue = t.app.get(RepeatScreeningQueue);
      const first = await register({ ...GATE, address: '朝阳街道朝阳北路26号', title: '朝阳北路26号井盖缺失', content: '朝阳北路26号门口的井盖不见了，路人容易掉下去，请尽快补上。', categoryCode: LAMP.categoryCode }, '13700008888');
      // The hand-over to the in-memory queue is lost, as when the process dies right after COMMIT.
      const lost = jest.spyOn(queue, 'submit').mockImplementation(() => undefined);
      const response = await t.post('agent1', '/api/work-orders', {
        channel: 'phone',
        citizenPhone: '13700008888',
        address: '朝阳街道朝阳北路26号',
        districtUnitId: d.unit('dc'),
        streetUnitId: d.unit(GATE.street),
        categoryId: d.category(LAMP.categoryCode),
        title: '朝阳北路26号井盖还是没有',
        content: '朝阳北路26号门口的井盖一直没补，晚上很危险，请尽快处理。',
      });
      lost.mockRestore();
      expect(response.status).toBe(201);
      const dataSource = t.app.get(DataSource);
      const rows = () => dataSource.query('SELECT workOrderId FROM repeat_screening_pending');
      expect(await rows()).toEqual([{ workOrderId: response.body.id }]);
      // A younger row is its own process's: the regular sweep leaves it for a minute.
      expect(await queue.sweep()).toBe(0);
      // Claimed by a living process (just now): not taken over.
      const claimAt = (at: Date) => dataSource.createQueryBuilder().update(RepeatScreeningPending).set({ claimedAt: at }).execute();
      await claimAt(t.clock.now());
      expect(await queue.sweep({ olderThanMs: 0 })).toBe(0);
      expect((await d.read(response.body.id)).repeatOfId).toBeNull();
      // A claim five minutes old belongs to a process that died.
      await claimAt(new Date(t.clock.now().getTime() - 6 * 60_000));
      expect(await queue.sweep({ olderThanMs: 0 })).toBe(1);
      expect(await rows()).toEqual([]);
      const screened = await d.read(response.body.id);
      expect(screened.repeatOfId).toBe(first.id);
      expect(screened.timeline.filter((e) => e.action === 'repeat-detected')).toHaveLength(1);
      expect(await queue.sweep({ olderThanMs: 0 })).toBe(0);

      // Screened, but its process stopped before it deleted the row (a batch's rows are deleted after the batch): the
      // sweep finds the order recorded and only deletes the row.
      const queueRow = (workOrderId: number, queuedAt: Date, claimedAt: Date | null) =>
        dataSource.createQueryBuilder().insert().into(RepeatScreeningPending).values({ workOrderId, queuedAt, claimedAt }).execute();
      await queueRow(response.body.id, new Date(t.clock.now().getTime() - 2 * 60_000), null);
      expect(await queue.sweep()).toBe(0);
      expect(await rows()).toEqual([]);
      expect((await d.read(response.body.id)).timeline.filter((e) => e.action === 'repeat-detected')).toHaveLength(1);

    });

    it('screens a backlog left behind in batches: one claim, one read and one delete for the batch, a failed order kept for later', async () => {
      const queue = t.app.get(RepeatScreeningQueue);
      const screening = t.app.get(RepeatScreening);
      const PARK = {
        categoryCode: 'C020102',
        district: 'xc',
        street: 'xc_jq',
        address: '金桥街道银杏公园东门',
        title: '银杏公园东门垃圾桶满了没人清',
        content: '银杏公园东门的几个垃圾桶已经满出来好几天了，垃圾撒了一地，苍蝇很多，请环卫部门安排人清运。',
      };
      // Five hand-overs lost (their process died after COMMIT): the rows wait for a sweep.
      const lost = jest.spyOn(queue, 'submit').mockImplementation(() => undefined);
      const ids: number[] = [];
      try {
        for (const phone of ['13800010001', '13800010002', '13800010003', '13800010004', '13800010005']) {
          const response = await post(PARK, phone);
          expect(response.status).toBe(201);
          ids.push(response.body.id);
        }
      } finally {
        lost.mockRestore();
      }
      const dataSource = t.app.get(DataSource);
      const rows = async () => (await dataSource.query<{ workOrderId: number | string }[]>('SELECT workOrderId FROM repeat_screening_pending ORDER BY workOrderId')).map((row) => Number(row.workOrderId));
      expect(await rows()).toEqual(ids);
      // The third order's screening fails this time.
      const record = screening.record.bind(screening);
      const failing = jest.spyOn(screening, 'record').mockImplementation((...args) => (args[0].id === ids[2] ? Promise.reject(new Error('simulated failure')) : record(...args)));
      const counted = jest.spyOn(t.app.get(RepeatDetector), 'matterSince');
      try {
        expect(await queue.sweep({ olderThanMs: 0 })).toBe(4);
        // Its row stays, claimed: a sweep takes it again once the claim expires.
        expect(await rows()).toEqual([ids[2]]);
        expect(await queue.sweep({ olderThanMs: 0 })).toBe(0);
        const orders = await Promise.all(ids.map((id) => d.read(id)));
        expect(orders.map((order) => order.timeline.map((e) => [e.action, e.payload?.change ?? null]))).toEqual([
          [['register', null]],
          [['register', null]],
          [['register', null]],
          [['register', null], ['hotspot-joined', 'formed']],
          [['register', null], ['hotspot-joined', 'grown']],
        ]);
        const [{ matterId }] = await dataSource.query<{ matterId: number | string }[]>('SELECT matterId FROM matter_fingerprints WHERE workOrderId = ?', [ids[0]]);
        // The batch's hotspot counted once.
        expect(counted.mock.calls.filter(([matter]) => matter === Number(matterId))).toHaveLength(1);
        failing.mockRestore();
        t.clock.set(new Date(Date.now() + 6 * 60_000));
        expect(await queue.sweep({ olderThanMs: 0 })).toBe(1);
        expect(await rows()).toEqual([]);
        const third = await d.read(ids[2]);
        expect(third.timeline.map((e) => [e.action, e.payload?.change ?? null])).toEqual([['register', null], ['hotspot-joined', 'grown']]);
        expect(third.timeline[1].payload).toMatchObject({ memberCount: 5, callerCount: 5 });
      } finally {
        failing.mockRestore();
        counted.mockRestore();
        t.clock.set(null);
      }
    });

    it('keeps the jobs of a queue behind by minutes: their rows claimed on arrival and renewed, no sweep takes one over, each order screened once', async () => {
      const queue = t.app.get(RepeatScreeningQueue);
      const screening = t.app.get(RepeatScreening);
      const dataSource = t.app.get(DataSource);
      const original = screening.record.bind(screening);
      // Every screening waits for its gate: the queue falls behind for as long as the test says.
      const gates: (() => void)[] = [];
      const reached: number[] = [];
      const screen = jest.spyOn(screening, 'record').mockImplementation(async (...args) => {
        reached.push(args[0].id);
        await new Promise<void>((open) => gates.push(open));
        return original(...args);
      });
      const start = t.clock.now();
      t.clock.set(start);
      try {
        const post = (title: string) =>
          t.post('agent1', '/api/work-orders', {
            channel: 'phone',
            citizenPhone: '13700007777',
            address: '朝阳街道朝阳北路40号',
            districtUnitId: d.unit('dc'),
            streetUnitId: d.unit(GATE.street),
            categoryId: d.category(LAMP.categoryCode),
            title,
            content: `${title}，晚上一片漆黑，请尽快修复。`,
          });
        const ids: number[] = [];
        for (const title of ['朝阳北路40号路灯不亮', '朝阳北路40号路灯还是不亮', '朝阳北路40号路灯一直不亮']) {
          const response = await post(title);
          expect(response.status).toBe(201);
          ids.push(response.body.id);
        }
        const claims = async () =>
          new Map(
            (await dataSource.getRepository(RepeatScreeningPending).find()).map((row) => [row.workOrderId, row.claimedAt?.getTime() ?? null]),
          );
        // The first is being screened; the two behind it are claimed by their queue while they wait (within a second).
        await until(async () => reached.length === 1 && [...(await claims()).values()].every((claimedAt) => claimedAt !== null), 'the waiting jobs claimed');
        expect(reached).toEqual([ids[0]]);

        // Two minutes later: no sweep takes a job its queue holds.
        t.clock.set(new Date(start.getTime() + 2 * 60_000));
        expect(await queue.sweep({ olderThanMs: 0 })).toBe(0);
        gates.shift()!();
        await until(() => Promise.resolve(reached.length === 2), 'the second screening');
        // Before the next batch the claims of the jobs waiting were renewed (two minutes old).
        expect((await claims()).get(ids[2])).toBe(start.getTime() + 2 * 60_000);

        // Six minutes after the first claim: the renewed claim still holds the last job.
        t.clock.set(new Date(start.getTime() + 6 * 60_000));
        expect(await queue.sweep({ olderThanMs: 0 })).toBe(0);
        gates.shift()!();
        await until(() => Promise.resolve(reached.length === 3 && gates.length === 1), 'the third screening');
        gates.shift()!();
        await queue.settled();
        expect(reached).toEqual(ids);
        expect(await claims()).toEqual(new Map());
        const recorded: { workOrderId: number | string }[] = await dataSource.query(
          `SELECT workOrderId FROM matter_fingerprints WHERE workOrderId IN (${ids.join(', ')}) ORDER BY workOrderId`,
        );
        expect(recorded.map((row) => Number(row.workOrderId))).toEqual(ids);
      } finally {
        screen.mockRestore();
        for (const open of gates.splice(0)) open();
        await queue.settled();
        t.clock.set(null);
      }
    });
  });

  describe('hotspots', () => {
    it('forms at the third caller, grows with the fourth, is pushed to supervisors and listed scoped like the lists', async () => {
      const supervisor = await connect('supervisor1');
      const agent = await connect('agent1');
      const agentHeard: unknown[] = [];
      agent.socket.on('hotspot.changed', (event) => agentHeard.push(event));
      const first = await register(SITE[0], '13611110001');
      await d.act('dispatcher1', first.id, 'dispatch', { leadUnitId: d.unit('zjj') });
      const second = await register(SITE[1], '13611110002');
      expect(acting(second.similarOrders)).toEqual([expect.objectContaining({ id: first.id, kind: 'hotspot' })]);
      expect(second.timeline.map((e) => e.action)).toEqual(['register']);

      const formed = supervisor.next<HotspotEvent>('hotspot.changed', (e) => e.change === 'formed');
      const third = await register(SITE[2], '13611110003');
      const formedEvent = await formed;
      expect(formedEvent).toMatchObject({ change: 'formed', memberCount: 3, callerCount: 3, workOrderId: third.id, matterId: first.id });
      expect(third.timeline.map((e) => e.action)).toEqual(['register', 'hotspot-joined']);
      expect(third.timeline[1]).toMatchObject({ actorName: 'system', payload: { hotspotId: formedEvent.hotspotId, change: 'formed', memberCount: 3 } });
      // A note of the system's: the version stays, so that no one acting on the new order meanwhile gets a 409.
      expect(third.version).toBe(1);

      const grown = supervisor.next<HotspotEvent>('hotspot.changed', (e) => e.change === 'grown');
      const fourth = await register(SITE[3], '13611110004');
      expect(await grown).toMatchObject({ hotspotId: formedEvent.hotspotId, memberCount: 4, callerCount: 4, workOrderId: fourth.id });
      expect(agentHeard).toEqual([]);

      const listed = await t.get('supervisor1', '/api/hotspots');
      expect(listed.status).toBe(200);
      const hotspot = (listed.body.items as HotspotBody[]).find((h) => h.id === formedEvent.hotspotId);
      expect(hotspot).toMatchObject({ matterId: first.id, memberCount: 4, callerCount: 4, memberTotal: 4, active: true, recentCount: 4, growth: 4 });
      expect(hotspot?.members.map((m) => m.id)).toEqual([fourth.id, third.id, second.id, first.id]);
      expect(hotspot?.members[0]).toMatchObject({ accessible: true, number: fourth.number, citizenPhone: '13611110004' });

      // zjj leads one of its orders: it sees the hotspot, its own order, and the others as ids only; cgj sees nothing.
      const unit = await t.get('zjj_handler', '/api/hotspots?state=all');
      const seen = (unit.body.items as HotspotBody[]).find((h) => h.id === formedEvent.hotspotId);
      expect(seen?.members.filter((m) => m.accessible)).toEqual([expect.objectContaining({ id: first.id, citizenPhone: '136****0001' })]);
      expect(seen?.members.filter((m) => !m.accessible)).toEqual([{ id: fourth.id, accessible: false }, { id: third.id, accessible: false }, { id: second.id, accessible: false }]);
      expect((await t.get('zjj_handler', `/api/hotspots/${formedEvent.hotspotId}`)).status).toBe(200);
      expect((await t.get('cgj_handler', '/api/hotspots?state=all')).body.items.map((h: HotspotBody) => h.id)).not.toContain(formedEvent.hotspotId);
      expect((await t.get('cgj_handler', `/api/hotspots/${formedEvent.hotspotId}`)).status).toBe(404);

      // Filters.
      const byStreet = await t.get('supervisor1', `/api/hotspots?streetUnitId=${d.unit('dc_cy')}`);
      expect(byStreet.body.items.map((h: HotspotBody) => h.id)).not.toContain(formedEvent.hotspotId);
      const byCategory = await t.get('supervisor1', `/api/hotspots?categoryId=${d.category('C0103')}`);
      expect(byCategory.body.items.map((h: HotspotBody) => h.id)).toContain(formedEvent.hotspotId);
      expect((await t.get('supervisor1', '/api/hotspots?to=2001-01-01T00:00:00Z')).body).toMatchObject({ items: [], total: 0 });
      expect((await t.get('supervisor1', '/api/hotspots?state=recent')).status).toBe(400);
      expect((await t.get('supervisor1', '/api/hotspots?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z')).status).toBe(422);
      expect((await t.get('supervisor1', '/api/hotspots/x')).status).toBe(400);
      expect((await t.get('supervisor1', '/api/hotspots/99999999')).status).toBe(404);
    });
  });

  describe('hotspots of a batch of screenings', () => {
    const RIVER = {
      categoryCode: 'C010301',
      district: 'xc',
      street: 'xc_xh',
      address: '西湖街道滨河路南段河道',
      title: '滨河路南段河道漂满垃圾发臭',
      content: '滨河路南段这段河道上漂满了塑料袋和生活垃圾，天一热就发臭，附近居民开窗都受不了，请环卫部门尽快打捞清理。',
    };
    const SQUARE = {
      categoryCode: 'C010301',
      district: 'xc',
      street: 'xc_xh',
      address: '西湖街道文化广场',
      title: '文化广场广场舞音响太吵',
      content: '文化广场每天晚上跳广场舞的音响开到很大声，一直放到十点多，老人孩子都没法休息，请城管和社区出面管理音量和时间。',
    };

    /**
     * Registers the orders while the queue screens an order of another matter (held at a gate): they wait together and
     * are screened as one batch. Answers them, screened, with the hotspot.changed events their matter caused.
     */
    async function registerAsOneBatch(matter: Matter, phones: string[]): Promise<{ orders: OrderBody[]; changes: HotspotEvent[] }> {
      const queue = t.app.get(RepeatScreeningQueue);
      const screening = t.app.get(RepeatScreening);
      const original = screening.record.bind(screening);
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const blockingPhone = '13900000000';
      const record = jest.spyOn(screening, 'record').mockImplementation(async (...args) => {
        if (args[0].citizenPhone === blockingPhone) await gate;
        return original(...args);
      });
      const changes: HotspotEvent[] = [];
      const heard = (event: HotspotEvent) => changes.push(event);
      const events = t.app.get(EventEmitter2);
      events.on('hotspot.changed', heard);
      try {
        const blocker = await t.post('agent1', '/api/work-orders', { ...d.registration(), citizenPhone: blockingPhone });
        expect(blocker.status).toBe(201);
        await until(() => Promise.resolve(record.mock.calls.some(([order]) => order.id === blocker.body.id)), 'the blocking order being screened');
        const ids: number[] = [];
        for (const phone of phones) {
          const response = await post(matter, phone);
          expect(response.status).toBe(201);
          ids.push(response.body.id);
        }
        open();
        await queue.settled();
        const orders = await Promise.all(ids.map((id) => d.read(id)));
        const dataSource = t.app.get(DataSource);
        const [{ matterId }] = await dataSource.query<{ matterId: number | string }[]>('SELECT matterId FROM matter_fingerprints WHERE workOrderId = ?', [ids[0]]);
        return { orders, changes: changes.filter((change) => change.matterId === Number(matterId)) };
      } finally {
        open();
        record.mockRestore();
        events.off('hotspot.changed', heard);
      }
    }

    it('share one count and one write of their hotspot: the first order that reached it formed it, the others grew it, one push', async () => {
      const counted = jest.spyOn(t.app.get(RepeatDetector), 'matterSince');
      try {
        const { orders, changes } = await registerAsOneBatch(RIVER, ['13912340001', '13912340002', '13912340003', '13912340004', '13912340005']);
        // The first two orders did not reach a hotspot when recorded (3 orders are one); the third formed it.
        expect(orders.map((order) => order.timeline.map((e) => e.action))).toEqual([
          ['register'],
          ['register'],
          ['register', 'hotspot-joined'],
          ['register', 'hotspot-joined'],
          ['register', 'hotspot-joined'],
        ]);
        expect(orders.slice(2).map((order) => order.timeline[1].payload)).toEqual([
          expect.objectContaining({ change: 'formed', memberCount: 5, callerCount: 5 }),
          expect.objectContaining({ change: 'grown', memberCount: 5, callerCount: 5 }),
          expect.objectContaining({ change: 'grown', memberCount: 5, callerCount: 5 }),
        ]);
        expect(changes).toEqual([expect.objectContaining({ change: 'formed', memberCount: 5, callerCount: 5, workOrderId: orders[4].id })]);
        // Counted once for the batch, not once per order.
        expect(counted.mock.calls.filter(([matterId]) => matterId === changes[0].matterId)).toHaveLength(1);
        const rows = await t.app.get(DataSource).query<{ memberCount: number }[]>('SELECT memberCount FROM hotspots WHERE matterId = ?', [changes[0].matterId]);
        expect(rows.map((row) => Number(row.memberCount))).toEqual([5]);
      } finally {
        counted.mockRestore();
      }
    });

    it('of two processes at once, over the same matters in opposite orders, leave each hotspot counted whole and every order joined once', async () => {
      const MATTERS = [
        {
          categoryCode: 'C020101',
          district: 'xc',
          street: 'xc_jq',
          address: '金桥街道金桥菜市场北口',
          title: '金桥菜市场北口占道经营',
          content: '金桥菜市场北口每天早上摆满了卖菜的摊位，把人行道和一条车道都占了，电动车和行人挤在一起很危险，请城管整治。',
        },
        {
          categoryCode: 'C020201',
          district: 'xc',
          street: 'xc_jq',
          address: '金桥街道银杏路两侧',
          title: '银杏路行道树枝条挡住路灯',
          content: '银杏路两侧的行道树好几年没修剪了，枝条把路灯全挡住，晚上路面很黑，还压着电线，请园林部门尽快修剪。',
        },
      ];
      const queue = t.app.get(RepeatScreeningQueue);
      const screening = t.app.get(RepeatScreening);
      const detector = t.app.get(RepeatDetector);
      const dataSource = t.app.get(DataSource);
      // Registered and recorded here, one by one; their hotspots are left to the two batches below.
      const lost = jest.spyOn(queue, 'submit').mockImplementation(() => undefined);
      const screened: ScreenedOrder[] = [];
      try {
        for (let i = 0; i < 12; i++) {
          const response = await post(MATTERS[i % 2], `1381234${String(i).padStart(4, '0')}`);
          expect(response.status).toBe(201);
          const order = await dataSource.getRepository(WorkOrder).findOneByOrFail({ id: response.body.id });
          const matter = matterOf(order);
          const features = await detector.featuresOf(matter);
          const one = await screening.record(order, matter, await detector.findCandidates(matter, { features }), features);
          expect(one).not.toBeNull();
          screened.push(one!);
        }
      } finally {
        lost.mockRestore();
        // Their queue rows go too: no sweep of a later test is to screen them.
        await dataSource.getRepository(RepeatScreeningPending).delete({ workOrderId: In(screened.map(({ order }) => order.id)) });
      }
      // Each process's batch: every other order (both matters in each), the second process's given newest first.
      const first = screened.filter((_, i) => i % 4 < 2);
      const second = screened.filter((_, i) => i % 4 >= 2).reverse();
      const failed = jest.spyOn(Logger.prototype, 'error');
      const warned = jest.spyOn(Logger.prototype, 'warn');
      try {
        await Promise.all([screening.trackHotspots(first), screening.trackHotspots(second)]);
        expect([...failed.mock.calls, ...warned.mock.calls]).toEqual([]);
      } finally {
        failed.mockRestore();
        warned.mockRestore();
      }
      for (const matterId of new Set(screened.map(({ recorded }) => recorded.matterId))) {
        const [members, hotspots] = await Promise.all([
          dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM matter_fingerprints WHERE matterId = ?', [matterId]),
          dataSource.query<{ memberCount: number | string; callerCount: number | string }[]>('SELECT memberCount, callerCount FROM hotspots WHERE matterId = ?', [matterId]),
        ]);
        expect(hotspots.map((row) => [Number(row.memberCount), Number(row.callerCount)])).toEqual([[Number(members[0].n), Number(members[0].n)]]);
      }
      const reached = screened.filter(({ recorded }) => recorded.matter.reachesHotspot).map(({ order }) => order.id);
      expect(reached.length).toBeGreaterThanOrEqual(8);
      const joined = await dataSource.query<{ workOrderId: number | string; note: unknown }[]>(
        `SELECT workOrderId, payload AS note FROM work_order_events WHERE action = 'hotspot-joined' AND workOrderId IN (${screened.map(({ order }) => order.id).join(', ')})`,
      );
      expect(joined.map((row) => Number(row.workOrderId)).sort((a, b) => a - b)).toEqual(reached.sort((a, b) => a - b));
      // Each matter formed once, by whichever batch came first.
      expect(joined.filter((row) => JSON.stringify(row.note).includes('formed'))).toHaveLength(2);
    });

    it('are kept one order at a time when the transaction of the batch fails, with the same outcome', async () => {
      const repository = t.app.get(HotspotsRepository);
      const lockOrders = repository.lockOrders.bind(repository);
      const locks = jest.spyOn(repository, 'lockOrders').mockImplementation((ids, manager) =>
        ids.length > 1 ? Promise.reject(new Error('simulated failure of the batch')) : lockOrders(ids, manager),
      );
      const warned = jest.spyOn(Logger.prototype, 'warn');
      try {
        const { orders, changes } = await registerAsOneBatch(SQUARE, ['13912350001', '13912350002', '13912350003', '13912350004']);
        // The batch's two orders that reached the hotspot, then each alone (the blocking order's own matter left aside).
        const ours = new Set(orders.map((order) => order.id));
        expect(locks.mock.calls.map(([ids]) => ids.filter((id) => ours.has(id))).filter((ids) => ids.length > 0)).toEqual([
          [orders[2].id, orders[3].id],
          [orders[2].id],
          [orders[3].id],
        ]);
        expect(warned.mock.calls.filter(([message]) => String(message).includes('trying each alone'))).toHaveLength(1);
        expect(orders.slice(2).map((order) => order.timeline.map((e) => [e.action, e.payload?.change ?? null]))).toEqual([
          [['register', null], ['hotspot-joined', 'formed']],
          [['register', null], ['hotspot-joined', 'grown']],
        ]);
        expect(changes.map((change) => [change.change, change.memberCount])).toEqual([['formed', 4], ['grown', 4]]);
      } finally {
        locks.mockRestore();
        warned.mockRestore();
      }
    });
  });

  // InnoDB's locks: a locking read that scans the table instead of the matters' index locks every row (SQLite has one writer).
  if (engine === 'mysql') {
    describe('hotspot rows locked by a batch', () => {
      const row = (matterId: number, at: Date) => ({
        matterId,
        title: `热点 ${matterId}`,
        address: `金桥街道 ${matterId} 号`,
        districtUnitId: null,
        streetUnitId: null,
        categoryId: 1,
        memberCount: 3,
        callerCount: 3,
        firstAt: at,
        lastAt: at,
        formedAt: at,
        updatedAt: at,
      });

      it('are only its own matters\' rows: a batch about other matters does not wait for it, one about the same matter does', async () => {
        const repository = t.app.get(HotspotsRepository);
        const dataSource = t.app.get(DataSource);
        const at = new Date();
        // A few dozen rows: where the optimizer, left alone, reads a list of matters by scanning the table.
        const base = 900_000;
        await dataSource.transaction((manager) => repository.ensureLocked(Array.from({ length: 40 }, (_, i) => row(base + 3 * i, at)), manager));
        const holder = dataSource.createQueryRunner();
        const other = dataSource.createQueryRunner();
        try {
          await holder.startTransaction();
          const held = await repository.ensureLocked([row(base + 30, at), row(base + 60, at)], holder.manager);
          expect([...held.keys()]).toEqual([base + 30, base + 60]);
          await other.startTransaction();
          // A wait would end in a lock wait timeout (1205) after a second, not hang the test.
          await other.query('SET SESSION innodb_lock_wait_timeout = 1');
          // Sixteen other matters, as many as a busy batch holds (and one new): few rows, many matters — a scan.
          const otherMatters = [...Array.from({ length: 18 }, (_, i) => base + 3 * (i + 1)).filter((matterId) => matterId !== base + 30 && matterId !== base + 60), base + 200];
          const others = await repository.ensureLocked(otherMatters.map((matterId) => row(matterId, at)), other.manager);
          expect([...others.keys()]).toEqual(otherMatters);
          expect(others.get(base + 9)).toMatchObject({ memberCount: 3, title: `热点 ${base + 9}`, lastAt: at });
          await other.rollbackTransaction();
          await other.startTransaction();
          await expect(repository.ensureLocked([row(base + 60, at)], other.manager)).rejects.toMatchObject({ driverError: { errno: 1205 } });
        } finally {
          for (const runner of [other, holder]) {
            if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
            await runner.query('SET SESSION innodb_lock_wait_timeout = DEFAULT').catch(() => undefined);
            await runner.release();
          }
          await dataSource.query('DELETE FROM hotspots WHERE matterId >= ?', [base]);
        }
      });
    });
  }

  describe('hotspots of one caller', () => {
    it('are none while one caller calls again and again, and form when a second caller joins', async () => {
      const MARKET = {
        categoryCode: 'C050202',
        street: 'dc_cy',
        address: '朝阳街道光华里小区北门',
        title: '光华里小区北门消防通道被占',
        content: '光华里小区北门的消防通道常年停满私家车，上次救护车都开不进来，物业劝说无效，请求交警部门清理。',
      };
      const first = await register(MARKET, '13722220001');
      await register(MARKET, '13722220001');
      const third = await register(MARKET, '13722220001');
      expect(third.repeatOfId).toBe(first.id);
      const dataSource = t.app.get(DataSource);
      const [{ matterId }] = await dataSource.query<{ matterId: number }[]>('SELECT matterId FROM matter_fingerprints WHERE workOrderId = ?', [third.id]);
      expect(await dataSource.query('SELECT id FROM hotspots WHERE matterId = ?', [matterId])).toEqual([]);
      const fourth = await register(MARKET, '13722220002');
      expect(fourth.timeline.map((e) => e.action)).toEqual(['register', 'hotspot-joined']);
      const rows = await dataSource.query<{ memberCount: number; callerCount: number }[]>('SELECT memberCount, callerCount FROM hotspots WHERE matterId = ?', [matterId]);
      expect(rows.map((row) => ({ memberCount: Number(row.memberCount), callerCount: Number(row.callerCount) }))).toEqual([{ memberCount: 4, callerCount: 2 }]);
    });
  });

  describe('concurrent registrations of one matter', () => {
    it('leave one hotspot row and repeat counts that match the marks', async () => {
      const first = await register(LIFT, '13500000000');
      const phones = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? '13500000000' : `1350000000${i}`));
      const orders = await Promise.all(phones.map((phone) => register(LIFT, phone)));
      const ids = [first.id, ...orders.map((o) => o.id)];
      const dataSource = t.app.get(DataSource);
      const [{ matterId }] = await dataSource.query<{ matterId: number }[]>('SELECT matterId FROM matter_fingerprints WHERE workOrderId = ?', [first.id]);
      const members = await dataSource.query<{ workOrderId: number }[]>('SELECT workOrderId FROM matter_fingerprints WHERE matterId = ?', [matterId]);
      const hotspots = await dataSource.query<{ memberCount: number; callerCount: number }[]>('SELECT memberCount, callerCount FROM hotspots WHERE matterId = ?', [matterId]);
      expect(hotspots).toHaveLength(1);
      expect(Number(hotspots[0].memberCount)).toBe(members.length);
      const read = await Promise.all(ids.map((id) => d.read(id)));
      for (const order of read) {
        const marked = read.filter((other) => other.repeatOfId === order.id).length;
        expect({ id: order.id, repeatCount: order.repeatCount }).toEqual({ id: order.id, repeatCount: marked });
      }
      // The same caller's later orders are repeats of the first; the others are not.
      const repeats = read.filter((o) => o.repeatOfId !== null);
      expect(repeats.every((o) => o.repeatOfId === first.id && o.citizenPhone === '13500000000')).toBe(true);
      expect(repeats.length).toBe(members.filter((m) => phones[orders.findIndex((o) => o.id === Number(m.workOrderId))] === '13500000000').length);

      // The hotspot's count (one statement with the latest member) agrees with the members read one by one, whether
      // the window ends with the latest order (as when it was just recorded) or has to be counted again (a later
      // order was recorded first: here the window is taken from long before).
      const detector = t.app.get(RepeatDetector);
      const all = await detector.members(Number(matterId), null);
      const latest = all[all.length - 1];
      const windowMs = detector.windows.hotspotWindowDays * 24 * 60 * 60 * 1000;
      const expected = {
        latest: { workOrderId: latest.workOrderId, createdAt: latest.createdAt },
        memberCount: all.length,
        callerCount: new Set(all.map((m) => m.citizenPhone)).size,
        firstAt: all[0].createdAt,
      };
      expect(await detector.matterSince(Number(matterId), new Date(latest.createdAt.getTime() - windowMs))).toEqual(expected);
      expect(await detector.matterSince(Number(matterId), new Date(latest.createdAt.getTime() - 3 * windowMs))).toEqual(expected);
      expect(await detector.matterSince(Number(matterId), new Date(latest.createdAt.getTime() + 1))).toBeNull();
      expect(Number(hotspots[0].callerCount)).toBe(expected.callerCount);

      // A hotspot that only grew since its counts were taken (the row's, under its lock) reads only the orders after
      // them, each caller counted once whether already counted or new; counted whole when one of the counted orders
      // fell out of the window.
      const cut = all.findIndex((member, i) => i >= 2 && i + 1 < all.length && member.createdAt.getTime() < all[i + 1].createdAt.getTime());
      expect(cut).toBeGreaterThan(0);
      const prefix = all.slice(0, cut + 1);
      const known = { memberCount: prefix.length, callerCount: new Set(prefix.map((m) => m.citizenPhone)).size, firstAt: prefix[0].createdAt, lastAt: prefix[cut].createdAt };
      const since = new Date(latest.createdAt.getTime() - windowMs);
      const whole = jest.spyOn(MatterIndexRepository.prototype, 'matterSummary');
      const added = jest.spyOn(MatterIndexRepository.prototype, 'membersAfter');
      try {
        expect(await detector.matterSince(Number(matterId), since, undefined, known)).toEqual(expected);
        expect({ whole: whole.mock.calls.length, added: added.mock.calls.length }).toEqual({ whole: 0, added: 1 });
        expect(await detector.matterSince(Number(matterId), since, undefined, { ...known, firstAt: new Date(since.getTime() - 1) })).toEqual(expected);
        expect(whole.mock.calls.length).toBe(1);
      } finally {
        whole.mockRestore();
        added.mockRestore();
      }
    });
  });
});

/** Waits until `check` holds (a state the code under test reaches by itself), failing after ten seconds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
