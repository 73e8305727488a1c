import { http } from './http';
import type { AuthSession, ChangePasswordRequest, CurrentUser, LoginRequest } from './models';

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

/**
 * The caller's new password (also replaces a one-time password). 204; the server then ends every session of the
 * user, this one included: log in again. 422 when the current password is wrong, 400 when the new one breaks the policy.
 */
export function changePassword(request: ChangePasswordRequest): Promise<void> {
  return http.post<void>('/auth/change-password', request);
}
