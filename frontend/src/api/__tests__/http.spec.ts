import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api-error';
import { ACCESS_TOKEN_KEY, HttpClient, REFRESH_LOCK, REFRESH_TOKEN_KEY, type AuthHooks, type RefreshLocks } from '../http';
import type { AuthSession } from '../models';

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
  unit: { id: 1, code: 'C', name: '市民热线服务中心', type: 'center' }, active: true, mustChangePassword: false,
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
        return { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, user } };
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
    expect(hooks.onRefreshed).toHaveBeenCalledWith({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, user });
    expect(session).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(hooks.onSessionExpired).not.toHaveBeenCalled();
  });

  it('shares one refresh between requests that fail at the same time', async () => {
    const { sut, calls } = client((call) => {
      if (call.url === '/api/auth/refresh') {
        return { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, user } };
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
        ? { status: 201, data: { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900, user } }
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

/** A Web Locks stand-in shared by the "tabs": one holder at a time per name, in request order. */
function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  const requested: string[] = [];
  const locks: RefreshLocks = {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      requested.push(name);
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(callback, callback);
      tails.set(
        name,
        result.catch(() => undefined),
      );
      return result;
    },
  };
  return { locks, requested };
}

describe('HttpClient across tabs', () => {
  beforeEach(() => {
    localStorage.clear();
    localStorage.setItem(ACCESS_TOKEN_KEY, 'access-1');
    localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-1');
  });

  /** The server: refresh tokens work once, a spent one revokes the whole login. */
  function singleUseServer() {
    const spent = new Set<string>();
    let revoked = false;
    let issued = 1;
    return fakeServer((call) => {
      if (call.url === '/api/auth/refresh') {
        const { refreshToken } = call.body as { refreshToken: string };
        if (revoked || spent.has(refreshToken)) {
          revoked = true;
          return { status: 401, data: errorBody(401, 'refresh token reused: login revoked') };
        }
        spent.add(refreshToken);
        issued += 1;
        return { status: 201, data: { accessToken: `access-${issued}`, refreshToken: `refresh-${issued}`, user } };
      }
      return !revoked && call.authorization === `Bearer access-${issued}` && issued > 1
        ? { status: 200, data: { items: [], unreadCount: 0 } }
        : { status: 401, data: errorBody(401, 'expired') };
    });
  }

  /** A tab: its own store (which, like the user store, persists a refresh to localStorage), the shared storage. */
  function tab(server: ReturnType<typeof singleUseServer>, locks: RefreshLocks | null | undefined) {
    const { session, hooks } = sessionHooks({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const onRefreshed = hooks.onRefreshed;
    hooks.onRefreshed = vi.fn((next: AuthSession) => {
      onRefreshed(next);
      localStorage.setItem(ACCESS_TOKEN_KEY, next.accessToken);
      localStorage.setItem(REFRESH_TOKEN_KEY, next.refreshToken);
    });
    const sut = new HttpClient({ adapter: server.adapter, tokenStorage: localStorage, locks });
    sut.setAuthHooks(hooks);
    return { sut, session, hooks };
  }

  it('two tabs whose token expires at once refresh once: the second adopts the pair the first received', async () => {
    const server = singleUseServer();
    const { locks, requested } = fakeLocks();
    const a = tab(server, locks);
    const b = tab(server, locks);

    // Neither tab has seen the other's `storage` event: each still holds access-1 / refresh-1.
    const results = await Promise.all([a.sut.get('/notifications'), b.sut.get('/notifications')]);

    expect(results).toEqual([
      { items: [], unreadCount: 0 },
      { items: [], unreadCount: 0 },
    ]);
    expect(server.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    expect(requested).toEqual([REFRESH_LOCK, REFRESH_LOCK]);
    expect(server.calls.filter((c) => c.url === '/api/notifications').map((c) => c.authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-1',
      'Bearer access-2',
      'Bearer access-2',
    ]);
    expect(a.hooks.onSessionExpired).not.toHaveBeenCalled();
    expect(b.hooks.onSessionExpired).not.toHaveBeenCalled();
    expect(localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
  });

  it('refreshes with the stored refresh token when another tab renewed it but the access token is unchanged', async () => {
    const server = singleUseServer();
    const a = tab(server, fakeLocks().locks);
    // Another tab's refresh has replaced refresh-1 in storage; this tab's store has not heard of it yet.
    localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-0');

    await a.sut.get('/notifications').catch(() => undefined);

    expect(server.calls.find((c) => c.url === '/api/auth/refresh')?.body).toEqual({ refreshToken: 'refresh-0' });
  });

  it('gives up without calling refresh when another tab has logged out', async () => {
    const server = singleUseServer();
    const a = tab(server, fakeLocks().locks);
    localStorage.clear();

    await expect(a.sut.get('/notifications')).rejects.toBeInstanceOf(ApiError);

    expect(server.calls.map((c) => c.url)).toEqual(['/api/notifications']);
    expect(a.hooks.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('uses navigator.locks when the browser has it', async () => {
    const server = singleUseServer();
    const { locks, requested } = fakeLocks();
    vi.stubGlobal('navigator', { ...navigator, locks });
    const a = tab(server, undefined); // no `locks` option: the default

    await expect(a.sut.get('/notifications')).resolves.toEqual({ items: [], unreadCount: 0 });

    expect(requested).toEqual([REFRESH_LOCK]);
  });

  it('without navigator.locks (jsdom) still shares one refresh between the requests of one tab', async () => {
    expect((navigator as { locks?: unknown }).locks).toBeUndefined();
    const server = singleUseServer();
    const sut = new HttpClient({ adapter: server.adapter, tokenStorage: localStorage });
    const { hooks } = sessionHooks({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    sut.setAuthHooks(hooks);

    const results = await Promise.all([sut.get('/a'), sut.get('/b'), sut.get('/c')]);

    expect(results).toHaveLength(3);
    expect(server.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    expect(hooks.onSessionExpired).not.toHaveBeenCalled();
  });
});
