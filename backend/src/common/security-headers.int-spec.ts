import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

/** Headers do not depend on the database engine: these run on SQLite only. */
describe('security headers', () => {
  let t: TestApp;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'jiesu-console-'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="app"></div>');
    t = await startTestApp('sqlite', { env: { CONSOLE_DIR: consoleDir } });
  });

  afterAll(async () => {
    await t.close();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  const csp = (response: request.Response) => String(response.headers['content-security-policy'] ?? '');

  it.each(['/', '/work-orders', '/api/health', '/api/docs', '/api/nothing-here'])('%s carries the console’s CSP and the other headers', async (path) => {
    const response = await request(t.server).get(path);
    const policy = csp(response);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends HSTS only for requests that came over TLS (via a trusted proxy on loopback)', async () => {
    const plain = await request(t.server).get('/api/health');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const viaTls = await request(t.server).get('/api/health').set('X-Forwarded-Proto', 'https');
    expect(viaTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('error answers carry the headers too', async () => {
    const response = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send('null');
    expect(response.status).toBe(400);
    expect(csp(response)).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the OpenAPI document and its UI by default, which needs nothing the CSP forbids', async () => {
    expect((await request(t.server).get('/api/docs-json')).status).toBe(200);
    const ui = await request(t.server).get('/api/docs');
    expect(ui.status).toBe(200);
    // script-src 'self' without 'unsafe-inline': every script must be a file of this origin.
    const scripts = [...ui.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect({ attributes, inline: inline.trim() }).toEqual({ attributes: expect.stringMatching(/src="\.\/docs\/[\w.-]+\.js"/), inline: '' });
    }
    expect(ui.text).not.toMatch(/\son[a-z]+=/);
    for (const [, src] of scripts.map(([, attributes]) => /src="\.\/([^"]+)"/.exec(attributes) ?? [])) {
      expect((await request(t.server).get(`/api/${src}`)).status).toBe(200);
    }
    const init = await request(t.server).get('/api/docs/swagger-ui-init.js');
    expect(init.text).toContain('"validatorUrl": null');
  });
});

describe('API_DOCS=off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite', { env: { API_DOCS: 'off' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(['/api/docs', '/api/docs/', '/api/docs-json', '/api/docs/swagger-ui-init.js'])('%s → 404 in the error shape', async (path) => {
    const response = await request(t.server).get(path);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', correlationId: expect.any(String) });
  });

  it('the API itself still answers', async () => {
    expect((await t.get('agent1', '/api/me')).status).toBe(200);
  });
});
