import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import type { WorkOrderChangedEvent } from '../events/app-events';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { UnitsService } from '../units/units.service';
import { WorkOrdersRepository } from './work-orders.repository';

/** workOrder.changed: whom a change concerns, read in one statement as committed (WorkOrdersRepository.notificationFacts). */
describe.each(enginesUnderTest())('work order notifications (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let userId: (username: string) => Promise<number>;
  const events: WorkOrderChangedEvent[] = [];
  const listener = (event: WorkOrderChangedEvent) => events.push(event);

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const dataSource = t.app.get(DataSource);
    userId = async (username) => Number((await dataSource.query('SELECT id FROM users WHERE username = ?', [username]))[0].id);
    t.app.get(EventEmitter2).on('workOrder.changed', listener);
  });

  afterAll(async () => {
    t.app.get(EventEmitter2).off('workOrder.changed', listener);
    await t.close();
  });

  const lastEvent = (workOrderId: number, action: string): WorkOrderChangedEvent => {
    const found = events.filter((e) => e.workOrderId === workOrderId && e.action === action).at(-1);
    if (!found) throw new Error(`no workOrder.changed ${action} of order ${workOrderId}`);
    return found;
  };

  it('tells the lead unit, the assisting units, the units above them, the center and the users concerned', async () => {
    const registered = await d.register('agent1');
    const dispatched = await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('scjgj'), assistingUnitIds: [d.unit('dc_cy'), d.unit('zjj')] });
    const event = lastEvent(registered.id, 'dispatch');
    const center = await t.app.get(UnitsService).centerUnit();
    expect(event.unitIds).toEqual(expect.arrayContaining([d.unit('scjgj'), d.unit('dc_cy'), d.unit('dc'), d.unit('zjj'), center!.id]));
    expect(event.unitIds).not.toContain(d.unit('cgj'));
    expect(event.userIds).toEqual(expect.arrayContaining([await userId('agent1'), await userId('dispatcher1')]));
    expect(event).toMatchObject({ number: registered.number, fromStatus: 'registered', toStatus: 'dispatched', version: dispatched.version });

    const facts = await t.app.get(WorkOrdersRepository).notificationFacts(registered.id);
    expect(facts).toEqual({
      id: registered.id,
      number: registered.number,
      status: 'dispatched',
      version: dispatched.version,
      leadUnitId: d.unit('scjgj'),
      parentLeadUnitId: null,
      assistingUnitIds: expect.arrayContaining([d.unit('dc_cy'), d.unit('zjj')]),
      registeredById: await userId('agent1'),
      assigneeId: null,
    });
    expect(facts?.assistingUnitIds).toHaveLength(2);
  });

  it('reads a sub-dispatched order with its parent’s lead unit, an order without assisting units with none, an unknown id as null', async () => {
    const parent = await d.processing('dc');
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道现场核实' });
    const childId = withChild.children[0].id;
    const repository = t.app.get(WorkOrdersRepository);
    expect(await repository.notificationFacts(childId)).toMatchObject({ leadUnitId: d.unit('dc_cy'), parentLeadUnitId: d.unit('dc'), assistingUnitIds: [] });
    expect(await repository.notificationFacts(parent.id)).toMatchObject({ leadUnitId: d.unit('dc'), parentLeadUnitId: null, assistingUnitIds: [] });
    expect(await repository.notificationFacts(999_999_999)).toBeNull();
    // The child's own change tells the unit that split it off.
    await d.act('dc_cy_handler', childId, 'accept');
    expect(lastEvent(childId, 'accept').unitIds).toEqual(expect.arrayContaining([d.unit('dc_cy'), d.unit('dc')]));
  });
});
