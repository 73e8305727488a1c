import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

/** How a browser receives the console: compressed hashed assets cached for a year, index.html revalidated. */
describe('console delivery', () => {
  let t: TestApp;
  let directory: string;
  const script = `console.log(${JSON.stringify('接诉'.repeat(500))});\n`;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-console-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/assets/index-AbC123.js"></script>');
    writeFileSync(join(directory, 'assets', 'index-AbC123.js'), script);
    writeFileSync(join(directory, 'assets', 'index-AbC123.js.br'), brotliCompressSync(script));
    writeFileSync(join(directory, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
    writeFileSync(join(directory, 'assets', 'logo-XyZ789.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp('sqlite', { env: { CONSOLE_DIR: directory } });
  });

  afterAll(async () => {
    await t.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const get = (path: string, acceptEncoding: string) =>
    request(t.server).get(path).set('Accept-Encoding', acceptEncoding).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });

  it('sends the brotli file to a browser that accepts br, cached for a year', async () => {
    const response = await get('/assets/index-AbC123.js', 'gzip, deflate, br, zstd');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers.vary).toContain('Accept-Encoding');
    // supertest decodes the body by its Content-Encoding: the script arrives whole.
    expect((response.body as Buffer).toString()).toBe(script);
    expect(Number(response.headers['content-length'])).toBeLessThan(Buffer.byteLength(script) / 5);
  });

  it('sends gzip when br is not accepted, and the plain file when nothing is', async () => {
    const gzip = await get('/assets/index-AbC123.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect((gzip.body as Buffer).toString()).toBe(script);
    expect(Number(gzip.headers['content-length'])).toBe(gzipSync(script).length);
    const refused = await get('/assets/index-AbC123.js', 'br;q=0, gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect((refused.body as Buffer).toString()).toBe(script);
    const plain = await get('/assets/logo-XyZ789.svg', 'br, gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates index.html and the console’s routes on every load', async () => {
    for (const path of ['/', '/index.html', '/work-orders/5']) {
      const response = await get(path, 'br, gzip');
      expect({ path, status: response.status, cache: response.headers['cache-control'] }).toEqual({ path, status: 200, cache: 'no-cache' });
      expect((response.body as Buffer).toString()).toContain('<div id="app">');
    }
  });

  it('does not serve files outside the assets folder through it, and 404s a missing asset', async () => {
    expect((await get('/assets/..%2Findex.html', 'br')).headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/missing-0000.js', 'br')).headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
  });
});
