import { DataSource } from 'typeorm';
import { ENTITIES } from '../database/entities';
import { WorkOrder } from './entities/work-order.entity';
import { toWorkOrderView } from './work-order.view';

/**
 * toWorkOrderView writes every field out (no spreading of the entity): the view must still carry every column of the
 * order but the two statuses kept for restoring, so that a column added later cannot be left out of the API unnoticed.
 */
describe('toWorkOrderView', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES }).initialize();
  });

  afterAll(() => dataSource.destroy());

  it('carries every column of the order but statusBeforeMerge and statusBeforeSuspension, and the relations as references', () => {
    const columns = dataSource.getMetadata(WorkOrder).columns.map((column) => column.propertyName);
    const order = Object.assign(new WorkOrder(), Object.fromEntries(columns.map((name, i) => [name, `value ${i}`])), { citizenConfidential: false, leadUnit: null, category: null });
    const view = toWorkOrderView(order, { mayReadCitizenContact: true, assistingUnits: [], assignee: null });
    const expected = columns.filter((name) => name !== 'statusBeforeMerge' && name !== 'statusBeforeSuspension');
    expect(Object.keys(view).sort()).toEqual([...new Set([...expected, 'category', 'leadUnit', 'assistingUnits', 'assignee'])].sort());
    for (const name of expected.filter((n) => n !== 'citizenConfidential')) expect({ name, value: (view as unknown as Record<string, unknown>)[name] }).toEqual({ name, value: (order as unknown as Record<string, unknown>)[name] });
  });

  it('masks the phone and hides a confidential citizen from those who may not read the contact', () => {
    const order = Object.assign(new WorkOrder(), { citizenName: '张三', citizenPhone: '13812345678', citizenConfidential: false, leadUnit: null, category: null });
    expect(toWorkOrderView(order, { mayReadCitizenContact: false, assistingUnits: [], assignee: null })).toMatchObject({ citizenName: '张三', citizenPhone: '138****5678' });
    const confidential = Object.assign(new WorkOrder(), order, { citizenConfidential: true });
    expect(toWorkOrderView(confidential, { mayReadCitizenContact: false, assistingUnits: [], assignee: null })).toMatchObject({ citizenName: null, citizenPhone: null });
    expect(toWorkOrderView(confidential, { mayReadCitizenContact: true, assistingUnits: [], assignee: null })).toMatchObject({ citizenName: '张三', citizenPhone: '13812345678' });
  });
});
