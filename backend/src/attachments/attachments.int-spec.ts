import request from 'supertest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { AttachmentExpiry, UNBOUND_UPLOAD_LIFETIME_MS } from './attachment-expiry.service';
import { ALLOWED_ATTACHMENT_TYPES } from './attachment-types';
import { HTML_PAGE, VALID_FILES, WINDOWS_EXECUTABLE } from './sample-files';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a picture but starts like one')]);

describe.each(enginesUnderTest())('attachments (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine, {
      env: { ATTACHMENT_MAX_BYTES: String(64 * 1024), ATTACHMENT_QUOTA_UNBOUND_BYTES: '100000', ATTACHMENT_QUOTA_DAILY_BYTES: '150000' },
    });
    d = await new WorkOrderDriver(t).load();
  });

  afterEach(() => {
    t.clock.set(null);
  });

  afterAll(async () => {
    await t.close();
  });

  const upload = async (username: string, content: Buffer, fileName: string, contentType: string) =>
    request(t.server).post('/api/attachments').set('Authorization', `Bearer ${await t.token(username)}`).attach('file', content, { filename: fileName, contentType });

  it('uploads a photo with its sha256, binds it at registration and lets those who see the order download it', async () => {
    const uploaded = await upload('agent1', PNG, '现场照片.png', 'image/png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ fileName: '现场照片.png', mimeType: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') });
    const order = await d.register('agent1', { attachmentIds: [uploaded.body.id] });
    expect((await d.read(order.id)).attachments).toEqual([expect.objectContaining({ id: uploaded.body.id, purpose: 'register' })]);

    await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('cgj') });
    const download = await t.get('cgj_handler', `/api/work-orders/${order.id}/attachments/${uploaded.body.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.from(download.body).equals(PNG)).toBe(true);
    expect((await t.get('zjj_handler', `/api/work-orders/${order.id}/attachments/${uploaded.body.id}`)).status).toBe(404);

    // Bound once: it cannot be attached to a second order.
    const reuse = await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [uploaded.body.id] }));
    expect(reuse.status).toBe(422);
  });

  it('binds reply attachments of the handler', async () => {
    const order = await d.processing('cgj');
    const uploaded = await upload('cgj_handler', Buffer.from('处理说明'), '处理说明.txt', 'text/plain');
    const replied = await d.reply('cgj_handler', order.id, { content: '已处理', attachmentIds: [uploaded.body.id] });
    expect(replied.attachments).toEqual([expect.objectContaining({ fileName: '处理说明.txt', purpose: 'reply' })]);
  });

  it("refuses someone else's upload", async () => {
    const uploaded = await upload('agent2', PNG, 'a.png', 'image/png');
    const response = await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [uploaded.body.id] }));
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/uploaded by someone else/);
  });

  it('refuses types outside the whitelist, content that lies about its type, a missing file and an oversized file', async () => {
    const exe = await upload('agent1', Buffer.from('MZ...'), 'tool.exe', 'application/octet-stream');
    expect(exe.status).toBe(415);
    expect(exe.body.message).toMatch(/not accepted/);
    const fake = await upload('agent1', Buffer.from('MZ this is no png'), 'photo.png', 'image/png');
    expect(fake.status).toBe(415);
    expect(fake.body.message).toBe('The content of photo.png does not match its type: it is declared as .png (image/png, a PNG image), but the content looks like a Windows executable');
    const empty = await upload('agent1', Buffer.alloc(0), 'photo.png', 'image/png');
    expect(empty.status).toBe(422);
    expect(empty.body.message).toBe('The file is empty');
    const none = await request(t.server).post('/api/attachments').set('Authorization', `Bearer ${await t.token('agent1')}`);
    expect(none.status).toBe(422);
    const big = await upload('agent1', Buffer.alloc(65 * 1024, 'a'), 'big.txt', 'text/plain');
    expect(big.status).toBe(413);
    expect(big.body.message).toEqual(expect.any(String));
  });

  it('accepts a real file of every accepted type and stores it under its MIME type', async () => {
    for (const [extension, content] of Object.entries(VALID_FILES)) {
      const response = await upload('callback1', content, `样本${extension}`, 'application/octet-stream');
      expect({ extension, status: response.status }).toEqual({ extension, status: 201 });
      expect(response.body).toMatchObject({ mimeType: ALLOWED_ATTACHMENT_TYPES[extension][0], size: content.length });
    }
  });

  it.each(['.jpg', '.docx', '.txt', '.doc', '.mp3', '.mp4'])('refuses a renamed executable or web page as %s with 415 naming the declared type and the content', async (extension) => {
    const exe = await upload('callback1', WINDOWS_EXECUTABLE, `setup${extension}`, ALLOWED_ATTACHMENT_TYPES[extension][0]);
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', correlationId: expect.any(String) });
    expect(exe.body.message).toContain(`declared as ${extension} (${ALLOWED_ATTACHMENT_TYPES[extension][0]}`);
    expect(exe.body.message).toContain('looks like a Windows executable');
    const html = await upload('callback1', HTML_PAGE, `page${extension}`, ALLOWED_ATTACHMENT_TYPES[extension][0]);
    expect(html.status).toBe(415);
    expect(html.body.message).toContain('looks like an HTML/XML document or script');
  });

  describe('uploads never bound to an order expire after 24 hours', () => {
    const storedFile = (sha256: string) => join(t.app.get<AppConfig>(APP_CONFIG).attachments.directory, sha256.slice(0, 2), sha256);
    const expiry = () => t.app.get(AttachmentExpiry);
    const unique = () => Buffer.from(`现场说明 ${randomBytes(8).toString('hex')}\n`);
    // Each test starts days after everything earlier (other tests' uploads included), which it first expires.
    let base = Date.now() + 30 * UNBOUND_UPLOAD_LIFETIME_MS;
    const freshStart = async () => {
      base += 3 * UNBOUND_UPLOAD_LIFETIME_MS;
      t.clock.set(new Date(base));
      await expiry().expireUnbound();
      return base;
    };

    it('deletes expired unbound rows and their files, keeps files other rows still name, and refuses to bind what expired', async () => {
      const start = await freshStart();
      const shared = unique();
      const bound = await upload('agent1', shared, '共享.txt', 'text/plain');
      const order = await d.register('agent1', { attachmentIds: [bound.body.id] });
      const sameContent = await upload('agent1', shared, '共享副本.txt', 'text/plain');
      const lonely = await upload('agent1', unique(), '单独.txt', 'text/plain');
      t.clock.set(new Date(start + UNBOUND_UPLOAD_LIFETIME_MS - 60_000));
      const recent = await upload('agent1', unique(), '较新.txt', 'text/plain');
      expect([bound.status, sameContent.status, lonely.status, recent.status]).toEqual([201, 201, 201, 201]);
      expect(existsSync(storedFile(lonely.body.sha256))).toBe(true);

      t.clock.set(new Date(start + UNBOUND_UPLOAD_LIFETIME_MS + 1_000));
      expect(await expiry().expireUnbound()).toEqual({ deletedRows: 2, deletedFiles: 1 });
      expect(existsSync(storedFile(lonely.body.sha256))).toBe(false);
      expect(existsSync(storedFile(bound.body.sha256))).toBe(true);
      const download = await t.get('agent1', `/api/work-orders/${order.id}/attachments/${bound.body.id}`);
      expect(download.status).toBe(200);
      expect(download.text).toBe(shared.toString('utf8'));

      const deleted = await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [lonely.body.id] }));
      expect(deleted.status).toBe(422);
      expect(deleted.body.message).toMatch(/do not exist.*uploads not attached to an order within 24 hours are deleted/);
      expect((await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [recent.body.id] }))).status).toBe(201);
      expect(await expiry().expireUnbound()).toEqual({ deletedRows: 0, deletedFiles: 0 });
    });

    it('refuses to bind an upload older than 24 hours even before the cleanup ran', async () => {
      const start = await freshStart();
      const old = await upload('agent1', unique(), '旧.txt', 'text/plain');
      t.clock.set(new Date(start + UNBOUND_UPLOAD_LIFETIME_MS + 1_000));
      const response = await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [old.body.id] }));
      expect(response.status).toBe(422);
      expect(response.body.message).toBe(`Attachments ${old.body.id} have expired: they were uploaded more than 24 hours ago and not attached to an order; upload them again`);
    });

    it('is safe when two instances run it at the same time', async () => {
      const start = await freshStart();
      const content = unique();
      const uploads = [];
      for (let i = 0; i < 6; i++) uploads.push(await upload('agent2', i % 2 === 0 ? content : unique(), `f${i}.txt`, 'text/plain'));
      t.clock.set(new Date(start + UNBOUND_UPLOAD_LIFETIME_MS + 1_000));
      const [first, second] = await Promise.all([expiry().expireUnbound(), expiry().expireUnbound()]);
      expect(first.deletedRows + second.deletedRows).toBe(6);
      expect(first.deletedFiles + second.deletedFiles).toBe(4);
      for (const u of uploads) expect(existsSync(storedFile(u.body.sha256))).toBe(false);
    });
  });

  it('limits each user to a quota of unbound uploads and of uploads per 24 hours (413 naming the quota)', async () => {
    const photo = () => Buffer.concat([VALID_FILES['.jpg'], randomBytes(40_000)]);
    const a = await upload('agent2', photo(), 'a.jpg', 'image/jpeg');
    const b = await upload('agent2', photo(), 'b.jpg', 'image/jpeg');
    expect([a.status, b.status]).toEqual([201, 201]);
    const overUnbound = await upload('agent2', photo(), 'c.jpg', 'image/jpeg');
    expect(overUnbound.status).toBe(413);
    expect(overUnbound.body.message).toMatch(/^Upload quota reached: files not yet attached to a work order may total 97\.7 KB per user/);
    expect(overUnbound.body.details).toMatchObject({ quota: 'unbound', limitBytes: 100_000 });

    await d.register('agent2', { attachmentIds: [a.body.id, b.body.id] });
    expect((await upload('agent2', photo(), 'c.jpg', 'image/jpeg')).status).toBe(201);
    const overDaily = await upload('agent2', photo(), 'd.jpg', 'image/jpeg');
    expect(overDaily.status).toBe(413);
    expect(overDaily.body.message).toMatch(/^Daily upload quota reached: a user may upload 146\.5 KB in 24 hours/);
    expect(overDaily.body.details).toMatchObject({ quota: 'daily', limitBytes: 150_000 });
    // Other users have quotas of their own.
    expect((await upload('agent1', photo(), 'e.jpg', 'image/jpeg')).status).toBe(201);
  });

  it('holds the quota against parallel uploads of one user', async () => {
    const photo = () => Buffer.concat([VALID_FILES['.jpg'], randomBytes(40_000)]);
    const statuses = (await Promise.all([1, 2, 3, 4].map((i) => upload('reviewer1', photo(), `${i}.jpg`, 'image/jpeg')))).map((r) => r.status);
    expect(statuses.sort()).toEqual([201, 201, 413, 413]);
  });
});
