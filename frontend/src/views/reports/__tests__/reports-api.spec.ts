import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type * as HttpModule from '@/api/http';
import {
  downloadBulletin,
  downloadPeriodBulletin,
  exportReport,
  fileNameFromDisposition,
  generateBulletin,
  getReport,
  listBulletins,
  reportParams,
} from '@/api/reports';

interface Recorded {
  method: string;
  /** The full address as axios sends it (base, path and query string). */
  url: string;
  responseType: string | undefined;
  body: unknown;
}

interface Reply {
  status: number;
  data: unknown;
  headers?: Record<string, string>;
}

/** The fake server behind the console's HTTP client: records each request and answers with `reply`. */
const server = vi.hoisted(() => ({
  calls: [] as Recorded[],
  reply: (_call: Recorded): Reply => ({ status: 200, data: {} }),
}));

vi.mock('@/api/http', async (importOriginal) => {
  const real = await importOriginal<typeof HttpModule>();
  const { default: axios, AxiosError } = await import('axios');
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const call: Recorded = {
      method: (config.method ?? 'get').toUpperCase(),
      url: axios.getUri(config),
      responseType: config.responseType,
      body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
    };
    server.calls.push(call);
    const reply = server.reply(call);
    const response: AxiosResponse = { data: reply.data, status: reply.status, statusText: '', headers: reply.headers ?? {}, config, request: {} };
    if (reply.status >= 400) throw new AxiosError(`Request failed with status code ${reply.status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
    return response;
  };
  return { ...real, http: new real.HttpClient({ adapter }) };
});

const period = { from: '2026-11-01', to: '2026-11-30' };

describe('reports API client', () => {
  beforeEach(() => {
    server.calls = [];
    server.reply = () => ({ status: 200, data: {} });
  });

  it('asks for a report with the period, and the unit only when one is chosen', async () => {
    await getReport('assessment', { ...period, unitId: 12 });
    await getReport('overdue', { ...period, unitId: null });
    await getReport('calls', period);
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'GET /api/reports/assessment?from=2026-11-01&to=2026-11-30&unitId=12',
      'GET /api/reports/overdue?from=2026-11-01&to=2026-11-30',
      'GET /api/reports/calls?from=2026-11-01&to=2026-11-30',
    ]);
    expect(reportParams({ ...period, unitId: 0 }, 'pdf')).toEqual({ from: '2026-11-01', to: '2026-11-30', unitId: '0', format: 'pdf' });
  });

  it('exports a report as xlsx, named as the server names it', async () => {
    const workbook = new Blob(['PK'], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    server.reply = () => ({
      status: 200,
      data: workbook,
      headers: { 'content-disposition': `attachment; filename="assessment-2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent('考核排名-2026-11.xlsx')}` },
    });
    const file = await exportReport('shirking', { ...period, unitId: 3 });
    expect(server.calls[0]).toMatchObject({ method: 'GET', url: '/api/reports/shirking?from=2026-11-01&to=2026-11-30&unitId=3&format=xlsx', responseType: 'blob' });
    expect(file.fileName).toBe('考核排名-2026-11.xlsx');
    expect(file.blob).toBe(workbook);
  });

  it('downloads the period’s bulletin as PDF and a stored bulletin by its id, with a name of its own when the server gives none', async () => {
    server.reply = () => ({ status: 200, data: new Blob(['%PDF-1.7']) });
    const fresh = await downloadPeriodBulletin(period);
    const stored = await downloadBulletin({ id: 4, month: '2026-10' });
    expect(server.calls.map((call) => call.url)).toEqual([
      '/api/reports/assessment?from=2026-11-01&to=2026-11-30&format=pdf',
      '/api/reports/bulletins/4/download',
    ]);
    expect(fresh.fileName).toBe('bulletin-2026-11-01-2026-11-30.pdf');
    expect(stored.fileName).toBe('bulletin-2026-10.pdf');
  });

  it('shows the server’s message when a download fails (its error body arrives as a blob)', async () => {
    const body = { statusCode: 400, error: 'Bad Request', message: 'the period is 400 days; a report covers at most 366 days' };
    server.reply = () => ({ status: 400, data: new Blob([JSON.stringify(body)], { type: 'application/json' }) });
    const failure = await exportReport('assessment', { from: '2025-01-01', to: '2026-02-04' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ kind: 'server', statusCode: 400, message: body.message });
  });

  it('lists the bulletins and generates one for a month', async () => {
    server.reply = (call) => ({ status: call.method === 'POST' ? 201 : 200, data: call.method === 'POST' ? { id: 9, month: '2026-11', status: 'generating' } : [] });
    expect(await listBulletins()).toEqual([]);
    expect(await generateBulletin('2026-11')).toMatchObject({ id: 9, status: 'generating' });
    expect(server.calls.map((call) => [call.method, call.url, call.body])).toEqual([
      ['GET', '/api/reports/bulletins', undefined],
      ['POST', '/api/reports/bulletins', { month: '2026-11' }],
    ]);
  });

  it('reads the file name of a Content-Disposition header', () => {
    expect(fileNameFromDisposition('attachment; filename="report.xlsx"')).toBe('report.xlsx');
    expect(fileNameFromDisposition('attachment; filename=report.pdf')).toBe('report.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E6%9C%88%E9%80%9A%E6%8A%A5.pdf`)).toBe('月通报.pdf');
    expect(fileNameFromDisposition('inline')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
