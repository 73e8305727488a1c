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
  const at = new Date('2026-01-01T04:00:00Z');

  it("uses the center's local date: 23:30 UTC is already the next day in Beijing", async () => {
    const { sut, repository } = make(17);
    expect(await sut.next(new Date('2026-11-21T23:30:00Z'), manager)).toBe('20261122000017');
    expect(repository.nextDailySequence).toHaveBeenCalledWith('20261122', manager);
  });

  it('pads the sequence to six digits (14 characters), so the 100 000th order of a day sorts after the 99 999th', async () => {
    const first = await make(1).sut.next(at, manager);
    const last5 = await make(99_999).sut.next(at, manager);
    const next = await make(100_000).sut.next(at, manager);
    expect([first, last5, next]).toEqual(['20260101000001', '20260101099999', '20260101100000']);
    expect([next, last5, first].sort()).toEqual([first, last5, next]);
  });

  it('grows a seventh digit past 999 999 rather than failing', async () => {
    expect(await make(1_000_000).sut.next(at, manager)).toBe('202601011000000');
  });
});
