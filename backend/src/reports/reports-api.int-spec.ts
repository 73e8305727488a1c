import ExcelJS from 'exceljs';
import request from 'supertest';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

const REPORTS = ['assessment', 'overdue', 'shirking', 'repeats', 'calls'] as const;

/** Collects a binary answer (xlsx, pdf) as a Buffer. */
const binary = (response: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

/** GET /api/reports/*: periods, formats, roles and scope, and the answers against the OpenAPI document. */
describe.each(enginesUnderTest())('reports API (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let api: OpenApiConformance;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // One order of November in hand at cgj, one at the street dc_cy, so that the reports have something to show.
    t.clock.set(local('2026-11-02T09:00'));
    await d.processing('cgj');
    await d.processing('dc_cy');
    t.clock.set(local('2026-12-02T10:00'));
    const document = await request(t.server).get('/api/docs-json');
    api = new OpenApiConformance(document.body as OpenApiDocument);
  }, 120_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const get = (username: string, path: string) => t.get(username, path);

  it.each(REPORTS)('GET /api/reports/%s answers a supervisor with the JSON the document describes', async (name) => {
    const response = await get('supervisor1', `/api/reports/${name}?month=2026-11`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(api.problemsOf(`/api/reports/${name}`, 'get', response)).toEqual([]);
  });

  it('takes a quarter and a custom range too', async () => {
    expect((await get('supervisor1', '/api/reports/overdue?quarter=2026-Q4')).body.period).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect((await get('supervisor1', '/api/reports/overdue?from=2026-11-03&to=2026-11-20')).body.period).toEqual({ from: '2026-11-03', to: '2026-11-20' });
    // 2024 is a leap year: a whole year of 366 days is allowed.
    expect((await get('supervisor1', '/api/reports/calls?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });

  it('says "no data yet" for calls until telephony records them', async () => {
    const response = await get('supervisor1', '/api/reports/calls?month=2026-11');
    expect(response.body).toEqual({ period: { from: '2026-11-01', to: '2026-11-30' }, dataAvailable: false, totals: null, byDay: [], generatedAt: local('2026-12-02T10:00').toISOString() });
  });

  it.each([
    ['from after to', 'from=2026-11-30&to=2026-11-01', 'to (2026-11-01) is before from (2026-11-30)'],
    ['367 days', 'from=2026-01-01&to=2027-01-02', 'the period is 367 days; a report covers at most 366 days'],
    ['a day that does not exist', 'from=2026-02-01&to=2026-02-30', 'to is not a real calendar date: 2026-02-30'],
    ['not a date', 'from=2026/11/01&to=2026-11-30', 'from must be a date YYYY-MM-DD, got "2026/11/01"'],
    ['month and from together', 'month=2026-11&from=2026-11-01&to=2026-11-30', 'Give the period one way only (from and to (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn); got from/to and month'],
    ['month and quarter together', 'month=2026-11&quarter=2026-Q4', 'Give the period one way only (from and to (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn); got month and quarter'],
    ['no period', '', "Give the report's period: from and to (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn"],
    ['from without to', 'from=2026-11-01', 'from and to go together: give both (YYYY-MM-DD), or month=YYYY-MM, or quarter=YYYY-Qn'],
    ['a thirteenth month', 'month=2026-13', 'month must be YYYY-MM, got "2026-13"'],
    ['a fifth quarter', 'quarter=2026-Q5', 'quarter must be YYYY-Q1 … YYYY-Q4, got "2026-Q5"'],
    ['pdf of another report', 'month=2026-11&format=pdf', 'format must be json or xlsx (a PDF exists only of the assessment: GET /api/reports/assessment?format=pdf, the monthly bulletin)'],
    ['an unknown format', 'month=2026-11&format=csv', 'format must be json or xlsx (a PDF exists only of the assessment: GET /api/reports/assessment?format=pdf, the monthly bulletin)'],
    ['a unit that is not a number', 'month=2026-11&unitId=abc', 'unitId must be a whole number'],
    ['an unknown parameter', 'month=2026-11&sort=score', 'property sort should not exist'],
  ])('answers 400 for %s, saying why', async (_case, query, message) => {
    const response = await get('supervisor1', `/api/reports/overdue?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(message);
  });

  it('answers 400 for an unknown format of the assessment, naming the three it has', async () => {
    const response = await get('supervisor1', '/api/reports/assessment?month=2026-11&format=docx');
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('format must be json, xlsx or pdf');
  });

  it('answers 403 to roles without reports, 401 without a token', async () => {
    for (const username of ['agent1', 'cgj_handler', 'callback1']) {
      expect({ username, status: (await get(username, '/api/reports/assessment?month=2026-11')).status }).toEqual({ username, status: 403 });
    }
    expect((await request(t.server).get('/api/reports/overdue?month=2026-11')).status).toBe(401);
  });

  it('gives a unit_admin its own subtree, and 404 for a unit outside it or one that does not exist', async () => {
    for (const name of REPORTS) {
      const own = await get('dc_admin', `/api/reports/${name}?month=2026-11`);
      expect({ name, status: own.status }).toEqual({ name, status: 200 });
      const outside = await get('dc_admin', `/api/reports/${name}?month=2026-11&unitId=${d.unit('cgj')}`);
      expect({ name, status: outside.status, message: outside.body.message }).toEqual({ name, status: 404, message: `Unit ${d.unit('cgj')} not found` });
    }
    const overdue = await get('dc_admin', '/api/reports/overdue?month=2026-11');
    expect(overdue.body.scopeUnitId).toBe(d.unit('dc'));
    expect(overdue.body.units.map((row: { unitId: number }) => row.unitId)).toEqual(expect.arrayContaining([d.unit('dc'), d.unit('dc_cy')]));
    expect(overdue.body.units.map((row: { unitId: number }) => row.unitId)).not.toContain(d.unit('cgj'));
    const street = await get('dc_admin', `/api/reports/overdue?month=2026-11&unitId=${d.unit('dc_cy')}`);
    expect(street.body.units[0]).toMatchObject({ unitId: d.unit('dc_cy'), depth: 0 });
    expect((await get('supervisor1', '/api/reports/overdue?month=2026-11&unitId=999999')).status).toBe(404);
  });

  it.each(REPORTS)('GET /api/reports/%s?format=xlsx downloads a workbook exceljs can read, named with the period', async (name) => {
    const response = await request(t.server)
      .get(`/api/reports/${name}?month=2026-11&format=xlsx`)
      .set('Authorization', `Bearer ${await t.token('supervisor1')}`)
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const disposition = response.headers['content-disposition'];
    expect(disposition).toMatch(new RegExp(`^attachment; filename="${name}_2026-11-01_2026-11-30\\.xlsx"; filename\\*=UTF-8''`));
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toMatch(/^[\u4e00-\u9fff]+_2026-11-01_2026-11-30\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets.length).toBeGreaterThan(0);
  });

  it('names the assessment workbook in Chinese: 考核排名_<from>_<to>.xlsx', async () => {
    const response = await get('supervisor1', '/api/reports/assessment?month=2026-11&format=xlsx');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="assessment_2026-11-01_2026-11-30.xlsx"; filename*=UTF-8''${encodeURIComponent('考核排名_2026-11-01_2026-11-30.xlsx')}`,
    );
  });

  it('GET /api/reports/assessment?format=pdf downloads the bulletin of the period', async () => {
    const response = await request(t.server)
      .get('/api/reports/assessment?month=2026-11&format=pdf')
      .set('Authorization', `Bearer ${await t.token('supervisor1')}`)
      .buffer(true)
      .parse(binary);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="bulletin_2026-11-01_2026-11-30.pdf"; filename*=UTF-8''${encodeURIComponent('月度通报_2026-11-01_2026-11-30.pdf')}`,
    );
    expect((response.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
