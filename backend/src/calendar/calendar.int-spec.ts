import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { CalendarOverrideEntity } from './calendar-override.entity';
import { WorkingCalendarService } from './working-calendar.service';

/** DOMAIN.md's 2026 (the State Council notice): holidays by name, and the make-up working days. */
const HOLIDAYS_2026: [string, string, string][] = [
  ['元旦', '2026-01-01', '2026-01-03'],
  ['春节', '2026-02-15', '2026-02-23'],
  ['清明', '2026-04-04', '2026-04-06'],
  ['劳动节', '2026-05-01', '2026-05-05'],
  ['端午', '2026-06-19', '2026-06-21'],
  ['中秋', '2026-09-25', '2026-09-27'],
  ['国庆节', '2026-10-01', '2026-10-07'],
];
const MAKEUP_DAYS_2026: Record<string, string> = {
  '2026-01-04': '元旦',
  '2026-02-14': '春节',
  '2026-02-28': '春节',
  '2026-05-09': '劳动节',
  '2026-09-20': '国庆节',
  '2026-10-10': '国庆节',
};

function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += 86_400_000) dates.push(new Date(day).toISOString().slice(0, 10));
  return dates;
}

interface Day {
  date: string;
  kind: string;
  name: string | null;
  source: string;
}

describe.each(enginesUnderTest())('working calendar API (%s)', (engine) => {
  let t: TestApp;
  let api: OpenApiConformance;
  let dataSource: DataSource;
  let workingCalendar: WorkingCalendarService;

  const conforms = (path: string, method: string, response: request.Response) => expect(api.problemsOf(path, method, response)).toEqual([]);
  const as = async (username: string) => `Bearer ${await t.token(username)}`;
  const days = (from: string, to: string, username = 'agent1') => t.get(username, `/api/calendar/days?from=${from}&to=${to}`);
  const due = (start: string, amount: number | string, unit: string) =>
    t.get('dc_handler', `/api/calendar/due?start=${encodeURIComponent(start)}&amount=${encodeURIComponent(String(amount))}&unit=${unit}`);
  const createOverride = async (body: object, username = 'admin') =>
    request(t.server).post('/api/calendar/overrides').set('Authorization', await as(username)).set('x-correlation-id', 'calendar-test-0001').send(body);
  const patchOverride = async (id: number | string, body: object, username = 'admin') =>
    request(t.server).patch(`/api/calendar/overrides/${id}`).set('Authorization', await as(username)).send(body);
  const deleteOverride = async (id: number | string, username = 'admin') => request(t.server).delete(`/api/calendar/overrides/${id}`).set('Authorization', await as(username));
  const auditRows = (targetId: number) => dataSource.getRepository(AuditEvent).find({ where: { targetType: 'calendar_override', targetId: String(targetId) }, order: { id: 'ASC' } });

  beforeAll(async () => {
    t = await startTestApp(engine);
    const document = await request(t.server).get('/api/docs-json');
    api = new OpenApiConformance(document.body as OpenApiDocument);
    dataSource = t.app.get(DataSource);
    workingCalendar = t.app.get(WorkingCalendarService);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/calendar/days', () => {
    it('gives every day of 2026 as DOMAIN.md says: the holidays, the make-up days, 248 working days', async () => {
      const response = await days('2026-01-01', '2026-12-31');
      expect(response.status).toBe(200);
      conforms('/api/calendar/days', 'get', response);
      const items = response.body.items as Day[];
      expect(items).toHaveLength(365);
      expect(items[0].date).toBe('2026-01-01');
      expect(items[364].date).toBe('2026-12-31');

      const expectedHolidays = new Map(HOLIDAYS_2026.flatMap(([name, first, last]) => datesFrom(first, last).map((date) => [date, name] as const)));
      const holidays = items.filter((day) => day.kind === 'holiday');
      expect(new Map(holidays.map((day) => [day.date, day.name]))).toEqual(expectedHolidays);
      const makeups = items.filter((day) => day.kind === 'makeup_workday');
      expect(Object.fromEntries(makeups.map((day) => [day.date, day.name]))).toEqual(MAKEUP_DAYS_2026);
      expect(items.filter((day) => day.kind === 'workday' || day.kind === 'makeup_workday')).toHaveLength(248);
      expect(items.every((day) => day.source === 'builtin')).toBe(true);
      // A holiday on a weekend stays a holiday; a plain weekend and a plain weekday are what they are.
      expect(items.find((day) => day.date === '2026-01-03')).toEqual({ date: '2026-01-03', kind: 'holiday', name: '元旦', source: 'builtin' });
      expect(items.find((day) => day.date === '2026-03-14')).toEqual({ date: '2026-03-14', kind: 'weekend', name: null, source: 'builtin' });
      expect(items.find((day) => day.date === '2026-03-09')).toEqual({ date: '2026-03-09', kind: 'workday', name: null, source: 'builtin' });
    });

    it('says a year the package does not know comes from the weekday rule', async () => {
      const response = await days('2026-12-31', '2027-01-03');
      expect(response.body.items).toEqual([
        { date: '2026-12-31', kind: 'workday', name: null, source: 'builtin' },
        { date: '2027-01-01', kind: 'workday', name: null, source: 'weekday-rule' },
        { date: '2027-01-02', kind: 'weekend', name: null, source: 'weekday-rule' },
        { date: '2027-01-03', kind: 'weekend', name: null, source: 'weekday-rule' },
      ]);
    });

    it('lists 400 days, but not 401', async () => {
      expect((await days('2026-01-01', '2027-02-04')).body.items).toHaveLength(400);
      const tooMany = await days('2026-01-01', '2027-02-05');
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toContain('at most 400 days');
    });

    it.each([
      ['from after to', 'from=2026-03-10&to=2026-03-09', 'must not be before'],
      ['a date that does not exist', 'from=2026-02-30&to=2026-03-09', 'not a real calendar date'],
      ['February 29th of a common year', 'from=2026-02-01&to=2026-02-29', 'not a real calendar date'],
      ['another format', 'from=2026/03/01&to=2026-03-09', 'YYYY-MM-DD'],
      ['a missing end', 'from=2026-03-01', 'to must be a date'],
      ['a year out of range', 'from=1999-12-31&to=2000-01-01', 'years 2000 to 2100'],
      ['an unknown parameter', 'from=2026-03-01&to=2026-03-02&kind=holiday', 'kind should not exist'],
    ])('answers 400 for %s', async (_case, query, message) => {
      const response = await t.get('agent1', `/api/calendar/days?${query}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', correlationId: expect.any(String) });
      expect(response.body.message).toContain(message);
      conforms('/api/calendar/days', 'get', response);
    });

    it('needs a login, any role will do', async () => {
      expect((await request(t.server).get('/api/calendar/days?from=2026-03-01&to=2026-03-02')).status).toBe(401);
      expect((await days('2026-03-01', '2026-03-02', 'dc_cy_handler')).status).toBe(200);
    });
  });

  describe('GET /api/calendar/due', () => {
    it.each([
      // [case, start (local +08:00 unless Z), amount, unit, due (UTC)]
      ['Wed 10:00 + 5 working days = next Wed 10:00', '2026-03-04T10:00:00+08:00', 5, 'working_days', '2026-03-11T02:00:00.000Z'],
      ['National Day eve + 1 working day', '2026-09-30T15:00:00+08:00', 1, 'working_days', '2026-10-08T07:00:00.000Z'],
      ['Fri evening + 1 working day: the start moves to the make-up Saturday', '2026-05-08T20:00:00+08:00', 1, 'working_days', '2026-05-11T00:30:00.000Z'],
      ['Fri 10:00 + 1 working day is the make-up Saturday', '2026-05-08T10:00:00+08:00', 1, 'working_days', '2026-05-09T02:00:00.000Z'],
      ['over the Spring Festival', '2026-02-13T09:00:00+08:00', 2, 'working_days', '2026-02-24T01:00:00.000Z'],
      ['17:29 + 1 working day', '2026-03-09T17:29:00+08:00', 1, 'working_days', '2026-03-10T09:29:00.000Z'],
      ['17:30 exactly + 1 working day counts from the next morning', '2026-03-09T17:30:00+08:00', 1, 'working_days', '2026-03-11T00:30:00.000Z'],
      ['lunch + 1 working day', '2026-03-09T12:15:00+08:00', 1, 'working_days', '2026-03-10T05:30:00.000Z'],
      ['0 working days gives the moved start', '2026-03-09T07:00:00+08:00', 0, 'working_days', '2026-03-09T00:30:00.000Z'],
      ['before opening + 2 working hours', '2026-03-09T07:00:00+08:00', 2, 'working_hours', '2026-03-09T02:30:00.000Z'],
      ['11:00 + 1 working hour stays at the lunch start', '2026-03-09T11:00:00+08:00', 1, 'working_hours', '2026-03-09T04:00:00.000Z'],
      ['11:00 + 2 working hours runs over lunch', '2026-03-09T11:00:00+08:00', 2, 'working_hours', '2026-03-09T06:30:00.000Z'],
      ['lunch + 1 working hour', '2026-03-09T12:30:00+08:00', 1, 'working_hours', '2026-03-09T06:30:00.000Z'],
      ['16:30 + 1 working hour is 17:30 sharp', '2026-03-09T16:30:00+08:00', 1, 'working_hours', '2026-03-09T09:30:00.000Z'],
      ['16:30 + 2 working hours', '2026-03-09T16:30:00+08:00', 2, 'working_hours', '2026-03-10T01:30:00.000Z'],
      ['17:30 exactly + 1 working hour', '2026-03-09T17:30:00+08:00', 1, 'working_hours', '2026-03-10T01:30:00.000Z'],
      ['a fractional amount: 08:30 + 7.5 working hours', '2026-03-09T08:30:00+08:00', 7.5, 'working_hours', '2026-03-09T09:30:00.000Z'],
      ['National Day eve + 3.5 working hours', '2026-09-30T15:00:00+08:00', 3.5, 'working_hours', '2026-10-08T01:30:00.000Z'],
      ['Fri 17:00 + 1 working hour runs into the make-up Saturday', '2026-02-13T17:00:00+08:00', 1, 'working_hours', '2026-02-14T01:00:00.000Z'],
      ['make-up Saturday 17:00 + 2 working hours crosses the Spring Festival', '2026-02-14T17:00:00+08:00', 2, 'working_hours', '2026-02-24T02:00:00.000Z'],
      ['year end into 2027 (weekday rule)', '2026-12-31T17:00:00+08:00', 1, 'working_hours', '2027-01-01T01:00:00.000Z'],
      ['a start in UTC', '2026-03-09T00:00:00Z', 0.5, 'working_hours', '2026-03-09T01:00:00.000Z'],
      ['calendar hours run through the night and the holiday', '2026-09-30T23:00:00+08:00', 2, 'calendar_hours', '2026-09-30T17:00:00.000Z'],
      ['a quarter calendar hour', '2026-10-01T10:00:00+08:00', 0.25, 'calendar_hours', '2026-10-01T02:15:00.000Z'],
    ])('%s', async (_case, start, amount, unit, dueAt) => {
      const response = await due(start, amount, unit);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ dueAt });
      conforms('/api/calendar/due', 'get', response);
    });

    it('takes the largest amounts', async () => {
      expect((await due('2026-03-09T10:00:00+08:00', 3650, 'working_days')).status).toBe(200);
      expect((await due('2026-03-09T10:00:00+08:00', 87600, 'working_hours')).status).toBe(200);
    });

    it.each([
      ['a start without an offset', 'start=2026-03-09T10:00:00&amount=1&unit=working_hours', 'RFC 3339'],
      ['a start without seconds', 'start=2026-03-09T10:00%2B08:00&amount=1&unit=working_hours', 'RFC 3339'],
      ['a start that does not exist', 'start=2026-02-30T10:00:00%2B08:00&amount=1&unit=working_hours', 'not a real calendar date'],
      ['a start before 2000', 'start=1999-12-31T10:00:00Z&amount=1&unit=working_hours', '2000 to 2100'],
      ['a missing start', 'amount=1&unit=working_hours', 'start'],
      ['a negative amount', 'start=2026-03-09T10:00:00Z&amount=-1&unit=working_hours', 'amount'],
      ['an amount that is not a number', 'start=2026-03-09T10:00:00Z&amount=abc&unit=working_hours', 'amount'],
      ['an empty amount', 'start=2026-03-09T10:00:00Z&amount=&unit=working_hours', 'amount'],
      ['an amount in exponent form', 'start=2026-03-09T10:00:00Z&amount=1e3&unit=working_hours', 'amount'],
      ['fractional working days', 'start=2026-03-09T10:00:00Z&amount=1.5&unit=working_days', 'whole number of working days'],
      ['more than 3650 working days', 'start=2026-03-09T10:00:00Z&amount=3651&unit=working_days', 'at most 3650'],
      ['more than 87600 working hours', 'start=2026-03-09T10:00:00Z&amount=87600.5&unit=working_hours', 'at most 87600'],
      ['more than 87600 calendar hours', 'start=2026-03-09T10:00:00Z&amount=87601&unit=calendar_hours', 'at most 87600'],
      ['an unknown unit', 'start=2026-03-09T10:00:00Z&amount=1&unit=working_weeks', 'unit must be one of working_days, working_hours, calendar_hours'],
    ])('answers 400 for %s', async (_case, query, message) => {
      const response = await t.get('agent1', `/api/calendar/due?${query}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', correlationId: expect.any(String) });
      expect(response.body.message).toContain(message);
      conforms('/api/calendar/due', 'get', response);
    });
  });

  describe('overrides', () => {
    it('an override changes /days and /due at once, is audited, and its removal brings the built-in day back', async () => {
      const created = await createOverride({ date: '2027-01-01', kind: 'holiday', name: '元旦', note: '国务院2027年通知' });
      expect(created.status).toBe(201);
      conforms('/api/calendar/overrides', 'post', created);
      const adminId = created.body.createdById as number;
      expect(created.body).toMatchObject({ date: '2027-01-01', kind: 'holiday', name: '元旦', note: '国务院2027年通知', updatedById: adminId });

      expect((await days('2027-01-01', '2027-01-01')).body.items).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦', source: 'override' }]);
      // Thu 2026-12-31 17:00 + 1 working hour: Fri 01-01 is off now, so Mon 01-04 09:00.
      expect((await due('2026-12-31T17:00:00+08:00', 1, 'working_hours')).body).toEqual({ dueAt: '2027-01-04T01:00:00.000Z' });
      expect((await due('2026-12-31T10:00:00+08:00', 1, 'working_days')).body).toEqual({ dueAt: '2027-01-04T02:00:00.000Z' });

      const listed = await t.get('admin', '/api/calendar/overrides?year=2027');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([created.body]);
      conforms('/api/calendar/overrides', 'get', listed);
      expect((await t.get('admin', '/api/calendar/overrides?year=2026')).body.items).toEqual([]);

      const patched = await patchOverride(created.body.id, { name: '元旦（调整）', note: null });
      expect(patched.status).toBe(200);
      conforms('/api/calendar/overrides/{id}', 'patch', patched);
      expect(patched.body).toMatchObject({ id: created.body.id, date: '2027-01-01', kind: 'holiday', name: '元旦（调整）', note: null });
      expect((await days('2027-01-01', '2027-01-01')).body.items[0].name).toBe('元旦（调整）');

      const removed = await deleteOverride(created.body.id);
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect((await days('2027-01-01', '2027-01-01')).body.items).toEqual([{ date: '2027-01-01', kind: 'workday', name: null, source: 'weekday-rule' }]);
      expect((await due('2026-12-31T17:00:00+08:00', 1, 'working_hours')).body).toEqual({ dueAt: '2027-01-01T01:00:00.000Z' });

      const audit = await auditRows(created.body.id);
      expect(audit.map((row) => row.action)).toEqual(['calendar.override.create', 'calendar.override.update', 'calendar.override.delete']);
      expect(audit.every((row) => row.actorId === adminId && row.actorRole === 'admin' && row.actorName.length > 0 && row.at instanceof Date)).toBe(true);
      expect(audit[0].correlationId).toBe('calendar-test-0001');
      const details = audit.map((row) => JSON.parse(row.details) as { before: { name: string; note: string | null } | null; after: { name: string; note: string | null } | null });
      expect(details[0]).toEqual({ before: null, after: expect.objectContaining({ date: '2027-01-01', kind: 'holiday', name: '元旦' }) });
      expect(details[1].before).toMatchObject({ name: '元旦', note: '国务院2027年通知' });
      expect(details[1].after).toMatchObject({ name: '元旦（调整）', note: null });
      expect(details[2]).toEqual({ before: expect.objectContaining({ name: '元旦（调整）' }), after: null });
    });

    it('a cancelled make-up Saturday and an extra working Saturday change the working-day count', async () => {
      const cancelled = await createOverride({ date: '2026-10-10', kind: 'weekend', note: '本地调整' });
      expect(cancelled.status).toBe(201);
      // Fri 10-09 10:00 + 1 working day: Sat 10-10 no longer works, so Mon 10-12.
      expect((await due('2026-10-09T10:00:00+08:00', 1, 'working_days')).body).toEqual({ dueAt: '2026-10-12T02:00:00.000Z' });
      expect((await days('2026-10-10', '2026-10-10')).body.items).toEqual([{ date: '2026-10-10', kind: 'weekend', name: null, source: 'override' }]);
      const extra = await createOverride({ date: '2026-11-07', kind: 'makeup_workday', name: '加班' });
      expect(extra.status).toBe(201);
      expect((await due('2026-11-06T10:00:00+08:00', 1, 'working_days')).body).toEqual({ dueAt: '2026-11-07T02:00:00.000Z' });
      expect((await deleteOverride(cancelled.body.id)).status).toBe(204);
      expect((await deleteOverride(extra.body.id)).status).toBe(204);
      expect((await due('2026-10-09T10:00:00+08:00', 1, 'working_days')).body).toEqual({ dueAt: '2026-10-10T02:00:00.000Z' });
    });

    it('answers 409 for a second override of the same date and 404 for an unknown id', async () => {
      const first = await createOverride({ date: '2027-02-01', kind: 'holiday' });
      expect(first.status).toBe(201);
      const second = await createOverride({ date: '2027-02-01', kind: 'holiday', name: '又一次' });
      expect(second.status).toBe(409);
      expect(second.body.message).toContain(`2027-02-01 already has an override (id ${first.body.id})`);
      conforms('/api/calendar/overrides', 'post', second);
      expect(await auditRows(first.body.id)).toHaveLength(1);

      const unknownPatch = await patchOverride(999999, { kind: 'holiday' });
      expect(unknownPatch.status).toBe(404);
      expect(unknownPatch.body.message).toBe('Calendar override 999999 does not exist');
      conforms('/api/calendar/overrides/{id}', 'patch', unknownPatch);
      const unknownDelete = await deleteOverride(999999);
      expect(unknownDelete.status).toBe(404);
      conforms('/api/calendar/overrides/{id}', 'delete', unknownDelete);
      expect((await deleteOverride('abc')).status).toBe(400);
      expect((await deleteOverride(first.body.id)).status).toBe(204);
      expect((await deleteOverride(first.body.id)).status).toBe(404);
    });

    it.each([
      ['a date that does not exist', { date: '2027-02-30', kind: 'holiday' }, 'not a real calendar date'],
      ['an unknown kind', { date: '2027-02-01', kind: 'day_off' }, 'kind must be one of'],
      ['a blank name', { date: '2027-02-01', kind: 'holiday', name: '  ' }, 'name must not be blank'],
      ['a name of 65 characters', { date: '2027-02-01', kind: 'holiday', name: 'x'.repeat(65) }, 'name must be shorter than or equal to 64'],
      ['a note of 501 characters', { date: '2027-02-01', kind: 'holiday', note: 'x'.repeat(501) }, 'note must be shorter than or equal to 500'],
      ['an unknown field', { date: '2027-02-01', kind: 'holiday', source: 'builtin' }, 'source should not exist'],
    ])('refuses to create with %s (400)', async (_case, body, message) => {
      const response = await createOverride(body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
      conforms('/api/calendar/overrides', 'post', response);
    });

    it.each([
      ['a make-up working day on a weekday', { date: '2027-02-03', kind: 'makeup_workday' }, 'is a weekday'],
      ['a weekend on a weekday', { date: '2027-02-03', kind: 'weekend' }, 'is a weekday'],
      ['a plain workday on a Saturday', { date: '2027-02-06', kind: 'workday' }, 'makeup_workday'],
    ])('refuses %s (422)', async (_case, body, message) => {
      const response = await createOverride(body);
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(message);
      conforms('/api/calendar/overrides', 'post', response);
    });

    it('refuses a bad change and leaves the row as it was', async () => {
      const created = await createOverride({ date: '2027-03-01', kind: 'holiday', name: '地方节日' });
      expect((await patchOverride(created.body.id, {})).status).toBe(400);
      expect((await patchOverride(created.body.id, { kind: null })).status).toBe(400);
      expect((await patchOverride(created.body.id, { date: '2027-03-02' })).status).toBe(400);
      const mismatch = await patchOverride(created.body.id, { kind: 'makeup_workday' });
      expect(mismatch.status).toBe(422);
      conforms('/api/calendar/overrides/{id}', 'patch', mismatch);
      expect((await t.get('admin', '/api/calendar/overrides?year=2027')).body.items).toEqual([expect.objectContaining({ id: created.body.id, kind: 'holiday', name: '地方节日' })]);
      expect(await auditRows(created.body.id)).toHaveLength(1);
      expect((await t.get('admin', '/api/calendar/overrides?year=abc')).status).toBe(400);
      expect((await deleteOverride(created.body.id)).status).toBe(204);
    });

    it('is for administrators only (403 with a message), and writes nothing for others', async () => {
      const forbidden = [
        await t.get('agent1', '/api/calendar/overrides'),
        await createOverride({ date: '2027-04-01', kind: 'holiday' }, 'supervisor1'),
        await patchOverride(1, { kind: 'holiday' }, 'dc_handler'),
        await deleteOverride(1, 'dispatcher1'),
      ];
      for (const response of forbidden) {
        expect(response.status).toBe(403);
        expect(response.body.message).toBe('This needs one of the roles: admin');
      }
      conforms('/api/calendar/overrides', 'get', forbidden[0]);
      expect(await dataSource.getRepository(CalendarOverrideEntity).count({ where: { date: '2027-04-01' } })).toBe(0);
    });

    it('another instance’s change is seen once this copy is older than the refresh interval', async () => {
      // Written straight into the table, as another instance would.
      const row = await dataSource.getRepository(CalendarOverrideEntity).save(
        dataSource.getRepository(CalendarOverrideEntity).create({ date: '2027-05-04', kind: 'holiday', name: '青年节', note: null, createdById: 1, updatedById: 1 }),
      );
      const interval = workingCalendar.refreshIntervalMs;
      try {
        workingCalendar.refreshIntervalMs = 3_600_000;
        expect((await days('2027-05-04', '2027-05-04')).body.items[0].source).toBe('weekday-rule');
        workingCalendar.refreshIntervalMs = 0;
        expect((await days('2027-05-04', '2027-05-04')).body.items[0]).toEqual({ date: '2027-05-04', kind: 'holiday', name: '青年节', source: 'override' });
        expect((await due('2027-05-03T10:00:00+08:00', 1, 'working_days')).body).toEqual({ dueAt: '2027-05-05T02:00:00.000Z' });
      } finally {
        workingCalendar.refreshIntervalMs = interval;
        await deleteOverride(row.id);
      }
    });
  });
});
