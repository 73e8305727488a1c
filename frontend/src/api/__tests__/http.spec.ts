import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api-error';
import { HttpClient, type AuthHooks } from '../http';
import type { AuthSession } from '../types';

interface Call {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

type Reply = { status: number; data?: unknown } | 'network-error';

/** An axios adapter that answers from `route` and records every request. */
function fakeServer(route: (call: Call) => Reply) {
  const calls: Call[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const call: Call = {
      method: (config.method ?? 'get').toUpperCase(),
      url: `${config.baseURL ?? ''}${config.url ?? ''}`,
      authorization: AxiosHeaders.from(config.headers).get('Authorization')?.toString(),
      body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
    };
    calls.push(call);
    const reply = route(call);
    if (reply === 'network-error') throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, {});
    const response: AxiosResponse = {
      data: reply.data,
      status: reply.status,
      statusText: '',
      headers: {},
      config,
      request: {},
    };
    if (reply.status >= 400) {
      throw new AxiosError(
        `Request failed with status code ${reply.status}`,
        AxiosError.ERR_BAD_REQUEST,
        config,
        {},
        response,
      );
    }
    return response;
  };
  return { adapter, calls };
}

const user = {
  id: 1,
  username: 'zhang.wei',
  displayName: '张伟',
  role: 'dispatcher',
  unitId: 1,
  unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' },
} as const;

function errorBody(statusCode: number, message: string) {
  return { statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Bad Request', message, correlationId: 'corr-1' };
}

/** Hooks backed by plain variables, like the user store. */
function sessionHooks(initial: { accessToken: string | null; refreshToken: string | null }) {
  const session = { ...initial };
  const hooks: AuthHooks = {
    getAccessToken: () => session.accessToken,
    getRefreshToken: () => session.refreshToken,
    onRefreshed: vi.fn((next: AuthSession) => {
      session.accessToken = next.accessToken;
      session.refreshToken = next.refreshToken;
    }),
    onSessionExpired: vi.fn(() => {
      session.accessToken = null;
      session.refreshToken = null;
    }),
  };
  return { session, hooks };
}

describe('HttpClient', () => {
  let hooks: AuthHooks;
  let session: { accessToken: string | null; refreshToken: string | null };

  beforeEach(() => {
    ({ hooks, session } = sessionHooks({ accessToken: 'access-1', refreshToken: 'refresh-1' }));
  });

  function client(route: (call: Call) => Reply) {
    const server = fakeServer(route);
    const sut = new HttpClient({ adapter: server.adapter });
    sut.setAuthHooks(hooks);
    return { sut, calls: server.calls };
  }

  it('sends requests under /api with the access token and resolves with the body', async () => {
    const { sut, calls } = client(() => ({ status: 200, data: { items: [], total: 0, page: 1, pageSize: 20 } }));

    const page = await sut.get('/work-orders', { params: { page: 1 } });

    expect(page).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    expect(calls).toEqual([{ method: 'GET', url: '/api/work-orders', authorization: 'Bearer access-1', body: undefined }]);
  });

  it('on a 401 refreshes the tokens once and retries with the new access token', async () => {
    const { sut, calls } = client((call) => {
      if (call.url === '/api/auth/refresh') {
        return { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', user } };
      }
      return call.authorization === 'Bearer access-2'
        ? { status: 200, data: { id: 7 } }
        : { status: 401, data: errorBody(401, '登录已过期') };
    });

    await expect(sut.get('/work-orders/7')).resolves.toEqual({ id: 7 });

    expect(calls.map((c) => [c.method, c.url, c.authorization])).toEqual([
      ['GET', '/api/work-orders/7', 'Bearer access-1'],
      ['POST', '/api/auth/refresh', undefined],
      ['GET', '/api/work-orders/7', 'Bearer access-2'],
    ]);
    expect(calls[1]?.body).toEqual({ refreshToken: 'refresh-1' });
    expect(hooks.onRefreshed).toHaveBeenCalledWith({ accessToken: 'access-2', refreshToken: 'refresh-2', user });
    expect(session).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(hooks.onSessionExpired).not.toHaveBeenCalled();
  });

  it('shares one refresh between requests that fail at the same time', async () => {
    const { sut, calls } = client((call) => {
      if (call.url === '/api/auth/refresh') {
        return { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', user } };
      }
      return call.authorization === 'Bearer access-2'
        ? { status: 200, data: call.url }
        : { status: 401, data: errorBody(401, 'expired') };
    });

    const results = await Promise.all([sut.get('/a'), sut.get('/b'), sut.get('/c')]);

    expect(results).toEqual(['/api/a', '/api/b', '/api/c']);
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('logs out when the refresh is refused, without retrying', async () => {
    const { sut, calls } = client((call) =>
      call.url === '/api/auth/refresh'
        ? { status: 401, data: errorBody(401, 'refresh token revoked') }
        : { status: 401, data: errorBody(401, '登录已过期') },
    );

    const error = await sut.get('/me').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('登录已过期');
    expect(calls.map((c) => c.url)).toEqual(['/api/me', '/api/auth/refresh']);
    expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(hooks.onRefreshed).not.toHaveBeenCalled();
  });

  it('logs out when the retried request is still unauthorized, refreshing only once', async () => {
    const { sut, calls } = client((call) =>
      call.url === '/api/auth/refresh'
        ? { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', user } }
        : { status: 401, data: errorBody(401, 'account disabled') },
    );

    await expect(sut.get('/me')).rejects.toThrow('account disabled');

    expect(calls.map((c) => c.url)).toEqual(['/api/me', '/api/auth/refresh', '/api/me']);
    expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('logs out without calling refresh when there is no refresh token', async () => {
    session.refreshToken = null;
    const { sut, calls } = client(() => ({ status: 401, data: errorBody(401, 'expired') }));

    await expect(sut.get('/me')).rejects.toBeInstanceOf(ApiError);

    expect(calls.map((c) => c.url)).toEqual(['/api/me']);
    expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('treats a 401 on an anonymous request (login) as an answer: no token, no refresh, no logout', async () => {
    const { sut, calls } = client(() => ({ status: 401, data: errorBody(401, '用户名或密码错误') }));

    await expect(sut.post('/auth/login', { username: 'a', password: 'b' }, { anonymous: true })).rejects.toThrow(
      '用户名或密码错误',
    );

    expect(calls).toEqual([
      { method: 'POST', url: '/api/auth/login', authorization: undefined, body: { username: 'a', password: 'b' } },
    ]);
    expect(hooks.onSessionExpired).not.toHaveBeenCalled();
  });

  it("turns the server's error body into an ApiError with its message and fields", async () => {
    const { sut } = client(() => ({
      status: 409,
      data: { statusCode: 409, error: 'Conflict', message: '工单已被他人修改，请刷新后重试', correlationId: 'abc-123' },
    }));

    const error = await sut.post('/work-orders/7/accept').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      message: '工单已被他人修改，请刷新后重试',
      kind: 'server',
      statusCode: 409,
      error: 'Conflict',
      correlationId: 'abc-123',
    });
    expect(hooks.onSessionExpired).not.toHaveBeenCalled();
  });

  it('reports answers without an error body and unreachable servers by kind', async () => {
    const badGateway = client(() => ({ status: 502, data: '<html>Bad Gateway</html>' }));
    await expect(badGateway.sut.get('/me')).rejects.toMatchObject({ kind: 'http', statusCode: 502 });

    const offline = client(() => 'network-error');
    await expect(offline.sut.get('/me')).rejects.toMatchObject({ kind: 'network', statusCode: 0 });
  });
});
