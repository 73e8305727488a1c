import type { Role } from '../users/role';

/** The authenticated caller, as the guard puts it on the request. */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number;
  unitName: string;
  /** A one-time password is in use: only the routes marked @AllowedBeforePasswordChange() answer (issue 7). */
  mustChangePassword?: boolean;
}

/** Claims every token carries; `exp` and `iat` are set by the signer and required on verification. */
interface SignedClaims {
  /** Issued at (seconds since the epoch). */
  iat: number;
  /** Expiry (seconds since the epoch). */
  exp: number;
}

export interface AccessTokenPayload extends SignedClaims {
  sub: number;
  typ: 'access';
  role: Role;
  unitId: number;
  /** The user's token version when issued; a bumped version (logout, new password) makes the token stale. */
  ver: number;
}

export interface RefreshTokenPayload extends SignedClaims {
  sub: number;
  typ: 'refresh';
  ver: number;
  /** The refresh_tokens row: each refresh token is good for one use. */
  jti: string;
}

export type UnsignedPayload<T extends SignedClaims> = Omit<T, keyof SignedClaims>;
