import type { Role } from '../users/role';

/** The authenticated caller, as the guard puts it on the request. */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number;
  unitName: string;
}

export interface AccessTokenPayload {
  sub: number;
  typ: 'access';
  role: Role;
  unitId: number;
  /** Expiry (seconds since the epoch), set by the signer. */
  exp?: number;
}

export interface RefreshTokenPayload {
  sub: number;
  typ: 'refresh';
  ver: number;
}
