import { NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { ReportScopeService } from './report-scope';

/** ReportScopeService.resolve on the demo organisation: who gets which subtree, and 404 for the rest. */
describe.each(enginesUnderTest())('report scope (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let scopes: ReportScopeService;

  /** The caller as the guard builds it, from the user's own /api/me. */
  const caller = async (username: string): Promise<AuthUser> => {
    const me = (await t.get(username, '/api/me')).body as AuthUser;
    return { id: me.id, username: me.username, displayName: me.displayName, role: me.role, unitId: me.unitId, unitName: me.unitName };
  };
  const sorted = (ids: number[] | null) => (ids === null ? null : [...ids].sort((a, b) => a - b));
  const subtree = (...codes: string[]) => codes.map((code) => d.unit(code)).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    scopes = t.app.get(ReportScopeService);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('gives center staff the whole center, or the subtree of the unit they name', async () => {
    const supervisor = await caller('supervisor1');
    expect(await scopes.resolve(supervisor)).toEqual({ unitId: null, unitIds: null });
    expect(await scopes.resolve(supervisor, null)).toEqual({ unitId: null, unitIds: null });
    const dc = await scopes.resolve(supervisor, d.unit('dc'));
    expect({ ...dc, unitIds: sorted(dc.unitIds) }).toEqual({
      unitId: d.unit('dc'),
      unitIds: subtree('dc', 'dc_cy', 'dc_cy_1', 'dc_cy_2', 'dc_dg', 'dc_dg_1', 'dc_dg_2'),
    });
    expect(await scopes.resolve(await caller('dispatcher1'), d.unit('cgj'))).toEqual({ unitId: d.unit('cgj'), unitIds: [d.unit('cgj')] });
  });

  it('gives a unit_admin its own subtree, or a unit inside it', async () => {
    const admin = await caller('dc_admin');
    const own = await scopes.resolve(admin);
    expect({ ...own, unitIds: sorted(own.unitIds) }).toEqual({ unitId: d.unit('dc'), unitIds: subtree('dc', 'dc_cy', 'dc_cy_1', 'dc_cy_2', 'dc_dg', 'dc_dg_1', 'dc_dg_2') });
    const street = await scopes.resolve(admin, d.unit('dc_cy'));
    expect({ ...street, unitIds: sorted(street.unitIds) }).toEqual({ unitId: d.unit('dc_cy'), unitIds: subtree('dc_cy', 'dc_cy_1', 'dc_cy_2') });
  });

  it('answers 404 for a unit outside a unit_admin’s subtree, its parent, or one that does not exist', async () => {
    const admin = await caller('dc_cy_admin');
    await expect(scopes.resolve(admin, d.unit('dc_dg'))).rejects.toThrow(new NotFoundException(`Unit ${d.unit('dc_dg')} not found`));
    await expect(scopes.resolve(admin, d.unit('dc'))).rejects.toThrow(new NotFoundException(`Unit ${d.unit('dc')} not found`));
    await expect(scopes.resolve(await caller('supervisor1'), 999_999)).rejects.toThrow(new NotFoundException('Unit 999999 not found'));
  });
});
