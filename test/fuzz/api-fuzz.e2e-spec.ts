import fc from 'fast-check';
import { call, login, type RunningServer, startServer, waitForOutput } from '../support/server';
import { type FuzzContext, type FuzzRequest, malformedRequest } from './malformed-requests';
import { type OpenApiDocument, operationsOf } from './openapi-operations';

/** Fixed, so that a failure can be replayed: the same seed gives the same requests on a fresh database. */
const SEED = 20261201;
/** Per engine; spread round-robin over every operation of the document. */
const REQUESTS = 5_000;
const CONCURRENCY = 8;
/** Between batches the role tokens are checked: a fuzzed logout legitimately ends that user's sessions. */
const BATCH = 250;
const ROLES = ['admin', 'agent1', 'dispatcher1', 'supervisor1', 'cgj_handler', 'dc_cy_1_admin'];
/** Logout ends every session of its user, so logout is fuzzed with a user of its own that the other operations do not use. */
const LOGOUT_ROLE = 'agent2';

/** Generous limits: the fuzzer is one client sending thousands of requests; a 429 would still be no 5xx. */
const RELAXED_RATE_LIMITS = {
  RATE_LIMIT_LOGIN_PER_USERNAME: '100000',
  RATE_LIMIT_LOGIN_PER_IP: '100000',
  RATE_LIMIT_API_PER_USER: '1000000',
  LOGIN_MAX_FAILURES: '100000',
  // The CTI API configured, as in production: its routes must refuse the fuzzer's (staff) credentials with 401/400,
  // not answer 503 "CTI is not configured".
  CTI_TOKEN: 'fuzz-cti-token-0123456789',
};

interface Outcome {
  request: FuzzRequest;
  status: number | 'network error';
  body: string;
  ms: number;
}

async function send(url: string, request: FuzzRequest): Promise<Outcome> {
  const started = Date.now();
  try {
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : request.body,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    return { request, status: response.status, body: body.slice(0, 300), ms: Date.now() - started };
  } catch (error) {
    return { request, status: 'network error', body: String(error), ms: Date.now() - started };
  }
}

/** Runs `requests` with at most `limit` in flight. */
async function runAll(url: string, requests: FuzzRequest[], limit: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      outcomes[index] = await send(url, requests[index]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return outcomes;
}

function describeRequest(outcome: Outcome): string {
  const { request } = outcome;
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body.slice(0, 300);
  return `${outcome.status} ${request.method} ${request.path.slice(0, 300)} [${request.kind}] ${JSON.stringify({ ...request.headers, Authorization: request.headers.Authorization ? '…' : undefined })} ${body}\n    → ${outcome.body}`;
}

async function renewRevokedTokens(url: string, tokens: Record<string, string>): Promise<number> {
  let renewed = 0;
  for (const role of Object.keys(tokens)) {
    if ((await call(url, 'GET', '/api/me', tokens[role])).status !== 401) continue;
    const response = await call<{ accessToken: string }>(url, 'POST', '/api/auth/login', undefined, { username: role, password: 'Demo@12345' });
    if (response.status === 200) tokens[role] = response.body.accessToken;
    renewed++;
  }
  return renewed;
}

/** The request with each role's original token replaced by its current one. */
function withCurrentTokens(request: FuzzRequest, tokens: Record<string, string>, originalTokens: Record<string, string>): FuzzRequest {
  const role = Object.keys(tokens).find((r) => request.headers.Authorization === `Bearer ${originalTokens[r]}`);
  return role ? { ...request, headers: { ...request.headers, Authorization: `Bearer ${tokens[role]}` } } : request;
}

async function fuzz(server: RunningServer): Promise<void> {
  const documentResponse = await call<OpenApiDocument>(server.url, 'GET', '/api/docs-json');
  expect(documentResponse.status).toBe(200);
  const operations = operationsOf(documentResponse.body);
  expect(operations.length).toBeGreaterThan(20);

  const tokens: Record<string, string> = {};
  for (const role of [...ROLES, LOGOUT_ROLE]) tokens[role] = await login(server.url, role);
  const originalTokens = { ...tokens };
  const roleTokens = Object.fromEntries(ROLES.map((role) => [role, tokens[role]]));
  const list = await call<{ items: Array<{ id: number; version: number }> }>(server.url, 'GET', '/api/work-orders?pageSize=20', tokens.admin);
  const users = await call<{ items: Array<{ id: number }> }>(server.url, 'GET', '/api/users?pageSize=5', tokens.admin);
  const context = (operationPath: string): FuzzContext => ({
    tokens: operationPath.endsWith('/auth/logout') ? { [LOGOUT_ROLE]: tokens[LOGOUT_ROLE] } : roleTokens,
    workOrderIds: list.body.items.map((item) => item.id),
    versions: [...new Set(list.body.items.map((item) => item.version))],
    otherIds: users.body.items.map((item) => item.id),
  });

  const perOperation = Math.ceil(REQUESTS / operations.length);
  // Every operation gets the same number of requests, each from its own fixed seed.
  const requests = operations.flatMap((operation, index) => fc.sample(malformedRequest(operation, context(operation.path)), { seed: SEED + index, numRuns: perOperation }));
  // Interleave the operations so that concurrent requests hit different routes, as real traffic would.
  const interleaved = Array.from({ length: perOperation }, (_, round) => requests.filter((_, i) => i % perOperation === round)).flat();
  expect(interleaved.length).toBeGreaterThanOrEqual(REQUESTS);

  const outcomes: Outcome[] = [];
  let renewals = 0;
  const started = Date.now();
  for (let start = 0; start < interleaved.length; start += BATCH) {
    renewals += await renewRevokedTokens(server.url, tokens);
    // Built now, so that the batch carries the renewed tokens.
    const batch = interleaved.slice(start, start + BATCH).map((request) => withCurrentTokens(request, tokens, originalTokens));
    outcomes.push(...(await runAll(server.url, batch, CONCURRENCY)));
  }

  const failures = outcomes.filter((o) => o.status === 'network error' || o.status >= 500);
  expect(failures.map(describeRequest)).toEqual([]);
  const statuses = outcomes.reduce<Record<string, number>>((counts, o) => ({ ...counts, [o.status]: (counts[o.status] ?? 0) + 1 }), {});
  const slowest = Object.entries(
    outcomes.reduce<Record<string, number>>((sums, o) => {
      const key = `${o.request.method} ${o.request.path.split('?')[0].replace(/\/work-orders\/[^/]+/, '/work-orders/{id}')} [${o.request.kind}]`;
      return { ...sums, [key]: (sums[key] ?? 0) + o.ms };
    }, {}),
  )
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  process.stdout.write(
    `fuzz: ${outcomes.length} requests over ${operations.length} operations in ${Date.now() - started} ms (${renewals} logins renewed): ${JSON.stringify(statuses)}; slowest: ${JSON.stringify(slowest)}\n`,
  );

  // A statement that failed on a fuzzed value is logged without its parameters (database-logger.ts), never as TypeORM's
  // console line with them.
  expect(server.output()).not.toMatch(/query failed|PARAMETERS:/);

  const health = await call(server.url, 'GET', '/api/health');
  expect(health.status).toBe(200);
}

describe('fuzzing every operation of the OpenAPI document', () => {
  describe('on SQLite', () => {
    let server: RunningServer;

    beforeAll(async () => {
      server = await startServer({ ...RELAXED_RATE_LIMITS, LOG_LEVEL: 'info' });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('answers refused bodies in the error shape and logs each with its correlation id', async () => {
      const cases: Array<[string, string, number]> = [
        ['application/json', '{"username":', 400],
        ['application/json', 'null', 400],
        ['application/json; charset=utf-16', '{}', 415],
        ['text/plain', 'hello', 415],
      ];
      for (const [index, [contentType, body, status]] of cases.entries()) {
        const correlationId = `fuzz-body-error-${index}`;
        const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': contentType, 'X-Correlation-Id': correlationId }, body });
        expect(response.status).toBe(status);
        expect(response.headers.get('x-correlation-id')).toBe(correlationId);
        expect(await response.json()).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String), correlationId, code: expect.any(String) });
      }
      // pino writes asynchronously: wait for the lines rather than for a fixed time.
      const expected = cases.map(([, , status], index) => new RegExp(`"correlationId":"fuzz-body-error-${index}".*"res":\\{"statusCode":${status}`));
      for (const line of expected) await waitForOutput(server.output, line, 10_000);
    });

    it('the access log names the search parameters holding citizens\' data, never their values', async () => {
      const phone = '13912345678';
      const keyword = '幸福小区张三';
      const correlationId = 'fuzz-personal-query';
      const response = await fetch(`${server.url}/api/work-orders?citizenPhone=${phone}&keyword=${encodeURIComponent(keyword)}&status=registered`, {
        headers: { Authorization: `Bearer ${await login(server.url, 'agent1')}`, 'X-Correlation-Id': correlationId },
      });
      expect(response.status).toBe(200);
      // pino writes asynchronously: wait for the request's line.
      const [line] = await waitForOutput(server.output, new RegExp(`^.*"correlationId":"${correlationId}".*"res":\\{"statusCode":200.*$`, 'm'), 10_000);
      expect(line).toContain('"url":"/api/work-orders?citizenPhone=***&keyword=***&status=registered"');
      for (const secret of [phone, keyword, encodeURIComponent(keyword)]) expect(server.output()).not.toContain(secret);
    });

    it(`${REQUESTS} malformed requests: no 5xx, and the server still answers`, async () => {
      await fuzz(server);
    });
  });

  const mysqlUrl = process.env.TEST_MYSQL_URL;
  (mysqlUrl ? describe : describe.skip)('on MariaDB/MySQL', () => {
    let server: RunningServer | null = null;
    let dropDatabase: (() => Promise<void>) | null = null;

    beforeAll(async () => {
      const { createConnection } = await import('mysql2/promise');
      const name = `jiesu_fuzz_${Date.now().toString(36)}`;
      const admin = await createConnection({ uri: mysqlUrl });
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      dropDatabase = async () => {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      };
      const url = new URL(mysqlUrl as string);
      url.pathname = `/${name}`;
      server = await startServer({ ...RELAXED_RATE_LIMITS, DATABASE_URL: url.toString() });
    });

    afterAll(async () => {
      await server?.stop();
      await dropDatabase?.();
    });

    it(`${REQUESTS} malformed requests: no 5xx, and the server still answers`, async () => {
      await fuzz(server as RunningServer);
    });
  });
});
