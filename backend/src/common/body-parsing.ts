import {
  BadRequestException,
  HttpException,
  Injectable,
  type NestMiddleware,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { NestExpressApplication, NestExpressBodyParserOptions } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Deeper JSON is refused with 400 before it is parsed: no request of this API nests more than a few levels,
 * and the validator (class-transformer) recurses once per level, so 2,000 levels overflowed the stack (→ 500).
 */
export const MAX_JSON_DEPTH = 32;

/** What went wrong while reading a body; kept on the request until the logging middleware has run. */
interface RequestWithBodyError extends IncomingMessage {
  bodyError?: HttpException;
}

/** Raised from the parser's verify step; the `type` tells the error translation below what it was. */
class BodyRejected extends Error {
  constructor(
    readonly type: 'body.too.deep' | 'body.not.object' | 'charset.unsupported',
    message: string,
  ) {
    super(message);
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of objects and arrays in raw JSON text, stopping as soon as `limit` is passed. Works on
 * UTF-8 bytes: the ASCII bytes it looks at never occur inside a multi-byte character.
 */
export function jsonDepthExceeds(raw: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** The first byte that is not JSON whitespace (or a UTF-8 byte-order mark), or -1 for a blank body. */
function firstSignificantByte(raw: Uint8Array): number {
  let i = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  for (; i < raw.length; i++) {
    const byte = raw[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return byte;
  }
  return -1;
}

/** Runs on the raw bytes before JSON.parse: every JSON body of this API is one object of modest depth, in UTF-8. */
function verifyJsonBody(_request: IncomingMessage, _response: ServerResponse, raw: Buffer, encoding: string | null): void {
  if (encoding !== null && !/^utf-?8$/i.test(encoding)) {
    throw new BodyRejected('charset.unsupported', `Unsupported charset "${encoding.toUpperCase()}": send JSON in UTF-8`);
  }
  if (firstSignificantByte(raw) !== OPEN_BRACE) {
    throw new BodyRejected('body.not.object', 'The body must be a JSON object');
  }
  if (jsonDepthExceeds(raw, MAX_JSON_DEPTH)) {
    throw new BodyRejected('body.too.deep', `The JSON body is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`);
  }
}

interface ParserError {
  type?: unknown;
  status?: unknown;
  message?: unknown;
  charset?: unknown;
}

/** Translates what body-parser (or the verify step) raised into the answer the client gets. */
export function toBodyHttpException(error: unknown): HttpException {
  if (error instanceof HttpException) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ParserError;
  const message = typeof e.message === 'string' ? e.message : 'The request body cannot be read';
  switch (e.type) {
    case 'entity.too.large':
      return new PayloadTooLargeException(`The request body is too large (at most ${MAX_BODY_BYTES / 1024 / 1024} MB)`);
    case 'parameters.too.many':
      return new PayloadTooLargeException('The form body has too many fields');
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(
        typeof e.charset === 'string' ? `Unsupported charset "${e.charset.toUpperCase()}": send JSON in UTF-8` : message,
      );
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException('Unsupported Content-Encoding: send the body uncompressed, gzip, deflate or br');
    case 'entity.parse.failed':
      return new BadRequestException(`The body is not valid JSON: ${message}`);
    case 'body.too.deep':
    case 'body.not.object':
      return new BadRequestException(message);
    default:
      // request.aborted, request.size.invalid and the like: the body did not arrive as announced.
      return new BadRequestException(`The request body cannot be read: ${message}`);
  }
}

const ACCEPTED_BODY_TYPES = /^(application\/json|application\/[a-z0-9.+-]+\+json|application\/x-www-form-urlencoded|multipart\/form-data)$/;
/** Raw WAV uploads of call recordings: left unread here, the recordings controller (cti/) streams the body to disk itself. */
const RAW_WAV_ROUTE = /^\/api\/cti\/calls\/[^/?]+\/recording(\?|$)/;
const WAV_TYPES = /^audio\/(wav|x-wav|wave|vnd\.wave)$/;

function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/**
 * Reads JSON and form bodies. Parsing errors are not answered here: they are kept on the request and raised
 * by BodyErrorMiddleware, after the request logger has seen the request, so that every refused body is
 * answered in the documented error shape and gets its request-log line.
 */
export function useBodyParsers(app: NestExpressApplication): void {
  const limit = MAX_BODY_BYTES;
  // `verify` is typed away by Nest (it uses it for rawBody, which this app does not ask for); it is passed through.
  const jsonOptions: NestExpressBodyParserOptions & { verify: typeof verifyJsonBody } = {
    limit,
    type: ['application/json', 'application/*+json'],
    verify: verifyJsonBody,
  };
  app.useBodyParser('json', jsonOptions);
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.use((error: unknown, request: RequestWithBodyError, _response: ServerResponse, next: () => void) => {
    request.bodyError = toBodyHttpException(error);
    if (!request.complete) request.resume();
    next();
  });
  app.use((request: RequestWithBodyError & { body?: unknown }, _response: ServerResponse, next: () => void) => {
    if (request.bodyError === undefined && request.body === undefined && hasBody(request)) {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!ACCEPTED_BODY_TYPES.test(mediaType) && !(WAV_TYPES.test(mediaType) && RAW_WAV_ROUTE.test(request.url ?? ''))) {
        request.bodyError = new UnsupportedMediaTypeException(
          `Unsupported Content-Type "${mediaType || '(none)'}": send the body as application/json`,
        );
        request.resume();
      }
    }
    next();
  });
}

/** Raises the body error kept by useBodyParsers, now that the request logger has run (see CommonModule). */
@Injectable()
export class BodyErrorMiddleware implements NestMiddleware {
  use(request: Request & RequestWithBodyError, _response: Response, next: NextFunction): void {
    if (request.bodyError) throw request.bodyError;
    next();
  }
}
