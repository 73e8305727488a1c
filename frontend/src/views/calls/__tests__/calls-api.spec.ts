import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteAgentPhone, listAgentUsers, putAgentPhone } from '@/api/agent-phones';
import { ApiError } from '@/api/api-error';
import { fetchRecording, findWorkOrderByNumber, linkWorkOrder, listCalls, markCalledBack } from '@/api/calls';
import type * as HttpModule from '@/api/http';

interface Recorded {
  method: string;
  url: string;
  responseType: string | undefined;
  body: unknown;
}

/** The fake server behind the console's HTTP client. */
const server = vi.hoisted(() => ({
  calls: [] as Recorded[],
  reply: (_call: Recorded): { status: number; data: unknown } => ({ status: 200, data: {} }),
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
    const response: AxiosResponse = { data: reply.data, status: reply.status, statusText: '', headers: {}, config, request: {} };
    if (reply.status >= 400) throw new AxiosError(`Request failed with status code ${reply.status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
    return response;
  };
  return { ...real, http: new real.HttpClient({ adapter }) };
});

describe('calls API client', () => {
  beforeEach(() => {
    server.calls = [];
    server.reply = () => ({ status: 200, data: {} });
  });

  it('lists calls with the query given, and posts the call-back and the link', async () => {
    server.reply = () => ({ status: 200, data: { items: [], total: 0, page: 1, pageSize: 20 } });
    await listCalls({ page: 2, pageSize: 20, from: '2026-12-01T00:00:00+08:00', status: 'missed' });
    expect(server.calls[0].url).toBe('/api/calls?page=2&pageSize=20&from=2026-12-01T00:00:00%2B08:00&status=missed');
    await markCalledBack(18);
    await linkWorkOrder(17, 41);
    expect(server.calls.slice(1).map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: '/api/calls/18/called-back', body: undefined },
      { method: 'POST', url: '/api/calls/17/work-orders', body: { workOrderId: 41 } },
    ]);
  });

  it('finds an order by its exact number among those starting with it', async () => {
    server.reply = () => ({ status: 200, data: { items: [{ id: 40, number: '202612020000120' }, { id: 41, number: '20261202000012' }], total: 2 } });
    expect(await findWorkOrderByNumber('20261202000012')).toEqual({ id: 41, number: '20261202000012' });
    expect(server.calls[0].url).toBe('/api/work-orders?keyword=20261202000012&pageSize=20');
    expect(await findWorkOrderByNumber('20261202000099')).toBeNull();
  });

  it('fetches a recording as a blob, and reads a failure’s JSON body out of the blob', async () => {
    const wav = new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' });
    server.reply = () => ({ status: 200, data: wav });
    expect(await fetchRecording(17)).toBe(wav);
    expect(server.calls[0]).toMatchObject({ method: 'GET', url: '/api/calls/17/recording', responseType: 'blob' });

    const body = { statusCode: 404, error: 'Not Found', message: 'Call 17 has no recording' };
    server.reply = () => ({ status: 404, data: new Blob([JSON.stringify(body)], { type: 'application/json' }) });
    const error = await fetchRecording(17).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'server', statusCode: 404, message: 'Call 17 has no recording' });
  });

  it('puts, deletes and lists for the agent phones page', async () => {
    await putAgentPhone('8001', { userId: 2, password: 'sip-secret-1' });
    await deleteAgentPhone('8001');
    server.reply = () => ({ status: 200, data: { items: [{ id: 2, active: true }, { id: 3, active: false }], total: 2 } });
    expect((await listAgentUsers(' 张 ')).map((user) => user.id)).toEqual([2]);
    expect(server.calls.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'PUT', url: '/api/cti/agent-phones/8001', body: { userId: 2, password: 'sip-secret-1' } },
      { method: 'DELETE', url: '/api/cti/agent-phones/8001', body: undefined },
      { method: 'GET', url: `/api/users?role=agent&pageSize=100&keyword=${encodeURIComponent('张')}`, body: undefined },
    ]);
  });
});
