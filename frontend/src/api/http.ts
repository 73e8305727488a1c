import axios, { type AxiosAdapter, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ApiError } from './api-error';
import { type ApiErrorBody, type AuthSession, PASSWORD_CHANGE_REQUIRED } from './models';

/** How the client reads and renews the session; installed once at start-up (see main.ts). */
export interface AuthHooks {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  /** A refresh succeeded: keep the new tokens (and user). */
  onRefreshed(session: AuthSession): void;
  /** The session cannot be renewed: log out. */
  onSessionExpired(): void;
  /** The server refused a call until the user changes their one-time password (403 `PASSWORD_CHANGE_REQUIRED`). */
  onPasswordChangeRequired?(): void;
}

export interface RequestOptions {
  params?: object;
  signal?: AbortSignal;
  /** No Bearer token, and a 401 is an answer rather than an expired session (login, refresh). */
  anonymous?: boolean;
}

export interface HttpClientOptions {
  baseURL?: string;
  /** Replaces the transport; tests pass a fake. */
  adapter?: AxiosAdapter;
  /**
   * Where every tab keeps the tokens (the user store persists them under {@link ACCESS_TOKEN_KEY} and
   * {@link REFRESH_TOKEN_KEY}); read inside the refresh lock to see a refresh another tab has just made.
   * Without it only the hooks are consulted.
   */
  tokenStorage?: Storage | null;
  /**
   * Serialises refreshes across tabs. Defaults to the Web Locks API (`navigator.locks`) when the browser has it;
   * `null` (or no Web Locks) leaves only the de-duplication inside this tab.
   */
  locks?: RefreshLocks | null;
}

/** The part of the Web Locks API (`navigator.locks`) the refresh needs. */
export interface RefreshLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export const REFRESH_PATH = '/auth/refresh';
/** The Web Locks name under which tabs take turns to refresh. */
export const REFRESH_LOCK = 'jiesu-token-refresh';
/** localStorage keys of the tokens, shared by every tab (written by the user store). */
export const ACCESS_TOKEN_KEY = 'jiesu.accessToken';
export const REFRESH_TOKEN_KEY = 'jiesu.refreshToken';

interface PreparedRequest {
  config: AxiosRequestConfig;
  anonymous: boolean;
  retried: boolean;
  /** The access token to send instead of the hooks' one (a retry after a refresh). */
  token?: string | null;
}

/**
 * The one HTTP wrapper of the console. Resolves with the response body, rejects with {@link ApiError}.
 * On a 401 it renews the tokens once (`POST /auth/refresh`, shared by concurrent requests) and retries;
 * if that is impossible or fails, the session is over.
 */
export class HttpClient {
  private readonly axios: AxiosInstance;
  private hooks: AuthHooks | null = null;
  private pendingRefresh: Promise<string | null> | null = null;
  private readonly tokenStorage: Storage | null;
  private readonly locks: RefreshLocks | null | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.tokenStorage = options.tokenStorage ?? null;
    this.locks = options.locks;
    this.axios = axios.create({
      baseURL: options.baseURL ?? '/api',
      adapter: options.adapter,
      headers: { Accept: 'application/json' },
    });
  }

  setAuthHooks(hooks: AuthHooks): void {
    this.hooks = hooks;
  }

  get<T>(url: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>({ method: 'GET', url }, options);
  }

  post<T>(url: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>({ method: 'POST', url, data: body }, options);
  }

  patch<T>(url: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>({ method: 'PATCH', url, data: body }, options);
  }

  delete<T>(url: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>({ method: 'DELETE', url }, options);
  }

  request<T>(config: AxiosRequestConfig, options: RequestOptions = {}): Promise<T> {
    const { anonymous = false, params, signal } = options;
    return this.send<T>({ config: { ...config, params, signal }, anonymous, retried: false });
  }

  private async send<T>(request: PreparedRequest): Promise<T> {
    const token = request.anonymous ? null : (request.token ?? this.hooks?.getAccessToken() ?? null);
    const headers = { ...(request.config.headers as Record<string, string> | undefined) };
    if (token) headers.Authorization = `Bearer ${token}`;

    try {
      const response = await this.axios.request<T>({ ...request.config, headers });
      return response.data;
    } catch (error) {
      if (request.anonymous || !isUnauthorized(error)) {
        const apiError = toApiError(error);
        if (isPasswordChangeRequired(apiError)) this.hooks?.onPasswordChangeRequired?.();
        throw apiError;
      }
      const renewed = request.retried ? null : await this.renewSession(token);
      if (!renewed) {
        this.hooks?.onSessionExpired();
        throw toApiError(error);
      }
      return this.send<T>({ ...request, retried: true, token: renewed });
    }
  }

  /**
   * The access token a retry may succeed with: a refreshed one (by this call, a concurrent one in this tab, or
   * another tab), or `null` when the session cannot be renewed.
   *
   * Refresh tokens work once and presenting a used one revokes the whole login, so a tab must never refresh with a
   * token another tab has already spent: refreshes take turns under a Web Lock shared by the tabs, and inside it the
   * tokens are read again from storage; if another tab renewed them meanwhile, its pair is used instead.
   */
  private async renewSession(rejectedToken: string | null): Promise<string | null> {
    const hooks = this.hooks;
    if (!hooks) return null;
    const current = hooks.getAccessToken();
    if (current && current !== rejectedToken) return current; // someone refreshed while we waited

    const refreshToken = hooks.getRefreshToken();
    if (!refreshToken) return null;

    this.pendingRefresh ??= this.withRefreshLock(() => this.refreshOnce(hooks, rejectedToken, refreshToken)).finally(
      () => {
        this.pendingRefresh = null;
      },
    );
    try {
      return await this.pendingRefresh;
    } catch {
      return null;
    }
  }

  /** Runs inside the lock: adopts another tab's fresh pair, or spends the refresh token. */
  private async refreshOnce(hooks: AuthHooks, rejectedToken: string | null, intended: string): Promise<string | null> {
    let refreshToken = intended;
    if (this.tokenStorage) {
      const storedAccess = this.tokenStorage.getItem(ACCESS_TOKEN_KEY);
      const storedRefresh = this.tokenStorage.getItem(REFRESH_TOKEN_KEY);
      if (!storedRefresh) return null; // logged out in another tab
      if (storedRefresh !== intended || (storedAccess && storedAccess !== rejectedToken)) {
        // Another tab refreshed meanwhile: its pair is the live one (the user store picks it up from the
        // `storage` event); retry with it rather than presenting a spent refresh token.
        if (storedAccess && storedAccess !== rejectedToken) return storedAccess;
        refreshToken = storedRefresh;
      }
    }
    const session = await this.post<AuthSession>(REFRESH_PATH, { refreshToken }, { anonymous: true });
    hooks.onRefreshed(session);
    return session.accessToken;
  }

  private withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = this.locks === undefined ? browserLocks() : this.locks;
    return locks ? locks.request(REFRESH_LOCK, task) : task();
  }
}

/** The Web Locks API where the browser has it (not in jsdom, nor in insecure contexts). */
function browserLocks(): RefreshLocks | null {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks || typeof locks.request !== 'function') return null;
  return {
    async request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      // The lock is held until the callback's promise settles; request() resolves with that promise's value.
      return (await locks.request(name, callback));
    },
  };
}

function isUnauthorized(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 401;
}

function isPasswordChangeRequired(error: unknown): boolean {
  return error instanceof ApiError && error.statusCode === 403 && error.code === PASSWORD_CHANGE_REQUIRED;
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as ApiErrorBody).message === 'string';
}

/** Turns whatever axios threw into an {@link ApiError} carrying the server's message when there is one. */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError || axios.isCancel(error) || !axios.isAxiosError(error)) return error;

  const response = error.response;
  if (!response) {
    return new ApiError(error.message, { kind: 'network', statusCode: 0, cause: error });
  }
  if (isErrorBody(response.data)) {
    const body = response.data;
    return new ApiError(body.message, {
      kind: 'server',
      statusCode: body.statusCode ?? response.status,
      error: body.error,
      code: typeof body.code === 'string' ? body.code : null,
      correlationId: body.correlationId,
      details: typeof body.details === 'object' && body.details !== null ? body.details : null,
      cause: error,
    });
  }
  return new ApiError(error.message, { kind: 'http', statusCode: response.status, cause: error });
}

export const http = new HttpClient({
  tokenStorage: typeof localStorage === 'undefined' ? null : localStorage,
});
