import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { SYSTEM_ACTOR } from './audit-actor';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';

describe.each(enginesUnderTest())('audit trail (%s)', (engine) => {
  let t: TestApp;
  let audit: AuditService;
  let transactions: TransactionService;
  let dataSource: DataSource;

  const rowsFor = (targetId: string) => dataSource.getRepository(AuditEvent).find({ where: { targetType: 'test', targetId } });

  beforeAll(async () => {
    t = await startTestApp(engine);
    audit = t.app.get(AuditService);
    transactions = t.app.get(TransactionService);
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('writes a row with the actor, the JSON details and the clock’s time', async () => {
    t.app.get(Clock).set(new Date('2026-03-09T02:03:04.567Z'));
    try {
      await audit.record({ actor: { id: 7, name: '管理员', role: 'admin', correlationId: 'audit-test-0001' }, action: 'test.record', targetType: 'test', targetId: 42, details: { before: null, after: { 名称: '元旦' } } });
    } finally {
      t.app.get(Clock).set(null);
    }
    const [row] = await rowsFor('42');
    expect(row).toMatchObject({ actorId: 7, actorName: '管理员', actorRole: 'admin', action: 'test.record', targetId: '42', correlationId: 'audit-test-0001' });
    expect(row.at.toISOString()).toBe('2026-03-09T02:03:04.567Z');
    expect(JSON.parse(row.details)).toEqual({ before: null, after: { 名称: '元旦' } });
  });

  it('given the caller’s manager, commits and rolls back with the caller’s transaction', async () => {
    await transactions.run((manager) => audit.record({ actor: SYSTEM_ACTOR, action: 'test.commit', targetType: 'test', targetId: 'committed', details: {} }, manager));
    await expect(
      transactions.run(async (manager) => {
        await audit.record({ actor: SYSTEM_ACTOR, action: 'test.rollback', targetType: 'test', targetId: 'rolled-back', details: {} }, manager);
        throw new Error('the change failed after its audit row');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rowsFor('committed')).toEqual([expect.objectContaining({ actorId: null, actorName: 'system', actorRole: 'system', correlationId: null })]);
    expect(await rowsFor('rolled-back')).toEqual([]);
  });
});
