import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';

interface ListItem {
  id: number;
  number: string;
  status: string;
  urgency: string;
  createdAt: string;
  updatedAt: string;
  replyDueAt: string | null;
  acceptDueAt: string | null;
  leadUnit: { id: number } | null;
}

interface ListBody {
  items: ListItem[];
  total: number;
  totalExact: boolean;
  hasMore: boolean;
  nextCursor: string | null;
}

const STATUS_ORDER = ['registered', 'dispatched', 'return_requested', 'processing', 'suspended', 'unit_review', 'reply_review', 'callback_pending', 'closed', 'merged', 'cancelled', 'invalid'];
const URGENCY_RANK: Record<string, number> = { normal: 1, urgent: 2, critical: 3 };

/** Keyset (cursor) paging over every sort and scope: following nextCursor gives each order once, in the sort's order. */
describe.each(enginesUnderTest())('list paging by cursor (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const orders: OrderBody[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const base = Date.UTC(2026, 9, 5, 2, 0, 0);
    const leads = ['dc_cy', 'dc_cy_1', 'cgj', 'water', 'dc_dg'];
    const urgencies = ['normal', 'urgent', 'critical', 'normal'];
    for (let i = 0; i < 26; i++) {
      // Pairs of orders share a registration instant, so ties on the sort column are broken by id.
      t.clock.set(new Date(base + Math.floor(i / 2) * 3_600_000));
      const order = await d.register('agent1', { title: `第${i}号`, urgency: urgencies[i % urgencies.length] });
      if (i % 3 !== 0) {
        const dispatched = await d.act('dispatcher1', order.id, 'dispatch', {
          leadUnitId: d.unit(leads[i % leads.length]),
          assistingUnitIds: [
            ...(i % 4 === 1 ? [d.unit(leads[i % leads.length] === 'dc_cy' ? 'dc_dg' : 'dc_cy')] : []),
            // The water company assists most orders: on MariaDB its list walks the orders instead of driving from its
            // assisting rows (work-order-list.repository.ts), and both ways must page alike.
            ...(leads[i % leads.length] !== 'water' ? [d.unit('water')] : []),
          ],
        });
        if (i % 5 === 0) await d.act(`${leads[i % leads.length]}_handler`, dispatched.id, 'accept');
      }
      orders.push(order);
    }
    t.clock.set(null);
  });

  afterAll(async () => {
    await t.close();
  });

  async function list(user: string, query: string): Promise<ListBody> {
    const response = await t.get(user, `/api/work-orders?${query}`);
    if (response.status !== 200) throw new Error(`${query}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ListBody;
  }

  /** Every page by cursor, pageSize 4. */
  async function followCursor(user: string, query: string): Promise<ListItem[]> {
    const items: ListItem[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page: ListBody = await list(user, `${query}&pageSize=4${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.items);
      expect(page.hasMore).toBe(page.nextCursor !== null);
      cursor = page.nextCursor;
      if (!cursor) return items;
      expect(page.items).toHaveLength(4);
    }
    throw new Error('more than 50 pages');
  }

  const time = (value: string | null) => (value === null ? null : Date.parse(value));
  const byId = (a: ListItem, b: ListItem, dir: number) => dir * (a.id - b.id);
  function expected(all: ListItem[], sortBy: string, order: 'ASC' | 'DESC'): number[] {
    const dir = order === 'ASC' ? 1 : -1;
    const sorted = [...all].sort((a, b) => {
      switch (sortBy) {
        case 'createdAt':
        case 'number':
        case 'updatedAt': {
          const column = sortBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
          return dir * (Date.parse(a[column]) - Date.parse(b[column])) || byId(a, b, dir);
        }
        case 'replyDueAt':
        case 'acceptDueAt': {
          const va = time(a[sortBy]);
          const vb = time(b[sortBy]);
          if (va === null || vb === null) return va === vb ? byId(a, b, -1) : va === null ? 1 : -1;
          return dir * (va - vb) || byId(a, b, dir);
        }
        case 'status':
          return dir * (STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)) || Date.parse(b.createdAt) - Date.parse(a.createdAt) || byId(a, b, -1);
        case 'urgency':
          return dir * (URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency]) || Date.parse(b.createdAt) - Date.parse(a.createdAt) || byId(a, b, -1);
      }
      throw new Error(sortBy);
    });
    return sorted.map((item) => item.id);
  }

  const sorts: [string, 'ASC' | 'DESC'][] = [
    ['createdAt', 'DESC'],
    ['createdAt', 'ASC'],
    ['number', 'DESC'],
    ['updatedAt', 'DESC'],
    ['replyDueAt', 'ASC'],
    ['replyDueAt', 'DESC'],
    ['acceptDueAt', 'ASC'],
    ['status', 'ASC'],
    ['status', 'DESC'],
    ['urgency', 'DESC'],
    ['urgency', 'ASC'],
  ];

  describe.each([
    ['admin', ''],
    ['dc_cy_handler', ''],
    ['dc_handler', ''],
    ['water_handler', ''],
    ['admin', 'leadUnitId=DC'],
    ['dc_cy_handler', 'leadUnitId=CGJ'],
    ['admin', 'status=dispatched'],
    // A status filter bounds the assisting rows read by the oldest order in that status (work-order-list.repository.ts).
    ['water_handler', 'status=processing'],
    ['dc_cy_handler', 'status=dispatched'],
    ['water_handler', 'createdFrom=2026-10-05T06:00:00.000Z&createdTo=2026-10-05T11:00:00.000Z'],
  ])('as %s with "%s"', (user, filter) => {
    const query = () => filter.replace('DC', String(d.unit('dc'))).replace('CGJ', String(d.unit('cgj')));

    it.each(sorts)('sorted by %s %s: each order once, in order, the same as one big page', async (sortBy, order) => {
      const base = `${query()}&sortBy=${sortBy}&sortOrder=${order}`;
      const all = (await list(user, `${base}&pageSize=100`)).items;
      expect(all.length).toBeGreaterThan(0);
      const paged = await followCursor(user, base);
      expect(paged.map((o) => o.id)).toEqual(all.map((o) => o.id));
      expect(paged.map((o) => o.id)).toEqual(expected(all, sortBy, order));
    });
  });

  it('a unit handler sees exactly the orders its units lead or assist', async () => {
    const street = [d.unit('dc_cy'), d.unit('dc_cy_1'), d.unit('dc_cy_2')];
    const everything = (await list('admin', 'pageSize=100')).items;
    const seen = (await followCursor('dc_cy_handler', 'sortBy=createdAt')).map((o) => o.id).sort((a, b) => a - b);
    const assisted = new Set<number>();
    for (const item of everything) {
      const detail = (await t.get('admin', `/api/work-orders/${item.id}`)).body as { assistingUnits: { id: number }[] };
      if (detail.assistingUnits.some((part) => street.includes(part.id))) assisted.add(item.id);
    }
    const expectedIds = everything.filter((o) => (o.leadUnit && street.includes(o.leadUnit.id)) || assisted.has(o.id)).map((o) => o.id).sort((a, b) => a - b);
    expect(assisted.size).toBeGreaterThan(0);
    expect(seen).toEqual(expectedIds);
  });

  it.each([
    ['water_handler', 'processing'],
    ['water_handler', 'dispatched'],
    ['dc_cy_handler', 'dispatched'],
    ['dc_cy_handler', 'processing'],
  ])('%s filtered by status %s sees exactly its orders in that status, counted exactly', async (user, status) => {
    const everything = await followCursor(user, 'sortBy=createdAt');
    const wanted = everything.filter((o) => o.status === status).map((o) => o.id);
    // Each sort reads the unit's assisted orders in the status once, for page and count (assistedMatches).
    for (const sortBy of ['createdAt', 'acceptDueAt', 'updatedAt', 'replyDueAt', 'status', 'urgency']) {
      const seen = await followCursor(user, `status=${status}&sortBy=${sortBy}`);
      expect(seen.map((o) => o.id).sort((a, b) => a - b)).toEqual([...wanted].sort((a, b) => a - b));
    }
    expect(wanted.length).toBeGreaterThan(0);
    expect(await list(user, `status=${status}&pageSize=1`)).toMatchObject({ total: wanted.length, totalExact: true });
  });

  it('counts exactly under the cap and says so', async () => {
    const page = await list('admin', 'pageSize=5');
    expect(page).toMatchObject({ total: orders.length, totalExact: true, hasMore: true });
    const scoped = await list('dc_cy_handler', 'pageSize=100');
    expect(scoped).toMatchObject({ total: scoped.items.length, totalExact: true, hasMore: false, nextCursor: null });
  });

  it('keeps numbered pages for the first pages and agrees with the cursor', async () => {
    const second = await list('admin', 'pageSize=4&page=2');
    const first = await list('admin', 'pageSize=4');
    const byCursor = await list('admin', `pageSize=4&cursor=${first.nextCursor}`);
    expect(second.items.map((o) => o.id)).toEqual(byCursor.items.map((o) => o.id));
  });

  it.each([
    ['cursor=not-a-cursor', 400, /cursor must be the nextCursor/],
    [`cursor=${Buffer.from('createdAt.DESC~0~1~').toString('base64url')}`, 400, /cursor must be the nextCursor/],
    [`cursor=${Buffer.from('createdAt.DESC~9~1~5').toString('base64url')}`, 400, /cursor must be the nextCursor/],
    [`cursor=${Buffer.from('createdAt.DESC~0~99999999999999999~5').toString('base64url')}`, 400, /cursor must be the nextCursor/],
    ['page=2&cursor=Y3JlYXRlZEF0LkRFU0N-MH4xfjU', 400, /either cursor or page/],
    ['page=102&pageSize=20', 400, /follow nextCursor/],
    ['sortBy=relevance', 400, /needs a keyword/],
    ['sortBy=bogus', 400, /sortBy/],
    [`cursor=${'A'.repeat(200)}`, 400, /cursor/],
  ])('refuses %s with %i', async (query, status, message) => {
    const response = await t.get('admin', `/api/work-orders?${query}`);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.message)).toMatch(message);
  });

  it('refuses a cursor of another sort', async () => {
    const first = await list('admin', 'pageSize=2&sortBy=updatedAt');
    const response = await t.get('admin', `/api/work-orders?pageSize=2&sortBy=createdAt&cursor=${first.nextCursor}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/another sort/);
  });
});
