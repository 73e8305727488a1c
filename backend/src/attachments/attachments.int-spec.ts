import request from 'supertest';
import { createHash } from 'node:crypto';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a picture but starts like one')]);

describe.each(enginesUnderTest())('attachments (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { ATTACHMENT_MAX_BYTES: String(64 * 1024) } });
    d = await new WorkOrderDriver(t).load();
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
    const replied = await d.act('cgj_handler', order.id, 'reply', { content: '已处理', attachmentIds: [uploaded.body.id] });
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
    const none = await request(t.server).post('/api/attachments').set('Authorization', `Bearer ${await t.token('agent1')}`);
    expect(none.status).toBe(422);
    const big = await upload('agent1', Buffer.alloc(65 * 1024, 'a'), 'big.txt', 'text/plain');
    expect(big.status).toBe(413);
    expect(big.body.message).toEqual(expect.any(String));
  });
});
