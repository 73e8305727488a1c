import axios, { type AxiosAdapter, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ApiError } from './api-error';
import type { ApiErrorBody, AuthSession } from './types';

/** How the client reads and renews the session; installed once at start-up (see main.ts). */
export interface AuthHooks {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  /** A refresh succeeded: keep the new tokens (and user). */
  onRefreshed(session: AuthSession): void;
  /** The session cannot be renewed: log out. */
  onSessionExpired(): void;
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
}

export const REFRESH_PATH = '/auth/refresh';

interface PreparedRequest {
  config: AxiosRequestConfig;
  anonymous: boolean;
  retried: boolean;
}

/**
 * The one HTTP wrapper of the console. Resolves with the response body, rejects with {@link ApiError}.
 * On a 401 it renews the tokens once (`POST /auth/refresh`, shared by concurrent requests) and retries;
 * if that is impossible or fails, the session is over.
 */
export class HttpClient {
  private readonly axios: AxiosInstance;
  private hooks: AuthHooks | null = null;
  private pendingRefresh: Promise<void> | null = null;

  constructor(options: HttpClientOptions = {}) {
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

  request<T>(config: AxiosRequestConfig, options: RequestOptions = {}): Promise<T> {
    const { anonymous = false, params, signal } = options;
    return this.send<T>({ config: { ...config, params, signal }, anonymous, retried: false });
  }

  private async send<T>(request: PreparedRequest): Promise<T> {
    const token = request.anonymous ? null : (this.hooks?.getAccessToken() ?? null);
    const headers = { ...(request.config.headers as Record<string, string> | undefined) };
    if (token) headers.Authorization = `Bearer ${token}`;

    try {
      const response = await this.axios.request<T>({ ...request.config, headers });
      return response.data;
    } catch (error) {
      if (request.anonymous || !isUnauthorized(error)) throw toApiError(error);
      if (request.retried || !(await this.renewSession(token))) {
        this.hooks?.onSessionExpired();
        throw toApiError(error);
      }
      return this.send<T>({ ...request, retried: true });
    }
  }

  /** Whether a retry may succeed: the tokens were refreshed (by this call or a concurrent one). */
  private async renewSession(rejectedToken: string | null): Promise<boolean> {
    const hooks = this.hooks;
    if (!hooks) return false;
    const current = hooks.getAccessToken();
    if (current && current !== rejectedToken) return true; // someone refreshed while we waited

    const refreshToken = hooks.getRefreshToken();
    if (!refreshToken) return false;

    this.pendingRefresh ??= this.post<AuthSession>(REFRESH_PATH, { refreshToken }, { anonymous: true })
      .then((session) => hooks.onRefreshed(session))
      .finally(() => {
        this.pendingRefresh = null;
      });
    try {
      await this.pendingRefresh;
      return true;
    } catch {
      return false;
    }
  }
}

function isUnauthorized(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 401;
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
      correlationId: body.correlationId,
      cause: error,
    });
  }
  return new ApiError(error.message, { kind: 'http', statusCode: response.status, cause: error });
}

export const http = new HttpClient();
