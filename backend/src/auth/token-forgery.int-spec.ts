import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

/** The development secret the source code shipped until issue 5: tokens signed with it must be worthless. */
const OLD_PUBLISHED_SECRET = 'jiesu-development-secret-change-me';
const SECRET = 'a-test-secret-of-more-than-32-characters';

const base64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function jwt(header: object, payload: object, signature: (input: string) => Buffer | string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  const raw = signature(input);
  return `${input}.${typeof raw === 'string' ? raw : raw.toString('base64url')}`;
}

const hmac = (algorithm: 'sha256' | 'sha512', key: string | Buffer) => (input: string) => createHmac(algorithm, key).update(input).digest();

describe.each(enginesUnderTest())('forged access tokens (%s)', (engine) => {
  let t: TestApp;
  let admin: { id: number; unitId: number };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: admin.id, typ: 'access', role: 'admin', unitId: admin.unitId, ver: 0, iat: now(), exp: now() + 600 });
  const me = (token: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { JWT_SECRET: SECRET } });
    admin = (await t.get('admin', '/api/me')).body;
  });

  afterAll(async () => {
    await t.close();
  });

  it('accepts a well-formed HS256 token with the configured secret (the control for the cases below)', async () => {
    expect((await me(jwt({ alg: 'HS256', typ: 'JWT' }, claims(), hmac('sha256', SECRET)))).status).toBe(200);
  });

  it.each([
    ['signed with the old published development secret', () => jwt({ alg: 'HS256', typ: 'JWT' }, claims(), hmac('sha256', OLD_PUBLISHED_SECRET))],
    ['alg none, unsigned', () => jwt({ alg: 'none', typ: 'JWT' }, claims(), () => '')],
    ['alg HS512 with the right secret', () => jwt({ alg: 'HS512', typ: 'JWT' }, claims(), hmac('sha512', SECRET))],
    ['alg RS256 HMAC-signed with the secret (key confusion)', () => jwt({ alg: 'RS256', typ: 'JWT' }, claims(), hmac('sha256', SECRET))],
    [
      'alg RS256 signed with an attacker key',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return jwt({ alg: 'RS256', typ: 'JWT' }, claims(), (input) => sign('sha256', Buffer.from(input), privateKey));
      },
    ],
    ['without exp', () => jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: undefined }, hmac('sha256', SECRET))],
    ['without iat', () => jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iat: undefined }, hmac('sha256', SECRET))],
    ['without a token version', () => jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims(), ver: undefined }, hmac('sha256', SECRET))],
  ])('refuses a token %s with 401', async (_name, forge) => {
    const response = await me(forge());
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/invalid/) });
  });
});

describe('the generated JWT secret', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });

  afterAll(async () => {
    await t.close();
  });

  it('signs with a secret that is not the old published one when JWT_SECRET is unset', async () => {
    const admin = (await t.get('admin', '/api/me')).body as { id: number; unitId: number };
    const now = Math.floor(Date.now() / 1000);
    const forged = jwt({ alg: 'HS256', typ: 'JWT' }, { sub: admin.id, typ: 'access', role: 'admin', unitId: admin.unitId, ver: 0, iat: now, exp: now + 600 }, hmac('sha256', OLD_PUBLISHED_SECRET));
    expect((await request(t.server).get('/api/me').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
  });
});
