import type { LoggerService } from '@nestjs/common';
import { LoggingSmsChannel } from './logging-sms.channel';

describe('LoggingSmsChannel', () => {
  it('writes what it would send to the injected logger and nothing else', async () => {
    const logger: jest.Mocked<LoggerService> = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const sut = new LoggingSmsChannel(logger);

    await sut.send({ notificationId: 7, userId: 3, kind: 'deadline.red', title: '工单已逾期', body: null, workOrderId: 42, createdAt: new Date('2026-12-01T08:00:00Z') });

    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(logger.log.mock.calls[0][0]).toBe('SMS (not sent, logging channel) to user 3: [deadline.red] 工单已逾期 (work order 42) — notification 7');
    expect(logger.error).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });
});
