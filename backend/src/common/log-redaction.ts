import { stdSerializers } from 'pino';
import { describeDatabaseError, statementText } from '../database/database-logger';

/**
 * Query parameters whose values are citizens' data (a caller's phone number; a free-text search, which agents fill
 * with names and addresses): the access log and the error lines keep the parameter's name, never its value.
 */
export const PERSONAL_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['citizenPhone', 'phone', 'keyword']);

/** The request's URL as logged: each personal query parameter's value replaced with ***. */
export function urlForLog(url: string | undefined): string {
  if (!url) return '';
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      // `citizenPhone[]=…` and `citizenPhone[0]=…` are the same parameter to the query parser.
      return PERSONAL_QUERY_PARAMETERS.has(name.replace(/\[[^\]]*\]$/, '')) && equals >= 0 ? `${rawName}=***` : pair;
    });
  return `${url.slice(0, queryStart)}?${pairs.join('&')}`;
}

/**
 * An error as the log writes it (pino's `err`): its type, message and stack and its own fields — except, for a
 * database error, the statement's parameters, the SQL with the values formatted in (`sql`) and the values the
 * driver's message quotes (database-logger.ts); the statement's text (placeholders) stays, shortened. Takes the error
 * or what pino's standard serializer made of it (pino-http runs that one first and hands its result on).
 */
export function errorForLog(error: unknown): unknown {
  const serialized = (error instanceof Error ? stdSerializers.err(error) : error) as Record<string, unknown> | null;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  if (!('parameters' in serialized) && !('driverError' in serialized) && !('sql' in serialized) && !('sqlMessage' in serialized)) return serialized;
  const message = describeDatabaseError(serialized);
  const { parameters: _parameters, driverError: _driverError, sql: _sql, sqlMessage: _sqlMessage, query, ...rest } = serialized;
  const stack = typeof rest.stack === 'string' && typeof rest.message === 'string' ? rest.stack.replace(rest.message, message) : rest.stack;
  return { ...rest, message, stack, ...(typeof query === 'string' ? { query: statementText(query) } : {}) };
}

/** The access log's and the error lines' serializers (pino-http's options): see urlForLog and errorForLog. */
export const LOG_SERIALIZERS = {
  req: (request: { id?: unknown; method?: string; url?: string }) => ({ id: request.id, method: request.method, url: urlForLog(request.url) }),
  err: errorForLog,
};
