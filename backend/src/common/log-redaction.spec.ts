import { pinoHttp } from 'pino-http';
import { QueryFailedError } from 'typeorm';
import { errorForLog, LOG_SERIALIZERS, urlForLog } from './log-redaction';

describe('urlForLog', () => {
  it.each([
    ['/api/work-orders?citizenPhone=13912345678&status=registered', '/api/work-orders?citizenPhone=***&status=registered'],
    ['/api/work-orders?keyword=%E5%B9%B8%E7%A6%8F%E5%B0%8F%E5%8C%BA&page=2', '/api/work-orders?keyword=***&page=2'],
    ['/api/public/requests/JS20261206000001?phone=139-1234-5678', '/api/public/requests/JS20261206000001?phone=***'],
    ['/api/calls?phone=13912345678&phone=13800000000', '/api/calls?phone=***&phone=***'],
    // Arrays in the query parser's forms, and a name written with escapes, are the same parameters.
    ['/api/work-orders?citizenPhone[]=13912345678&citizenPhone%5B0%5D=13800000000', '/api/work-orders?citizenPhone[]=***&citizenPhone%5B0%5D=***'],
    ['/api/work-orders?%6Beyword=%E5%BC%A0%E4%B8%89', '/api/work-orders?%6Beyword=***'],
  ])('%s → %s', (url, logged) => {
    expect(urlForLog(url)).toBe(logged);
  });

  it('leaves other URLs as they are (a bad escape included)', () => {
    for (const url of ['/api/work-orders', '/api/work-orders?status=closed&sortBy=createdAt', '/api/work-orders?%E0%A4%A=1', '/api/work-orders?citizenPhone', '']) {
      expect(urlForLog(url)).toBe(url);
    }
    expect(urlForLog(undefined)).toBe('');
  });
});

describe('errorForLog', () => {
  const phone = '13912345678';
  const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';

  /** A QueryFailedError as TypeORM makes it from a mysql2 error (the driver's fields are copied onto it). */
  function duplicateEntry(): QueryFailedError {
    const driverError = Object.assign(new Error(`Duplicate entry '${phone}' for key 'IDX_portal_accounts_phone'`), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      sqlMessage: `Duplicate entry '${phone}' for key 'IDX_portal_accounts_phone'`,
      sql: `INSERT INTO portal_accounts (phone, passwordHash) VALUES ('${phone}', '${hash}')`,
    });
    return new QueryFailedError('INSERT INTO portal_accounts (phone, passwordHash) VALUES (?, ?)', [phone, hash], driverError);
  }

  it('keeps the statement text and the code of a database error, never its parameters or the values its message quotes', () => {
    const logged = errorForLog(duplicateEntry()) as Record<string, unknown>;
    const text = JSON.stringify(logged);
    expect(text).not.toContain(phone);
    expect(text).not.toContain('argon2');
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      message: "ER_DUP_ENTRY 1062: Duplicate entry '…' for key 'IDX_portal_accounts_phone'",
      query: 'INSERT INTO portal_accounts (phone, passwordHash) VALUES (?, ?)',
      code: 'ER_DUP_ENTRY',
      errno: 1062,
    });
    expect(String(logged.stack)).toMatch(/^QueryFailedError: ER_DUP_ENTRY 1062: Duplicate entry '…'/);
    expect(logged).not.toHaveProperty('parameters');
    expect(logged).not.toHaveProperty('driverError');
    expect(logged).not.toHaveProperty('sql');
    expect(logged).not.toHaveProperty('sqlMessage');
  });

  it('the same through pino-http as the application sets it up (which runs pino\'s own serializer first)', () => {
    const lines: string[] = [];
    const http = pinoHttp({ serializers: LOG_SERIALIZERS }, { write: (line: string) => void lines.push(line) });
    http.logger.error({ err: duplicateEntry(), path: urlForLog(`/api/work-orders?citizenPhone=${phone}`) }, 'Unhandled error');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(phone);
    expect(lines[0]).not.toContain('argon2');
    const logged = JSON.parse(lines[0]) as { err: Record<string, unknown>; path: string };
    expect(logged.path).toBe('/api/work-orders?citizenPhone=***');
    expect(logged.err).toMatchObject({ type: 'QueryFailedError', message: "ER_DUP_ENTRY 1062: Duplicate entry '…' for key 'IDX_portal_accounts_phone'", code: 'ER_DUP_ENTRY' });
    expect(Object.keys(logged.err)).not.toEqual(expect.arrayContaining(['parameters']));
  });

  it('leaves any other error as pino writes it', () => {
    const error = Object.assign(new TypeError('cannot read x of undefined'), { status: 7 });
    expect(errorForLog(error)).toMatchObject({ type: 'TypeError', message: 'cannot read x of undefined', status: 7, stack: expect.stringContaining('TypeError') });
    expect(errorForLog('a string')).toBe('a string');
  });
});
