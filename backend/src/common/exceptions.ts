import { ConflictException, HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode } from './api-error';

/** 422: the request is well-formed but names something that cannot be used here (an inactive unit, a non-leaf category…). */
export class UnprocessableException extends HttpException {
  constructor(message: string, details?: Record<string, unknown>) {
    super({ message, details }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

/** 409 carrying details for the client (current status, allowed actions, current version) and, where a client reacts to it, a code. */
export class ConflictWithDetailsException extends ConflictException {
  constructor(message: string, details: Record<string, unknown>, code?: ErrorCode) {
    super({ message, details, ...(code ? { code } : {}) });
  }
}

/** 423: the account is locked after too many failed logins. */
export class AccountLockedException extends HttpException {
  constructor(message: string) {
    super({ message, code: 'ACCOUNT_LOCKED' satisfies ErrorCode }, HttpStatus.LOCKED);
  }
}
