import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

interface TreeNode {
  id: number;
  code: string;
  name: string;
  level: number;
  path: string;
  active: boolean;
  children: TreeNode[];
}

interface CategoryBody {
  id: number;
  code: string;
  name: string;
  level: number;
  parentId: number | null;
  path: string;
  defaultLeadUnitId: number | null;
  defaultRequestType: string | null;
  sortOrder: number;
  active: boolean;
}

const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe.each(enginesUnderTest())('categories administration (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let api: OpenApiConformance;
  let dataSource: DataSource;

  const as = async (username: string) => `Bearer ${await t.token(username)}`;
  const create = async (body: object, username = 'admin') =>
    request(t.server).post('/api/categories').set('Authorization', await as(username)).set('x-correlation-id', 'categories-test-01').send(body);
  const patch = async (id: number | string, body: object, username = 'admin') =>
    request(t.server).patch(`/api/categories/${id}`).set('Authorization', await as(username)).send(body);
  const tree = async () => flatten((await t.get('agent1', '/api/categories')).body as TreeNode[]);
  const auditRows = (id: number) => dataSource.getRepository(AuditEvent).find({ where: { targetType: 'category', targetId: String(id) }, order: { id: 'ASC' } });

  let serial = 0;
  /** A new three-level branch: 测试N / 测试N-中类 / 测试N-小类, the leaf led by 城管局 with request type `help`. */
  const branch = async (): Promise<{ top: CategoryBody; middle: CategoryBody; leaf: CategoryBody }> => {
    serial += 1;
    const top = await create({ code: `T${serial}`, name: `测试${serial}` });
    const middle = await create({ code: `T${serial}01`, name: `测试${serial}-中类`, parentId: top.body.id });
    const leaf = await create({ code: `T${serial}0101`, name: `测试${serial}-小类`, parentId: middle.body.id, defaultLeadUnitId: d.unit('cgj'), defaultRequestType: 'help' });
    for (const response of [top, middle, leaf]) expect(response.status).toBe(201);
    return { top: top.body, middle: middle.body, leaf: leaf.body };
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body as OpenApiDocument);
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('POST /api/categories', () => {
    it('creates three levels with paths and defaults; they are in the tree at once and audited', async () => {
      const { top, middle, leaf } = await branch();
      expect(top).toMatchObject({ level: 1, parentId: null, path: top.name, defaultLeadUnitId: null, defaultRequestType: null, sortOrder: 0, active: true });
      expect(middle).toMatchObject({ level: 2, parentId: top.id, path: `${top.name}/${middle.name}` });
      expect(leaf).toEqual({
        id: expect.any(Number),
        code: leaf.code,
        name: leaf.name,
        level: 3,
        parentId: middle.id,
        path: `${top.name}/${middle.name}/${leaf.name}`,
        defaultLeadUnitId: d.unit('cgj'),
        defaultRequestType: 'help',
        sortOrder: 0,
        active: true,
      });
      expect((await tree()).find((c) => c.id === leaf.id)?.path).toBe(leaf.path);
      const rows = await auditRows(leaf.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'category.create', actorRole: 'admin', correlationId: 'categories-test-01' });
      expect(JSON.parse(rows[0].details)).toEqual({ before: null, after: leaf });
    });

    it('conforms to the OpenAPI document', async () => {
      const response = await create({ code: 'T_DOC', name: '文档', sortOrder: 5 });
      expect(response.status).toBe(201);
      expect(api.problemsOf('/api/categories', 'post', response)).toEqual([]);
    });

    it('answers 409 for a code already taken', async () => {
      const response = await create({ code: 'C010101', name: '重复' });
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('C010101 is already taken');
    });

    it.each([
      ['a fourth level', 'leaf', 'categories have three levels'],
      ['a parent that does not exist', 999999, 'Parent category 999999 does not exist'],
    ])('answers 422 for %s', async (_case, parent, message) => {
      const parentId = parent === 'leaf' ? (await branch()).leaf.id : parent;
      const response = await create({ code: 'T_BAD', name: '坏分类', parentId });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(message);
    });

    it('answers 422 under a deactivated parent', async () => {
      const { middle } = await branch();
      await patch(middle.id, { active: false });
      const response = await create({ code: 'T_UNDER_OFF', name: '停用下', parentId: middle.id });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it.each([
      ['the center', 'center', 'center cannot be a default lead unit'],
      ['a unit that does not exist', 999999, 'Unit 999999 does not exist'],
    ])('answers 422 for a default lead unit that is %s', async (_case, unit, message) => {
      const defaultLeadUnitId = typeof unit === 'string' ? d.unit(unit) : unit;
      const response = await create({ code: 'T_LEAD', name: '主办', defaultLeadUnitId });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(message);
    });

    it('answers 422 for a deactivated default lead unit', async () => {
      const unit = await request(t.server).post('/api/units').set('Authorization', await as('admin')).send({ code: 't_gone', name: '撤销局', type: 'bureau', parentId: d.unit('center') });
      await request(t.server).patch(`/api/units/${unit.body.id}`).set('Authorization', await as('admin')).send({ active: false });
      const response = await create({ code: 'T_LEAD_OFF', name: '主办停用', defaultLeadUnitId: unit.body.id });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it.each([
      ['an unknown request type', { defaultRequestType: 'gossip' }, 'defaultRequestType must be one of'],
      ['a code with a slash', { code: 'C/1' }, 'code must start with a letter or digit'],
      ['a blank name', { name: ' ' }, 'name must not be blank'],
      ['a given level', { level: 2 }, 'property level should not exist'],
      ['a negative sort order', { sortOrder: -1 }, 'sortOrder must not be less than 0'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await create({ code: 'T_INVALID', name: '无效', ...body });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it.each(['agent1', 'dispatcher1', 'supervisor1', 'dc_admin', 'dc_handler'])('answers 403 to %s', async (username) => {
      expect((await create({ code: 'T_FORBIDDEN', name: '无权' }, username)).status).toBe(403);
      expect((await patch(d.category('C010101'), { name: '改名' }, username)).status).toBe(403);
    });
  });

  describe('PATCH /api/categories/:id', () => {
    it('renames (the paths below follow at once) and changes the defaults, with before and after in the audit trail', async () => {
      const { top, middle, leaf } = await branch();
      const response = await patch(top.id, { name: '改名大类' });
      expect(response.status).toBe(200);
      expect(api.problemsOf('/api/categories/{id}', 'patch', response)).toEqual([]);
      expect(response.body.path).toBe('改名大类');
      expect((await tree()).find((c) => c.id === leaf.id)?.path).toBe(`改名大类/${middle.name}/${leaf.name}`);

      const defaults = await patch(leaf.id, { defaultLeadUnitId: d.unit('zjj'), defaultRequestType: 'complaint', sortOrder: 3 });
      expect(defaults.body).toMatchObject({ defaultLeadUnitId: d.unit('zjj'), defaultRequestType: 'complaint', sortOrder: 3 });
      const cleared = await patch(leaf.id, { defaultLeadUnitId: null, defaultRequestType: null });
      expect(cleared.body).toMatchObject({ defaultLeadUnitId: null, defaultRequestType: null });

      const rows = await auditRows(leaf.id);
      expect(rows.map((r) => r.action)).toEqual(['category.create', 'category.update', 'category.update']);
      expect(JSON.parse(rows[1].details)).toMatchObject({
        before: { defaultLeadUnitId: d.unit('cgj'), defaultRequestType: 'help' },
        after: { defaultLeadUnitId: d.unit('zjj'), defaultRequestType: 'complaint' },
      });
    });

    it('moves a category under another parent of the same level', async () => {
      const a = await branch();
      const b = await branch();
      const response = await patch(a.leaf.id, { parentId: b.middle.id });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ parentId: b.middle.id, level: 3, path: `${b.top.name}/${b.middle.name}/${a.leaf.name}` });
      expect((await tree()).find((c) => c.id === a.leaf.id)?.path).toBe(response.body.path);
    });

    it('refuses a cycle, a move to another level and a move under a deactivated category (422)', async () => {
      const { top, middle, leaf } = await branch();
      const other = await branch();
      const cycle = await patch(top.id, { parentId: leaf.id });
      expect(cycle.status).toBe(422);
      expect(cycle.body.message).toContain('its own descendant');
      const itself = await patch(middle.id, { parentId: middle.id });
      expect(itself.status).toBe(422);
      expect(itself.body.message).toContain('its own parent');
      const level = await patch(leaf.id, { parentId: other.top.id });
      expect(level.status).toBe(422);
      expect(level.body.message).toContain('keeps it');
      const toTop = await patch(middle.id, { parentId: null });
      expect(toTop.status).toBe(422);
      await patch(other.middle.id, { active: false });
      const underInactive = await patch(leaf.id, { parentId: other.middle.id });
      expect(underInactive.status).toBe(422);
      expect(underInactive.body.message).toContain('is deactivated');
      expect((await tree()).find((c) => c.id === leaf.id)?.path).toBe(leaf.path);
    });

    it('answers 422 for a default lead unit that is the center', async () => {
      const { leaf } = await branch();
      const response = await patch(leaf.id, { defaultLeadUnitId: d.unit('center') });
      expect(response.status).toBe(422);
    });

    it('a deactivated category, or one below a deactivated category, takes no new work order; reactivated it does', async () => {
      const { top, leaf } = await branch();
      const fresh = await new WorkOrderDriver(t).load();
      const register = () => t.post('agent1', '/api/work-orders', fresh.registration({ categoryId: leaf.id }));
      expect((await register()).status).toBe(201);

      expect((await patch(leaf.id, { active: false })).body.active).toBe(false);
      const refused = await register();
      expect(refused.status).toBe(422);
      expect(refused.body.message).toContain('no longer in use');
      expect((await patch(leaf.id, { active: true })).status).toBe(200);
      expect((await register()).status).toBe(201);

      await patch(top.id, { active: false });
      const belowInactive = await register();
      expect(belowInactive.status).toBe(422);
      expect(belowInactive.body.message).toContain(`${top.name} above it was deactivated`);
      await patch(top.id, { active: true });
      expect((await register()).status).toBe(201);
    });

    it.each([
      ['an empty body', {}, 'Give at least one of'],
      ['a null name', { name: null }, 'name must be a string'],
      ['a code change', { code: 'X1' }, 'property code should not exist'],
      ['a text active', { active: 'no' }, 'active must be a boolean'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await patch(d.category('C010101'), body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it('answers 404 for a category that does not exist, 400 for an id that is not a number', async () => {
      expect((await patch(999999, { name: '无' })).status).toBe(404);
      expect((await patch('x', { name: '无' })).status).toBe(400);
    });
  });
});
