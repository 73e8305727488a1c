import { http } from './http';
import type { AuthSession, CurrentUser, LoginRequest } from './types';

export function login(credentials: LoginRequest): Promise<AuthSession> {
  return http.post<AuthSession>('/auth/login', credentials, { anonymous: true });
}

export function getCurrentUser(): Promise<CurrentUser> {
  return http.get<CurrentUser>('/me');
}

/** Ends the session server-side (every session of the user: the server revokes all their refresh tokens). */
export function logout(): Promise<void> {
  return http.post<void>('/auth/logout');
}
