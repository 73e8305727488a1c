import request from 'supertest';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { CAPTCHA_LIFETIME_MS, CaptchaService } from './captcha/captcha.service';
import { PORTAL_DISPLAY_NAME, PORTAL_USERNAME } from './portal-account';

/** Small but real files (the attachments' content checks look at their first bytes). */
const VALID_FILES: Record<'.jpg' | '.png' | '.pdf', Buffer> = {
  '.jpg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
  '.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  '.pdf': Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
};

interface TreeNode {
  id: number;
  code: string;
  name: string;
  type: string;
  children: TreeNode[];
}
const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe.each(enginesUnderTest())('citizen portal (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let api: OpenApiConformance;
  let captchas: CaptchaService;
  // Every test submits from addresses of its own, so that the per-address limits of one do not reach the next.
  let nextAddress = 1;
  const address = () => `198.51.100.${nextAddress++}`;
  // And from phone numbers of its own (5 submissions an hour per phone).
  let nextPhone = 1000;
  const phone = () => `1350000${nextPhone++}`;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body as OpenApiDocument);
    captchas = t.app.get(CaptchaService);
  });

  afterEach(() => {
    t.clock.set(null);
  });

  afterAll(async () => {
    await t.close();
  });

  const conforms = (path: string, method: string, response: request.Response) => expect(api.problemsOf(path, method, response)).toEqual([]);

  const fields = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
    const { token, answer } = captchas.issue();
    const all: Record<string, string | undefined> = {
      requestType: 'report',
      categoryId: String(d.category('C010101')),
      content: '朝阳路18号门前路灯连续三晚不亮，夜里行人看不清路，请尽快维修。',
      address: '朝阳路18号',
      districtUnitId: String(d.unit('dc')),
      streetUnitId: String(d.unit('dc_cy')),
      citizenName: '李女士',
      citizenPhone: phone(),
      citizenConfidential: 'false',
      captchaToken: token,
      captchaAnswer: String(answer),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
  };

  /** A multipart submission from `ip`, with the fields and photos given. */
  const submit = (ip: string, values: Record<string, string>, photos: { content: Buffer; name: string; type: string }[] = []) => {
    let call = request(t.server).post('/api/public/requests').set('X-Forwarded-For', ip);
    for (const [name, value] of Object.entries(values)) call = call.field(name, value);
    for (const photo of photos) call = call.attach('photos', photo.content, { filename: photo.name, contentType: photo.type });
    return call;
  };
  const track = (number: string, phone: string | undefined, ip = address()) =>
    request(t.server)
      .get(`/api/public/requests/${number}`)
      .query(phone === undefined ? {} : { phone })
      .set('X-Forwarded-For', ip);
  const orderIdOf = async (number: string): Promise<number> => {
    const list = await t.get('supervisor1', `/api/work-orders?keyword=${number}`);
    expect(list.status).toBe(200);
    const found = (list.body.items as { id: number; number: string }[]).find((o) => o.number === number);
    if (!found) throw new Error(`Order ${number} is not in the list`);
    return found.id;
  };
  const jpeg = { content: VALID_FILES['.jpg'], name: '路灯.jpg', type: 'image/jpeg' };

  describe('captcha and form options', () => {
    it('hands out a captcha as an image that does not spell its sum, and a token without the answer', async () => {
      const response = await request(t.server).get('/api/public/captcha').set('X-Forwarded-For', address());
      expect(response.status).toBe(200);
      conforms('/api/public/captcha', 'get', response);
      expect(response.body.image).toMatch(/^data:image\/svg\+xml;base64,/);
      const svg = Buffer.from(response.body.image.split(',')[1], 'base64').toString('utf8');
      expect(svg).toContain('<svg');
      expect(svg).not.toMatch(/<text|<tspan|font/i);
      expect(response.body.token.split('.')).toHaveLength(3);
      expect(new Date(response.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(CAPTCHA_LIFETIME_MS);
    });

    it('offers the request types, the active categories (leaves below), the districts with their streets and the photo limits', async () => {
      const response = await request(t.server).get('/api/public/form-options');
      expect(response.status).toBe(200);
      conforms('/api/public/form-options', 'get', response);
      expect(response.body.requestTypes).toEqual(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise']);
      const construction = response.body.categories.find((c: { name: string }) => c.name === '城乡建设');
      expect(construction.children[0].children[0]).toEqual({ id: d.category('C010101'), name: '路灯', children: [] });
      // The demo city has no catch-all category 其他: citizens must choose one.
      expect(response.body.categoryRequired).toBe(true);
      const district = response.body.districts.find((u: { id: number }) => u.id === d.unit('dc'));
      expect(district.streets).toContainEqual({ id: d.unit('dc_cy'), name: '朝阳街道办事处' });
      expect(response.body).toMatchObject({ maxPhotos: 3, maxPhotoBytes: 5 * 1024 * 1024, photoTypes: ['image/jpeg', 'image/png', 'image/webp'] });
    });
  });

  describe('submitting', () => {
    it('registers the request through the real registration: channel web, the portal as registrar, photos bound, searchable', async () => {
      const response = await submit(address(), fields({ citizenPhone: '139-0000-1111' }), [jpeg, { content: VALID_FILES['.png'], name: 'IMG_0001.png', type: 'image/png' }]);
      expect(response.status).toBe(201);
      conforms('/api/public/requests', 'post', response);
      expect(response.body).toEqual({ number: expect.stringMatching(/^\d{14}$/), phoneHint: '139****1111', trackingHint: expect.stringContaining(response.body.number), createdAt: expect.any(String) });

      const order = await d.read(await orderIdOf(response.body.number));
      expect(order).toMatchObject({
        channel: 'web',
        status: 'registered',
        requestType: 'report',
        categoryId: d.category('C010101'),
        title: '朝阳路18号门前路灯连续三晚不亮，夜里行人看不清路，请尽快维…',
        citizenName: '李女士',
        citizenPhone: '13900001111',
        citizenConfidential: false,
        districtUnitId: d.unit('dc'),
        streetUnitId: d.unit('dc_cy'),
      });
      expect(order.attachments).toEqual([
        expect.objectContaining({ fileName: '路灯.jpg', mimeType: 'image/jpeg', purpose: 'register' }),
        expect.objectContaining({ fileName: 'IMG_0001.png', mimeType: 'image/png', purpose: 'register' }),
      ]);
      expect(order.timeline).toEqual([expect.objectContaining({ action: 'register', actorName: PORTAL_DISPLAY_NAME, actorRole: 'agent', toStatus: 'registered' })]);
      expect(order.deadlines).toContainEqual(expect.objectContaining({ kind: 'dispatch', running: true, dueAt: expect.any(String) }));
      // The portal's account is a real, inactive account: it cannot log in.
      const login = await request(t.server).post('/api/auth/login').send({ username: PORTAL_USERNAME, password: '!' });
      expect(login.status).toBe(401);
    });

    it('takes JSON without photos too; a confidential request keeps the citizen from the departments', async () => {
      const response = await request(t.server)
        .post('/api/public/requests')
        .set('X-Forwarded-For', address())
        .send({ ...fields({ title: '噪音扰民', citizenConfidential: undefined, districtUnitId: undefined, streetUnitId: undefined }), categoryId: d.category('C040101'), citizenConfidential: true });
      expect(response.status).toBe(201);
      const order = await d.read(await orderIdOf(response.body.number));
      expect(order).toMatchObject({ title: '噪音扰民', citizenConfidential: true, districtUnitId: null });
    });

    it('refuses a wrong, a reused, an expired and a malformed captcha with a code that says which', async () => {
      const wrong = fields();
      wrong.captchaAnswer = String(Number(wrong.captchaAnswer) + 1);
      const first = await submit(address(), wrong);
      expect(first.status).toBe(422);
      expect(first.body).toMatchObject({ code: 'CAPTCHA_WRONG', message: expect.stringMatching(/answer is wrong/) });
      conforms('/api/public/requests', 'post', first);
      // One try per captcha: the right answer after a wrong one is refused too.
      const { token, answer } = captchas.issue();
      const retried = { ...fields(), captchaToken: token, captchaAnswer: String(answer + 1) };
      expect((await submit(address(), retried)).body.code).toBe('CAPTCHA_WRONG');
      const reused = await submit(address(), { ...retried, captchaAnswer: String(answer) });
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ code: 'CAPTCHA_USED', message: expect.stringMatching(/used already/) });

      const old = captchas.issue();
      t.clock.set(new Date(Date.now() + CAPTCHA_LIFETIME_MS + 1000));
      const expired = await submit(address(), { ...fields(), captchaToken: old.token, captchaAnswer: String(old.answer) });
      expect(expired.status).toBe(422);
      expect(expired.body).toMatchObject({ code: 'CAPTCHA_EXPIRED', message: expect.stringMatching(/expired/) });
      t.clock.set(null);

      const forged = await submit(address(), { ...fields(), captchaToken: 'abc.def', captchaAnswer: '12' });
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('CAPTCHA_INVALID');
    });

    it('validates the fields, the phone number, the photos and the category, each with a clear message', async () => {
      const noPhone = await submit(address(), fields({ citizenPhone: undefined }));
      expect(noPhone.status).toBe(400);
      expect(noPhone.body.message).toMatch(/citizenPhone must be a mainland mobile number/);
      for (const bad of ['12345678901', '1380000111', '+1 415 555 0100', 'abc']) {
        expect((await submit(address(), fields({ citizenPhone: bad }))).status).toBe(400);
      }
      for (const good of ['13800001111', '+86 138 0000 1112', '010-12345678', '0755 1234 5678']) {
        const accepted = await submit(address(), fields({ citizenPhone: good }));
        expect({ good, status: accepted.status }).toEqual({ good, status: 201 });
      }
      const short = await submit(address(), fields({ content: '灯坏' }));
      expect(short.status).toBe(400);
      expect(short.body.message).toMatch(/content must be at least 5 characters/);
      const badType = await submit(address(), fields({ requestType: 'praise-me' }));
      expect(badType.status).toBe(400);
      expect((await submit(address(), { ...fields(), extra: 'x' })).status).toBe(400);

      const fourPhotos = await submit(address(), fields(), [jpeg, jpeg, jpeg, jpeg]);
      expect(fourPhotos.status).toBe(400);
      expect(fourPhotos.body.message).toBe('Send at most 3 photos, in the multipart field "photos"');
      const pdf = await submit(address(), fields(), [{ content: VALID_FILES['.pdf'], name: '材料.pdf', type: 'application/pdf' }]);
      expect(pdf.status).toBe(415);
      const fake = await submit(address(), fields(), [{ content: Buffer.from('MZ this is no picture'), name: 'photo.jpg', type: 'image/jpeg' }]);
      expect(fake.status).toBe(415);
      const large = await submit(address(), fields(), [{ content: Buffer.concat([VALID_FILES['.jpg'], Buffer.alloc(5 * 1024 * 1024)]), name: 'big.jpg', type: 'image/jpeg' }]);
      expect(large.status).toBe(413);
      expect(large.body.message).toBe('A photo may have at most 5 MB');
      // A camera picture without an extension is taken by its type (and its content checked).
      expect((await submit(address(), fields(), [{ content: VALID_FILES['.jpg'], name: 'image', type: 'image/jpeg' }])).status).toBe(201);

      const branch = await submit(address(), fields({ categoryId: String(d.category('C01')) }));
      expect(branch.status).toBe(422);
      expect(branch.body.message).toMatch(/not a leaf/);
      const none = await submit(address(), fields({ categoryId: undefined }));
      expect(none.status).toBe(422);
      expect(none.body.message).toBe('Choose a category: categoryId is required');
      const wrongStreet = await submit(address(), fields({ districtUnitId: String(d.unit('dc')), streetUnitId: String(d.unit('cgj')) }));
      expect(wrongStreet.status).toBe(422);
    });
  });

  describe('tracking', () => {
    it('answers the status and the public timeline for the number with its phone, however the phone is written', async () => {
      const submitted = await submit(address(), fields({ citizenPhone: '13900002222' }));
      for (const phone of ['13900002222', '+86 139-0000-2222', '8613900002222']) {
        const response = await track(submitted.body.number, phone);
        expect(response.status).toBe(200);
        conforms('/api/public/requests/{number}', 'get', response);
        expect(response.body).toEqual({
          number: submitted.body.number,
          status: 'received',
          requestType: 'report',
          category: '城乡建设/市政设施/路灯',
          title: expect.stringMatching(/^朝阳路18号门前路灯/),
          address: '朝阳路18号',
          createdAt: submitted.body.createdAt,
          reply: null,
          repliedAt: null,
          closedAt: null,
          timeline: [{ step: 'submitted', at: submitted.body.createdAt, department: null }],
        });
      }
    });

    it('gives the same 404 for a wrong phone, an unknown number, a malformed number and an order taken without a phone', async () => {
      const submitted = await submit(address(), fields({ citizenPhone: '13900003333' }));
      const wrongPhone = await track(submitted.body.number, '13900003334');
      expect(wrongPhone.status).toBe(404);
      conforms('/api/public/requests/{number}', 'get', wrongPhone);
      const unknown = await track('20990101000001', '13900003333');
      const malformed = await track('12', '13900003333');
      const byPhone = await d.register('agent1', { citizenPhone: undefined });
      const withoutPhone = await track(byPhone.number, '13900003333');
      for (const response of [unknown, malformed, withoutPhone]) {
        expect(response.status).toBe(404);
        expect(response.body.message).toBe(wrongPhone.body.message);
      }
      expect((await track(submitted.body.number, undefined)).status).toBe(400);
    });

    it('shows the citizen nothing internal: no staff, no notes, no units below the lead department, no phone, no child orders', async () => {
      const submitted = await submit(address(), fields({ citizenPhone: '13900004444', citizenName: '保密的王先生', citizenConfidential: 'true' }));
      const id = await orderIdOf(submitted.body.number);
      await d.act('dispatcher1', id, 'dispatch', { leadUnitId: d.unit('dc') });
      await d.act('dc_handler', id, 'accept');
      await d.act('dc_handler', id, 'contact', { method: 'phone', note: '内部备注：已电话联系，市民情绪激动' });
      const withChild = await d.act('dc_handler', id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '内部指示：请街道现场核实' });
      const child = withChild.children[0];
      await d.act('dc_cy_handler', child.id, 'accept');
      await d.reply('dc_cy_handler', child.id, { content: '街道内部答复：已派人维修' });
      await d.act('dc_admin', child.id, 'approve-reply');
      await d.reply('dc_handler', id, { content: '您反映的路灯已于今日修复，感谢您的监督。' });
      await d.act('reviewer1', id, 'approve-reply');

      const replied = await track(submitted.body.number, '13900004444');
      expect(replied.status).toBe(200);
      expect(replied.body).toMatchObject({ status: 'replied', reply: '您反映的路灯已于今日修复，感谢您的监督。', repliedAt: expect.any(String), closedAt: null });
      await d.act('callback1', id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied', note: '回访内部备注：市民满意' });

      const closed = await track(submitted.body.number, '13900004444');
      expect(closed.status).toBe(200);
      conforms('/api/public/requests/{number}', 'get', closed);
      const districtName = flatten((await t.get('admin', '/api/units')).body as TreeNode[]).find((u) => u.code === 'dc')?.name;
      expect(closed.body).toMatchObject({ status: 'closed', reply: '您反映的路灯已于今日修复，感谢您的监督。', closedAt: expect.any(String) });
      expect(closed.body.timeline.map((e: { step: string; department: string | null }) => [e.step, e.department])).toEqual([
        ['submitted', null],
        ['dispatched', districtName],
        ['replied', null],
        ['closed', null],
      ]);

      // Nothing internal anywhere in the answer.
      const json = JSON.stringify(closed.body);
      const users = await t.get('admin', '/api/users?pageSize=100');
      const staffNames = (users.body.items as { displayName: string }[]).map((u) => u.displayName);
      const unitNames = flatten((await t.get('admin', '/api/units')).body as TreeNode[]).map((u) => u.name).filter((name) => name !== districtName);
      for (const secret of [...staffNames, ...unitNames, '内部备注', '内部指示', '街道内部答复', '回访内部备注', '13900004444', '139****4444', '保密的王先生', child.number]) {
        expect({ secret, leaked: json.includes(secret) }).toEqual({ secret, leaked: false });
      }
      for (const key of ['actorId', 'actorName', 'actorRole', 'unitId', 'unitName', 'reason', 'payload', 'citizenPhone', 'citizenName', 'leadUnitId', 'assigneeId', 'id']) {
        expect({ key, present: json.includes(`"${key}"`) }).toEqual({ key, present: false });
      }
      // The child order (a unit-internal step) cannot be tracked, even with the right phone.
      expect((await track(child.number, '13900004444')).status).toBe(404);
    });
  });

  describe('rate limits', () => {
    const expectTooMany = (response: request.Response, what: RegExp) => {
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: expect.stringMatching(what) });
      const retryAfter = Number(response.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
    };

    it('limits submissions per phone number to 5 an hour, across addresses (wrong captchas count too)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await submit(address(), fields({ citizenPhone: '13700005555', captchaAnswer: '-1' }))).status);
      expect(statuses).toEqual(Array(5).fill(422));
      const sixth = await submit(address(), fields({ citizenPhone: '137-0000-5555' }));
      expectTooMany(sixth, /^Too many requests submitted with this phone number: try again in \d+ seconds$/);
      conforms('/api/public/requests', 'post', sixth);
      expect((await submit(address(), fields({ citizenPhone: '13700005556' }))).status).toBe(201);
    });

    it('limits submissions per client address to 20 an hour, across phone numbers', async () => {
      const ip = address();
      for (let i = 0; i < 20; i++) expect((await submit(ip, fields({ citizenPhone: `1360000${String(i).padStart(4, '0')}`, captchaAnswer: '-1' }))).status).toBe(422);
      expectTooMany(await submit(ip, fields({ citizenPhone: '13600009999' })), /^Too many requests submitted from this address/);
      expect((await submit(address(), fields({ citizenPhone: '13600009999' }))).status).toBe(201);
    });

    it('limits look-ups to 30 a minute per address and 20 an hour per number', async () => {
      const ip = address();
      for (let i = 0; i < 30; i++) expect((await track(`2099010100${String(i).padStart(4, '0')}`, '13900000000', ip)).status).toBe(404);
      expectTooMany(await track('20990101009999', '13900000000', ip), /^Too many progress look-ups from this address/);

      const submitted = await submit(address(), fields({ citizenPhone: '13900006666' }));
      for (let i = 0; i < 20; i++) await track(submitted.body.number, `1390000${String(7000 + i)}`);
      const guessed = await track(submitted.body.number, '13900006666');
      expectTooMany(guessed, /^Too many look-ups of this request number/);
      conforms('/api/public/requests/{number}', 'get', guessed);
    });

    it('limits captchas to 60 a minute per address', async () => {
      const ip = address();
      for (let i = 0; i < 60; i++) expect((await request(t.server).get('/api/public/captcha').set('X-Forwarded-For', ip)).status).toBe(200);
      expectTooMany(await request(t.server).get('/api/public/captcha').set('X-Forwarded-For', ip), /^Too many captchas fetched from this address/);
    });
  });
});
