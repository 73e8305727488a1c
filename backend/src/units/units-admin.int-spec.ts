import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

interface TreeNode {
  id: number;
  code: string;
  parentId: number | null;
  active: boolean;
  leaderSignOff: boolean;
  children: TreeNode[];
}

const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe.each(enginesUnderTest())('units administration (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let api: OpenApiConformance;
  let dataSource: DataSource;

  const as = async (username: string) => `Bearer ${await t.token(username)}`;
  const create = async (body: object, username = 'admin') =>
    request(t.server).post('/api/units').set('Authorization', await as(username)).set('x-correlation-id', 'units-admin-test-01').send(body);
  const patch = async (id: number | string, body: object, username = 'admin') =>
    request(t.server).patch(`/api/units/${id}`).set('Authorization', await as(username)).send(body);
  const unitsTree = async (username = 'admin') => flatten((await t.get(username, '/api/units')).body as TreeNode[]);
  const auditRows = (id: number) => dataSource.getRepository(AuditEvent).find({ where: { targetType: 'unit', targetId: String(id) }, order: { id: 'ASC' } });
  let serial = 0;
  /** A new street under 东城区, with a code no other test uses. */
  const newStreet = async (extra: object = {}) => {
    serial += 1;
    const response = await create({ code: `t_street_${serial}`, name: `测试街道${serial}`, type: 'street', parentId: d.unit('dc'), ...extra });
    expect(response.status).toBe(201);
    return response.body as TreeNode & { name: string; type: string };
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

  describe('POST /api/units', () => {
    it('creates a unit, shows it in the tree at once and writes the audit row', async () => {
      const response = await create({ code: 'dc_hp', name: ' 和平街道办事处 ', type: 'street', parentId: d.unit('dc') });
      expect(response.status).toBe(201);
      expect(api.problemsOf('/api/units', 'post', response)).toEqual([]);
      expect(response.body).toEqual({ id: expect.any(Number), code: 'dc_hp', name: '和平街道办事处', type: 'street', parentId: d.unit('dc'), active: true, leaderSignOff: false });
      const node = (await unitsTree()).find((u) => u.code === 'dc_hp');
      expect(node).toMatchObject({ id: response.body.id, parentId: d.unit('dc'), active: true });
      // The district's own staff see it in their subtree too.
      expect((await unitsTree('dc_admin')).map((u) => u.code)).toContain('dc_hp');

      const rows = await auditRows(response.body.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'unit.create', actorName: expect.any(String), actorRole: 'admin', correlationId: 'units-admin-test-01' });
      expect(JSON.parse(rows[0].details)).toEqual({ before: null, after: response.body });
    });

    it.each([
      ['bureau', true],
      ['district', true],
      ['utility', false],
      ['community', false],
      ['grid', false],
    ])('defaults 领导审签 for a %s to %s', async (type, expected) => {
      const response = await create({ code: `t_default_${type}`, name: `默认${type}`, type, parentId: d.unit(type === 'grid' || type === 'community' ? 'dc_cy' : 'center') });
      expect(response.status).toBe(201);
      expect(response.body.leaderSignOff).toBe(expected);
    });

    it('takes leaderSignOff when given', async () => {
      const bureau = await create({ code: 't_bureau_nosign', name: '不审签局', type: 'bureau', parentId: d.unit('center'), leaderSignOff: false });
      expect(bureau.body.leaderSignOff).toBe(false);
      const street = await newStreet({ leaderSignOff: true });
      expect(street.leaderSignOff).toBe(true);
    });

    it('answers 409 for a code already taken', async () => {
      const response = await create({ code: 'dc_cy', name: '重复', type: 'street', parentId: d.unit('dc') });
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('dc_cy is already taken');
    });

    it.each([
      ['a second center', { type: 'center', parentId: 1 }, 'cannot be of type center'],
      ['a parent that does not exist', { parentId: 999999 }, 'Parent unit 999999 does not exist'],
    ])('answers 422 for %s', async (_case, body: object, message) => {
      const response = await create({ code: 't_bad', name: '坏单位', type: 'street', parentId: d.unit('dc'), ...body });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(message);
    });

    it('answers 422 under a deactivated parent', async () => {
      const parent = await newStreet();
      expect((await patch(parent.id, { active: false })).status).toBe(200);
      const response = await create({ code: 't_under_inactive', name: '社区', type: 'community', parentId: parent.id });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it.each([
      ['a code with spaces', { code: 'a b' }, 'code must start with a letter or digit'],
      ['a blank name', { name: '   ' }, 'name must not be blank'],
      ['an unknown type', { type: 'province' }, 'type must be one of'],
      ['no parent', { parentId: undefined }, 'parentId must be a whole number'],
      ['a null parent', { parentId: null }, 'parentId must be a whole number'],
      ['an unknown field', { colour: 'red' }, 'property colour should not exist'],
      ['a text leaderSignOff', { leaderSignOff: 'yes' }, 'leaderSignOff must be a boolean'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await create({ code: 't_invalid', name: '无效', type: 'street', parentId: d.unit('dc'), ...body });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it.each(['agent1', 'dispatcher1', 'supervisor1', 'dc_admin', 'dc_handler'])('answers 403 to %s', async (username) => {
      const response = await create({ code: 't_forbidden', name: '无权', type: 'street', parentId: d.unit('dc') }, username);
      expect(response.status).toBe(403);
      expect((await patch(d.unit('dc_cy'), { name: '改名' }, username)).status).toBe(403);
    });
  });

  describe('PATCH /api/units/:id', () => {
    it('renames and sets 领导审签, with before and after in the audit trail', async () => {
      const street = await newStreet();
      const response = await patch(street.id, { name: '新名字街道', leaderSignOff: true });
      expect(response.status).toBe(200);
      expect(api.problemsOf('/api/units/{id}', 'patch', response)).toEqual([]);
      expect(response.body).toMatchObject({ id: street.id, name: '新名字街道', leaderSignOff: true, code: street.code });
      const rows = await auditRows(street.id);
      expect(rows.map((r) => r.action)).toEqual(['unit.create', 'unit.update']);
      const details = JSON.parse(rows[1].details);
      expect(details.before).toMatchObject({ name: street.name, leaderSignOff: false });
      expect(details.after).toMatchObject({ name: '新名字街道', leaderSignOff: true });
    });

    it('moves a unit with its subtree under another parent; the tree and the unit scopes follow at once', async () => {
      const street = await newStreet();
      const community = await create({ code: `${street.code}_1`, name: '随迁社区', type: 'community', parentId: street.id });
      expect(community.status).toBe(201);
      const moved = await patch(street.id, { parentId: d.unit('xc') });
      expect(moved.status).toBe(200);
      expect(moved.body.parentId).toBe(d.unit('xc'));
      const tree = await unitsTree();
      expect(tree.find((u) => u.id === street.id)?.parentId).toBe(d.unit('xc'));
      expect(tree.find((u) => u.id === community.body.id)?.parentId).toBe(street.id);
      // 西城区's staff see the moved branch, 东城区's no longer do.
      expect((await unitsTree('xc_admin')).map((u) => u.id)).toEqual(expect.arrayContaining([street.id, community.body.id]));
      expect((await unitsTree('dc_admin')).map((u) => u.id)).not.toContain(street.id);
    });

    it('refuses to move a unit under itself or its own descendant (422)', async () => {
      const street = await newStreet();
      const community = await create({ code: `${street.code}_1`, name: '下级社区', type: 'community', parentId: street.id });
      const grid = await create({ code: `${street.code}_1_g`, name: '网格', type: 'grid', parentId: community.body.id });
      const underDescendant = await patch(street.id, { parentId: grid.body.id });
      expect(underDescendant.status).toBe(422);
      expect(underDescendant.body.message).toContain('its own descendant');
      const underItself = await patch(street.id, { parentId: street.id });
      expect(underItself.status).toBe(422);
      expect(underItself.body.message).toContain('its own parent');
      expect((await unitsTree()).find((u) => u.id === street.id)?.parentId).toBe(d.unit('dc'));
    });

    it('keeps the center the single root: it cannot move, be deactivated, or lose its place (422)', async () => {
      const center = d.unit('center');
      const move = await patch(center, { parentId: d.unit('dc') });
      expect(move.status).toBe(422);
      expect(move.body.message).toContain('root of the tree');
      const deactivate = await patch(center, { active: false });
      expect(deactivate.status).toBe(422);
      expect(deactivate.body.message).toContain('center cannot be deactivated');
      const toRoot = await patch(d.unit('dc_cy'), { parentId: null });
      expect(toRoot.status).toBe(400);
    });

    it('answers 422 for a move under a parent that does not exist or is deactivated', async () => {
      const street = await newStreet();
      const inactive = await newStreet();
      await patch(inactive.id, { active: false });
      expect((await patch(street.id, { parentId: 999999 })).status).toBe(422);
      const response = await patch(street.id, { parentId: inactive.id });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it('refuses to deactivate a unit that leads open work orders (409 naming how many)', async () => {
      const street = await newStreet();
      const refreshed = await new WorkOrderDriver(t).load();
      await refreshed.dispatched(street.code);
      await refreshed.dispatched(street.code);
      const refused = await patch(street.id, { active: false });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('still leads 2 open work order(s)');
      expect(refused.body.details).toEqual({ openWorkOrders: 2 });
      expect(api.problemsOf('/api/units/{id}', 'patch', refused)).toEqual([]);
      expect((await unitsTree()).find((u) => u.id === street.id)?.active).toBe(true);
      expect((await auditRows(street.id)).map((r) => r.action)).toEqual(['unit.create']);
    });

    it('deactivates and reactivates a unit; both are audited', async () => {
      const street = await newStreet();
      const off = await patch(street.id, { active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await unitsTree()).find((u) => u.id === street.id)?.active).toBe(false);
      const on = await patch(street.id, { active: true });
      expect(on.body.active).toBe(true);
      const rows = await auditRows(street.id);
      expect(rows.map((r) => [r.action, JSON.parse(r.details).after.active])).toEqual([
        ['unit.create', true],
        ['unit.update', false],
        ['unit.update', true],
      ]);
    });

    it('refuses to reactivate a unit under a deactivated parent (422)', async () => {
      const street = await newStreet();
      const community = await create({ code: `${street.code}_1`, name: '社区', type: 'community', parentId: street.id });
      await patch(community.body.id, { active: false });
      await patch(street.id, { active: false });
      const response = await patch(community.body.id, { active: true });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it.each([
      ['an empty body', {}, 'Give at least one of'],
      ['a null name', { name: null }, 'name must be a string'],
      ['a code change', { code: 'other' }, 'property code should not exist'],
      ['a type change', { type: 'bureau' }, 'property type should not exist'],
      ['a text active', { active: 'no' }, 'active must be a boolean'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await patch(d.unit('dc_cy'), body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it('answers 404 for a unit that does not exist, 400 for an id that is not a number', async () => {
      const missing = await patch(999999, { name: '无' });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toContain('Unit 999999 does not exist');
      expect((await patch('abc', { name: '无' })).status).toBe(400);
    });
  });
});
