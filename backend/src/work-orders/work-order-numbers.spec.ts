import type { EntityManager } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { WorkOrderNumbers } from './work-order-numbers';
import type { WorkOrdersRepository } from './work-orders.repository';

describe('WorkOrderNumbers', () => {
  const manager = {} as EntityManager;
  const make = (sequence: number) => {
    const repository = { nextDailySequence: jest.fn().mockResolvedValue(sequence) };
    const sut = new WorkOrderNumbers(repository as unknown as WorkOrdersRepository, loadConfig({ CENTER_TIMEZONE: 'Asia/Shanghai' }));
    return { sut, repository };
  };

  it("uses the center's local date: 23:30 UTC is already the next day in Beijing", async () => {
    const { sut, repository } = make(17);
    expect(await sut.next(new Date('2026-11-21T23:30:00Z'), manager)).toBe('2026112200017');
    expect(repository.nextDailySequence).toHaveBeenCalledWith('20261122', manager);
  });

  it('pads the sequence to five digits and grows a sixth past 99 999 rather than failing', async () => {
    expect(await make(1).sut.next(new Date('2026-01-01T04:00:00Z'), manager)).toBe('2026010100001');
    expect(await make(100_000).sut.next(new Date('2026-01-01T04:00:00Z'), manager)).toBe('20260101100000');
  });
});
