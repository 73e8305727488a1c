import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { EntityNotFoundError } from 'typeorm';
import { type ApiErrorBody, codeOfStatus } from './api-error';
import { isStatementTimeout, isUniqueViolation, statementTimeoutLimitMs } from '../database/database-errors';
import { toBodyHttpException } from './body-parsing';
import { CORRELATION_HEADER } from './correlation-id';
import { urlForLog } from './log-redaction';

interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

/** Seconds a client waits before trying a query again that the database stopped at its time limit. */
export const STATEMENT_TIMEOUT_RETRY_AFTER_SECONDS = 5;

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error && typeof (error as { status: unknown }).status === 'number';
}

/**
 * The one exception filter: known errors keep their status and message; anything else is logged with the
 * correlation id and answered as a 500 without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const context = host.switchToHttp();
    const request = context.getRequest<Request & { id?: string }>();
    const response = context.getResponse<Response>();
    const correlationId = String(request.id ?? response.getHeader(CORRELATION_HEADER) ?? '');
    if (isStatementTimeout(exception)) {
      // Not a fault of the server: a list or report query ran into its limit (database/statement-timeout.ts).
      this.logger.warn({ correlationId, method: request.method, route: (request.route as { path?: string } | undefined)?.path ?? null, path: urlForLog(request.url), query: exception.query }, 'Query stopped at its time limit');
      if (!response.headersSent) {
        response.setHeader('Retry-After', String(STATEMENT_TIMEOUT_RETRY_AFTER_SECONDS));
        response.status(HttpStatus.SERVICE_UNAVAILABLE).json(this.statementTimeoutBody(exception, correlationId));
      }
      return;
    }
    const body = this.toBody(exception, correlationId);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, correlationId, path: urlForLog(request.url) }, 'Unhandled error');
    }
    if (!response.headersSent) {
      response.status(body.statusCode).json(body);
    }
  }

  private statementTimeoutBody(exception: Parameters<typeof statementTimeoutLimitMs>[0], correlationId: string): ApiErrorBody {
    const limitMs = statementTimeoutLimitMs(exception);
    const took = limitMs === null ? 'too long' : `longer than ${Number((limitMs / 1000).toFixed(3))} s`;
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: `The query took ${took} and was stopped; narrow the filters or try again in a moment`,
      correlationId,
      code: 'QUERY_TIMEOUT',
    };
  }

  private toBody(exception: unknown, correlationId: string): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      let message: string = exception.message;
      let details: Record<string, unknown> | undefined;
      let code: string | undefined;
      if (typeof raw === 'string') message = raw;
      else if (typeof raw === 'object' && raw !== null) {
        const r = raw as { message?: unknown; details?: Record<string, unknown>; code?: unknown };
        if (Array.isArray(r.message)) message = r.message.join('; ');
        else if (typeof r.message === 'string') message = r.message;
        details = r.details;
        if (typeof r.code === 'string') code = r.code;
      }
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, correlationId, code: code ?? codeOfStatus(status), ...(details ? { details } : {}) };
    }
    if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
      // A safety net: body-parser errors are normally translated by useBodyParsers (common/body-parsing.ts).
      const translated = toBodyHttpException(exception);
      return { statusCode: translated.getStatus(), error: STATUS_CODES[translated.getStatus()] ?? 'Error', message: translated.message, correlationId, code: codeOfStatus(translated.getStatus()) };
    }
    if (exception instanceof EntityNotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: 'The requested record does not exist', correlationId, code: 'NOT_FOUND' };
    }
    if (isUniqueViolation(exception)) {
      return { statusCode: 409, error: 'Conflict', message: 'A record with the same unique value already exists', correlationId, code: 'DUPLICATE' };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'An unexpected error occurred; quote the correlation id when reporting it',
      correlationId,
      code: 'INTERNAL_ERROR',
    };
  }
}
