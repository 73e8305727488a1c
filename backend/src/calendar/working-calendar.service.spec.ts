import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '../config/app-config';
import type { CalendarOverrideEntity } from './calendar-override.entity';
import type { CalendarOverridesRepository } from './calendar-overrides.repository';
import { WorkingCalendarService } from './working-calendar.service';

function serviceWith(env: Record<string, string>, rows: Partial<CalendarOverrideEntity>[] = []) {
  const repository = { findAll: jest.fn(async () => rows) } as unknown as CalendarOverridesRepository;
  return { service: new WorkingCalendarService(loadConfig(env), repository), repository };
}

describe('OFFICE_HOURS and the configured calendar', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('defaults to 08:30-12:00,13:30-17:30 in CENTER_TIMEZONE', () => {
    const config = loadConfig({});
    expect(config.officeHours).toEqual(['08:30-12:00', '13:30-17:30']);
    expect(serviceWith({}).service.calendar.settings).toEqual({ timeZone: 'Asia/Shanghai', officeHours: ['08:30-12:00', '13:30-17:30'], officeMinutesPerDay: 450 });
  });

  it('takes other office hours and a time zone', () => {
    const { service } = serviceWith({ OFFICE_HOURS: ' 09:00-12:00 , 14:00-18:00 ', CENTER_TIMEZONE: 'Asia/Urumqi' });
    expect(service.calendar.settings).toEqual({ timeZone: 'Asia/Urumqi', officeHours: ['09:00-12:00', '14:00-18:00'], officeMinutesPerDay: 420 });
    // Mon 2026-03-09 11:00 Urumqi (+06:00) + 2 working hours: 12:00 lunch until 14:00, so 15:00.
    expect(service.calendar.due(new Date('2026-03-09T11:00:00+06:00'), 2, 'working_hours').toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });

  it.each([
    ['08:30-12:00,12:00-17:30', 'must start after the previous one'],
    ['8:30-12:00', 'HH:MM-HH:MM'],
    ['17:30-08:30', 'must start before it ends'],
    [',', 'at least one period'],
  ])('refuses OFFICE_HOURS=%s at start-up, naming the variable', (value, message) => {
    expect(() => loadConfig({ OFFICE_HOURS: value })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ OFFICE_HOURS: value })).toThrow(new RegExp(`OFFICE_HOURS: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('loads the overrides at start-up and re-reads them only when its copy is older than the refresh interval', async () => {
    const { service, repository } = serviceWith({}, [{ date: '2027-01-01', kind: 'holiday', name: '元旦', note: null }]);
    await service.onModuleInit();
    expect(service.calendar.dayInfo('2027-01-01')).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦', source: 'override' });
    await service.current();
    expect(repository.findAll).toHaveBeenCalledTimes(1);
    service.refreshIntervalMs = 0;
    await Promise.all([service.current(), service.current()]);
    // Two uses at once share one read.
    expect(repository.findAll).toHaveBeenCalledTimes(2);
  });

  it('drops an older read that finishes after a newer one', async () => {
    const resolvers: ((rows: Partial<CalendarOverrideEntity>[]) => void)[] = [];
    const repository = { findAll: jest.fn(() => new Promise((resolve) => resolvers.push(resolve))) } as unknown as CalendarOverridesRepository;
    const service = new WorkingCalendarService(loadConfig({}), repository);
    const older = service.reload();
    const newer = service.reload();
    resolvers[1]([{ date: '2027-01-01', kind: 'holiday', name: null, note: null }]);
    await newer;
    resolvers[0]([]);
    await older;
    expect(service.calendar.dayInfo('2027-01-01').kind).toBe('holiday');
  });

  it('keeps its copy when a re-read fails, and tries again on the next use', async () => {
    const findAll = jest
      .fn()
      .mockResolvedValueOnce([{ date: '2027-01-01', kind: 'holiday', name: null, note: null }])
      .mockRejectedValueOnce(new Error('connection lost'))
      .mockResolvedValueOnce([]);
    const service = new WorkingCalendarService(loadConfig({}), { findAll } as unknown as CalendarOverridesRepository);
    await service.onModuleInit();
    service.refreshIntervalMs = 0;
    expect((await service.current()).dayInfo('2027-01-01').kind).toBe('holiday');
    expect((await service.current()).dayInfo('2027-01-01').kind).toBe('workday');
    expect(findAll).toHaveBeenCalledTimes(3);
  });

  it('after a change whose re-read fails, marks the copy stale so that the next use re-reads it', async () => {
    const findAll = jest
      .fn()
      .mockResolvedValueOnce([])
      .mockRejectedValueOnce(new Error('connection lost'))
      .mockResolvedValueOnce([{ date: '2027-01-01', kind: 'holiday', name: null, note: null }]);
    const service = new WorkingCalendarService(loadConfig({}), { findAll } as unknown as CalendarOverridesRepository);
    await service.onModuleInit();
    await expect(service.reloadAfterChange()).resolves.toBeUndefined();
    expect((await service.current()).dayInfo('2027-01-01').kind).toBe('holiday');
    expect(findAll).toHaveBeenCalledTimes(3);
  });
});
