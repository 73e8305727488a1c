import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { MroongaWorkOrderSearch } from './mroonga-work-order-search';
import { KEYWORD_TOTAL, KEYWORD_WALK, RANKED } from '../work-orders/list/work-order-list.service';
import { bodyOf, WorkOrderSearch } from './work-order-search';

/** Hostile input for the engines' query syntax: none of it may throw. */
const HOSTILE = ['"', '""', '*', '+-', '(', ')', '(路灯', 'OR', 'NEAR', 'NEAR(a b)', 'AND', 'NOT', '\\', "'", '^', ':', '-路灯', '+路灯 -', '路灯*', '"路灯', '*W1:10 路灯', 'a OR b', '~路灯', '<>', '@2', '　', '%', '_', '\u0000'];

describe.each(enginesUnderTest())('work-order full-text search (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let search: WorkOrderSearch;
  let lamp: OrderBody;
  let lampInTitleTwice: OrderBody;
  let road: OrderBody;
  let lampInContentOnce: OrderBody;
  let water: OrderBody;
  const all: OrderBody[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    search = t.app.get(WorkOrderSearch);
    const register = async (overrides: Record<string, unknown>) => {
      const order = await d.register('agent1', overrides);
      all.push(order);
      return order;
    };
    lamp = await register({ title: '朝阳路路灯不亮', content: '朝阳路18号门前路灯连续三晚不亮，请求维修。', address: '朝阳街道朝阳路18号', citizenName: '王秘密', citizenPhone: '13900001111' });
    road = await register({ title: '西湖路路面塌陷', content: '人行道路面塌陷约一米，已有行人摔倒。', address: '西湖路与湖滨街交叉口', categoryId: d.category('C010102') });
    lampInContentOnce = await register({ title: '小区照明问题', content: '小区门口一盏路灯不亮。', address: '南湖花园小区' });
    lampInTitleTwice = await register({ title: '路灯不亮，路灯杆倾斜', content: '解放路路灯杆倾斜，路灯不亮，存在安全隐患，路灯附近有学校。', address: '解放路12号' });
    water = await register({ title: '南湖花园突然停水', content: 'ＡＢＣ物业称 Water pipe 维修，18号楼停水。', address: '南湖花园小区18号楼', categoryId: d.category('C070101') });
    for (let i = 0; i < 7; i++) await register({ title: `金桥路路灯损坏 第${i + 1}处`, content: '金桥路一排路灯全部熄灭。', address: `金桥路${i + 1}号` });
  });

  afterAll(async () => {
    await t.close();
  });

  const lampOrders = () => all.filter((o) => o.id !== road.id && o.id !== water.id);

  it('finds a 2-character word (路灯) and not its neighbours (路面)', async () => {
    const found = await search.newest('路灯', null, 100);
    expect(found).toEqual(lampOrders().map((o) => o.id).sort((a, b) => b - a));
    expect(await search.newest('路面', null, 100)).toEqual([road.id]);
  });

  it('finds longer phrases as phrases, and a single character wherever it stands', async () => {
    expect(await search.newest('朝阳路路灯', null, 100)).toEqual([lamp.id]);
    expect(await search.newest('路灯杆倾斜', null, 100)).toEqual([lampInTitleTwice.id]);
    // 灯路 is in no text (the characters appear, but never in that order).
    expect(await search.newest('灯路', null, 100)).toEqual([]);
    expect(await search.newest('塌', null, 100)).toEqual([road.id]);
    expect(await search.newest('陷', null, 100)).toEqual([road.id]);
  });

  it('needs every space-separated word (AND), in any column', async () => {
    expect(await search.newest('路灯 朝阳街道', null, 100)).toEqual([lamp.id]);
    expect(await search.newest('路灯 南湖', null, 100)).toEqual([lampInContentOnce.id]);
    expect(await search.newest('路灯 停水', null, 100)).toEqual([]);
  });

  it('matches Latin words and digits by prefix, after full-width and case normalisation', async () => {
    expect(await search.newest('abc', null, 100)).toEqual([water.id]);
    expect(await search.newest('ＷＡＴ', null, 100)).toEqual([water.id]);
    expect(await search.newest('18号楼', null, 100)).toEqual([water.id]);
  });

  it('finds an order by its number, exactly or by a prefix of it', async () => {
    expect(await search.newest(road.number, null, 100)).toEqual([road.id]);
    const day = road.number.slice(0, 8);
    expect((await search.newest(day, null, 100)).sort((a, b) => a - b)).toEqual(all.map((o) => o.id).sort((a, b) => a - b));
    expect(await search.newest(`${road.number}9`, null, 100)).toEqual([]);
  });

  it("never matches the citizen's name or phone", async () => {
    expect(await search.newest('王秘密', null, 100)).toEqual([]);
    expect(await search.newest('13900001111', null, 100)).toEqual([]);
    expect(await search.count('秘密', 100)).toBe(0);
  });

  it('ranks an order that has the words in its title and more often first', async () => {
    const ranked = await search.ranked('路灯', 100);
    expect(ranked.map((r) => r.id).sort((a, b) => a - b)).toEqual(lampOrders().map((o) => o.id).sort((a, b) => a - b));
    expect(ranked[0].id).toBe(lampInTitleTwice.id);
    expect(ranked[ranked.length - 1].id).toBe(lampInContentOnce.id);
    for (let i = 1; i < ranked.length; i++) {
      const [before, after] = [ranked[i - 1], ranked[i]];
      expect(before.score > after.score || (before.score === after.score && before.id > after.id)).toBe(true);
    }
    expect(await search.ranked('路灯', 2)).toEqual(ranked.slice(0, 2));
  });

  it('weights a match in the title over one in the body', async () => {
    const inTitle = await d.register('agent1', { title: '消防栓漏水', content: '小区门口的设施损坏，需要维修。', address: '和平路1号' });
    const inBody = await d.register('agent1', { title: '设施损坏漏水', content: '小区门口的消防栓损坏，需要维修。', address: '和平路2号' });
    const ranked = await search.ranked('消防栓', 10);
    expect(ranked.map((r) => r.id)).toEqual([inTitle.id, inBody.id]);
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
  });

  it('ranks a word common among the newest orders within its newest matches, scored as the index scores them', async () => {
    const bin = (title: string, content: string) => d.register('agent1', { title, content, address: '和平路3号' });
    // The best match of all, but older than the pool of the newest four.
    const oldest = await bin('垃圾桶满溢 垃圾桶破损 垃圾桶缺失', '无');
    const once = await bin('垃圾桶满溢', '小区门口无人清理。'); // 5
    const inBody = await bin('环境卫生问题', '垃圾桶满溢，垃圾桶破损，垃圾桶缺失。'); // 3
    const best = await bin('垃圾桶满溢，垃圾桶破损', '请尽快更换垃圾桶。'); // 11
    const least = await bin('环境卫生问题', '门口垃圾桶满溢。'); // 1
    const pages = async () => {
      const first = await t.get('supervisor1', `/api/work-orders?keyword=${encodeURIComponent('垃圾桶')}&sortBy=relevance&pageSize=3`);
      expect(first.status).toBe(200);
      const ids = (first.body.items as { id: number }[]).map((item) => item.id);
      if (first.body.nextCursor) {
        const second = await t.get('supervisor1', `/api/work-orders?keyword=${encodeURIComponent('垃圾桶')}&sortBy=relevance&pageSize=3&cursor=${first.body.nextCursor}`);
        ids.push(...(second.body.items as { id: number }[]).map((item) => item.id));
      }
      return { ids, total: first.body.total as number };
    };
    const defaults = { ...RANKED };
    try {
      Object.assign(RANKED, { pool: 4, maxPool: 4 });
      expect(await pages()).toEqual({ ids: [best.id, once.id, inBody.id, least.id], total: 5 });
      // Fewer matches than the pool: the index ranks all of them, the oldest (three times in the title) first.
      Object.assign(RANKED, { pool: 6, maxPool: 6 });
      expect((await pages()).ids[0]).toBe(oldest.id);
    } finally {
      Object.assign(RANKED, defaults);
    }
  });

  it('counts matches up to the cap', async () => {
    expect(await search.count('路灯', 10_000)).toBe(lampOrders().length);
    expect(await search.count('路灯', 3)).toBe(3);
    expect(await search.count('路面', 3)).toBe(1);
    expect(await search.count('古树名木', 10_000)).toBe(0);
  });

  it('pages newest first with beforeId, without gaps or repeats', async () => {
    const expected = lampOrders().map((o) => o.id).sort((a, b) => b - a);
    const seen: number[] = [];
    let before: number | null = null;
    for (;;) {
      const page = await search.newest('路灯', before, 3);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(3);
      seen.push(...page);
      before = page[page.length - 1];
    }
    expect(seen).toEqual(expected);
  });

  it('gives the same keyword pages whether the newest orders or the index found them (a common word read from the orders first)', async () => {
    const pagesOf = async (query: string, username = 'supervisor1', pageSize = 3): Promise<number[]> => {
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 50; guard++) {
        const response = await t.get(username, `/api/work-orders?${query}&pageSize=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(response.status).toBe(200);
        seen.push(...(response.body.items as { id: number }[]).map((item) => item.id));
        cursor = response.body.nextCursor;
        if (!cursor) return seen;
      }
      throw new Error('more than 50 pages');
    };
    const since = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const queries = [`keyword=${encodeURIComponent('路灯')}`, `keyword=${encodeURIComponent('路灯 金桥路')}`, `keyword=${encodeURIComponent('路灯')}&createdFrom=${since}`, `keyword=${encodeURIComponent('古树名木')}`];
    const expected = [
      lampOrders().map((o) => o.id).sort((a, b) => b - a),
      all.filter((o) => String(o.title).startsWith('金桥路')).map((o) => o.id).sort((a, b) => b - a),
      lampOrders().map((o) => o.id).sort((a, b) => b - a),
      [],
    ];
    // A unit sees what it leads or assists: two of the lamp orders led by cgj, a third it leads with two of the
    // street's communities assisting (the street's staff see it once), a fourth the street itself leads.
    const dispatched = lampOrders().slice(0, 3);
    for (const order of dispatched.slice(0, 2)) await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('cgj') });
    await d.act('dispatcher1', dispatched[2].id, 'dispatch', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('dc_cy_1'), d.unit('dc_cy_2')] });
    const streetLeads = lampOrders()[3];
    await d.act('dispatcher1', streetLeads.id, 'dispatch', { leadUnitId: d.unit('dc_cy') });
    const streetSees = [dispatched[2].id, streetLeads.id].sort((a, b) => b - a);
    const defaults = { ...KEYWORD_WALK };
    try {
      // Windows of a few ids: the orders are read in several windows, then the index takes over for the rest.
      for (const windows of [defaults, { firstWindow: 2, maxWindow: 3, limit: 7 }, { firstWindow: 1, maxWindow: 1, limit: 1 }]) {
        Object.assign(KEYWORD_WALK, windows);
        for (const [i, query] of queries.entries()) expect({ windows, query, ids: await pagesOf(query) }).toEqual({ windows, query, ids: expected[i] });
        const unitSees = await pagesOf(`keyword=${encodeURIComponent('路灯')}`, 'cgj_handler');
        expect({ windows, unitSees }).toEqual({ windows, unitSees: dispatched.map((o) => o.id).sort((a, b) => b - a) });
        // A page at a time: each window read only until the page is full, the next page from below its last order.
        expect({ windows, unitSees: await pagesOf(`keyword=${encodeURIComponent('路灯')}`, 'cgj_handler', 1) }).toEqual({ windows, unitSees });
        expect({ windows, street: await pagesOf(`keyword=${encodeURIComponent('路灯')}`, 'dc_cy_handler') }).toEqual({ windows, street: streetSees });
      }
    } finally {
      Object.assign(KEYWORD_WALK, defaults);
    }
  });

  it('totals a common word as "cap+" without asking an index that reads every match to count it', async () => {
    const defaults = { ...KEYWORD_TOTAL };
    const counted = jest.spyOn(search, 'count');
    try {
      KEYWORD_TOTAL.cap = 3;
      for (const sortBy of ['createdAt', 'relevance']) {
        const response = await t.get('supervisor1', `/api/work-orders?keyword=${encodeURIComponent('路灯')}&pageSize=2&sortBy=${sortBy}`);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ total: 3, totalExact: false, hasMore: true });
      }
      // Mroonga: counted from the newest orders (KEYWORD_WALK.maxWindow ids); the other engines count through the index.
      if (search.readsEveryMatch) expect(counted).not.toHaveBeenCalled();
      KEYWORD_TOTAL.cap = 1_000;
      const exact = await t.get('supervisor1', `/api/work-orders?keyword=${encodeURIComponent('路灯')}&pageSize=2&sortBy=relevance`);
      expect(exact.body).toMatchObject({ total: lampOrders().length, totalExact: true });
    } finally {
      Object.assign(KEYWORD_TOTAL, defaults);
      counted.mockRestore();
    }
  });

  it('answers nothing, and never fails, for punctuation and engine syntax', async () => {
    for (const query of HOSTILE) {
      await expect(search.newest(query, null, 21)).resolves.toEqual(expect.any(Array));
      await expect(search.newest(query, 1_000_000, 21)).resolves.toEqual(expect.any(Array));
      await expect(search.ranked(query, 21)).resolves.toEqual(expect.any(Array));
      await expect(search.count(query, 100)).resolves.toEqual(expect.any(Number));
    }
    for (const query of ['"', '*', '+-', '(', ')', '\\', "'", '^', ':', '<>', '%', '　', '\u0000']) {
      expect(await search.newest(query, null, 21)).toEqual([]);
      expect(await search.count(query, 100)).toBe(0);
    }
    // Syntax words are plain words: there is no "near" in any order, and "-路灯" is 路灯, not "without 路灯".
    expect(await search.newest('NEAR(a b)', null, 21)).toEqual([]);
    expect(await search.count('-路灯', 100)).toBe(lampOrders().length);
    expect(await search.count('"路灯', 100)).toBe(lampOrders().length);
  });

  it('finds the child order a sub-dispatch creates', async () => {
    const parent = await d.processing('dc', { title: '东关大街井盖缺失', content: '东关大街井盖缺失，夜间危险。', address: '东关大街口', categoryId: d.category('C010103') });
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道处理' });
    const childId: number = withChild.children[0].id;
    expect(await search.newest('井盖缺失', null, 10)).toEqual([childId, parent.id]);
  });

  it('leaves no index row behind a registration that was rolled back', async () => {
    const response = await t.post('agent1', '/api/work-orders', d.registration({ title: '回滚测试工单', attachmentIds: [randomUUID()] }));
    expect(response.status).toBe(422);
    expect(await search.newest('回滚测试', null, 10)).toEqual([]);
    const dataSource = t.app.get(DataSource);
    const [orders] = await dataSource.query('SELECT COUNT(*) AS n FROM work_orders');
    const [indexed] = await dataSource.query('SELECT COUNT(*) AS n FROM work_order_search');
    expect(Number(indexed.n)).toBe(Number(orders.n));
    if (engine === 'mysql') {
      const [orphans] = await dataSource.query(
        'SELECT COUNT(*) AS n FROM work_order_search_pending p LEFT JOIN work_orders o ON o.id = p.workOrderId WHERE o.id IS NULL',
      );
      expect(Number(orphans.n)).toBe(0);
    }
  });

  if (engine === 'mysql') {
    it('catches up on an order committed but not indexed (a crash between COMMIT and the index write)', async () => {
      const order = await d.register('agent1', { title: '湖滨路古树名木倒伏', content: '湖滨路一棵古树名木被大风吹倒。', address: '湖滨路9号' });
      const dataSource = t.app.get(DataSource);
      expect(search).toBeInstanceOf(MroongaWorkOrderSearch);
      const sweep = () => (search as MroongaWorkOrderSearch).catchUp();
      // The registrations so far were indexed right after COMMIT: the sweep only clears their outbox rows.
      expect(await sweep()).toBe(0);
      expect(await dataSource.query('SELECT workOrderId FROM work_order_search_pending')).toEqual([]);

      // What a crash right after COMMIT leaves: the order and its outbox row, no index row.
      await dataSource.query('DELETE FROM work_order_search WHERE id = ?', [order.id]);
      await dataSource.query('INSERT INTO work_order_search_pending (workOrderId) VALUES (?)', [order.id]);
      expect(await search.newest('古树名木', null, 10)).toEqual([]);
      expect(await sweep()).toBe(1);
      expect(await search.newest('古树名木', null, 10)).toEqual([order.id]);
      expect(await dataSource.query('SELECT workOrderId FROM work_order_search_pending')).toEqual([]);
      expect(await sweep()).toBe(0);
    });

    it('indexes the registration in its own CALL, as the application writes the row; a failed index write leaves the outbox row', async () => {
      const dataSource = t.app.get(DataSource);
      const order = await d.register('agent1', { title: '滨江路石栏杆断裂', content: '滨江路亲水平台石栏杆断裂，有坠落风险。', address: '滨江路亲水平台' });
      const [row] = await dataSource.query('SELECT title, body FROM work_order_search WHERE id = ?', [order.id]);
      expect(row).toEqual({ title: order.title, body: bodyOf({ number: order.number, address: order.address as string, content: order.content as string }) });

      // The index write fails after COMMIT (here: its table is away): the order is registered all the same, its outbox
      // row stays, the warning says why (the server's error: 1146, the table does not exist), and the sweep indexes it.
      await dataSource.query('RENAME TABLE work_order_search TO work_order_search_away');
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      let unindexed: Record<string, unknown>;
      let warnings: string[];
      try {
        unindexed = await d.register('agent1', { title: '滨江路护栏油漆剥落', content: '滨江路护栏油漆大面积剥落。', address: '滨江路' });
        warnings = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes(unindexed.number as string));
      } finally {
        await dataSource.query('RENAME TABLE work_order_search_away TO work_order_search');
        warn.mockRestore();
      }
      expect(warnings).toEqual([expect.stringMatching(/not indexed for search .*: 1146 .*work_order_search.* doesn't exist/)]);
      expect((await d.read(unindexed.id as number)).status).toBe('registered');
      expect(await dataSource.query('SELECT workOrderId FROM work_order_search_pending WHERE workOrderId = ?', [unindexed.id])).toEqual([{ workOrderId: unindexed.id }]);
      expect(await search.newest('护栏油漆', null, 10)).toEqual([]);
      expect(await (search as MroongaWorkOrderSearch).catchUp()).toBe(1);
      expect(await search.newest('护栏油漆', null, 10)).toEqual([unindexed.id]);
    });
  }
});
