import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../app.factory';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig, loadConfig } from '../../config/app-config';
import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { BulletinScheduleService, type BulletinTick } from './bulletin-schedule.service';
import { BulletinsRepository } from './bulletins.repository';
import { BulletinsService, STALE_CLAIM_MS } from './bulletins.service';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Supertest's binary parser, so the PDF arrives as a Buffer. */
const binary = (response: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe.each(enginesUnderTest())('monthly bulletins (%s)', (engine) => {
  let t: TestApp;
  let second: INestApplication;
  let config: AppConfig;

  beforeAll(async () => {
    t = await startTestApp(engine);
    config = t.app.get<AppConfig>(APP_CONFIG);
    // A second instance on the same database and the same (shared) REPORTS_DIR, as a second node would be.
    second = await createApp(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: config.database.url,
        ATTACHMENTS_DIR: config.attachments.directory,
        REPORTS_DIR: config.reports.directory,
        BULLETIN_SCHEDULE: 'off',
        LOG_LEVEL: 'silent',
        SEED_DEMO_DATA: 'never',
        CONSOLE_DIR: join(config.reports.directory, '..', 'no-console'),
        DATA_DIR: join(config.reports.directory, '..', 'data'),
        REPEAT_DETECTION: 'off',
      }),
    );
    second.useLogger(false);
    await second.init();
  });

  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const setBothClocks = (at: Date) => {
    t.clock.set(at);
    second.get(Clock).set(at);
  };
  const rowsOf = async (month: string) => (await t.app.get(BulletinsRepository).listNewestFirst()).filter((row) => row.month === month);
  const filesOf = (month: string) => readdirSync(config.reports.directory).filter((name) => name.startsWith(`bulletin-${month}-`));

  it('generates a month on demand: listed, downloaded byte for byte, and only once', async () => {
    t.clock.set(local('2026-12-03T10:00'));
    const created = await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-11' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ month: '2026-11', status: 'ready', trigger: 'manual', generatedAt: local('2026-12-03T10:00').toISOString(), error: null });
    expect(created.body.downloadUrl).toBe(`/api/reports/bulletins/${created.body.id}/download`);
    expect(created.body.sizeBytes).toBeGreaterThan(10_000);

    // Listed for the center and for a unit's administrator (a bulletin is published to the units).
    for (const username of ['supervisor1', 'dispatcher1', 'cgj_admin']) {
      const list = await t.get(username, '/api/reports/bulletins');
      expect(list.status).toBe(200);
      expect(list.body[0]).toEqual(created.body);
    }

    const download = await request(t.server)
      .get(created.body.downloadUrl)
      .set('Authorization', `Bearer ${await t.token('cgj_admin')}`)
      .buffer(true)
      .parse(binary);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('12345月度通报_2026-11.pdf')}`);
    const body = download.body as Buffer;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(body.length).toBe(created.body.sizeBytes);
    const [row] = await rowsOf('2026-11');
    expect(sha256(body)).toBe(row.sha256);
    expect(filesOf('2026-11')).toEqual([row.fileName]);
    expect(sha256(readFileSync(join(config.reports.directory, row.fileName!)))).toBe(row.sha256);

    // Asked again: 409, nothing regenerated.
    const again = await t.post('admin', '/api/reports/bulletins', { month: '2026-11' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('The bulletin of 2026-11 is already generated');
    expect(await rowsOf('2026-11')).toHaveLength(1);
  });

  it('refuses bad months, months not over, other roles, unknown ids', async () => {
    t.clock.set(local('2026-12-03T10:00'));
    const bad = await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('month must be a month as YYYY-MM');
    expect((await t.post('supervisor1', '/api/reports/bulletins', {})).status).toBe(400);
    const current = await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-12' });
    expect(current.status).toBe(400);
    expect(current.body.message).toBe('2026-12 is not over yet (today is 2026-12-03): a bulletin covers a whole past month');
    // The month ends at midnight center time: on 11-30 at 23:00 (+08) November is not over.
    t.clock.set(local('2026-11-30T23:00'));
    expect((await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-11' })).status).toBe(400);
    t.clock.set(local('2026-12-03T10:00'));

    expect((await t.post('dispatcher1', '/api/reports/bulletins', { month: '2026-11' })).status).toBe(403);
    expect((await t.post('cgj_admin', '/api/reports/bulletins', { month: '2026-11' })).status).toBe(403);
    expect((await t.get('cgj_handler', '/api/reports/bulletins')).status).toBe(403);
    const unknown = await t.get('supervisor1', '/api/reports/bulletins/999999/download');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Bulletin 999999 not found');
    expect((await t.get('supervisor1', '/api/reports/bulletins/abc/download')).status).toBe(400);
  });

  it('answers 409 for a month being generated, and generates a failed month again', async () => {
    const now = local('2026-12-03T10:00');
    t.clock.set(now);
    const repository = t.app.get(BulletinsRepository);
    const live = await repository.insertClaim('2026-07', { claimedAt: new Date(now.getTime() - 5 * 60_000), claimedBy: 'other-node:42', trigger: 'schedule', requestedById: null });
    const busy = await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-07' });
    expect(busy.status).toBe(409);
    expect(busy.body.message).toContain('is being generated right now');

    const download = await t.get('supervisor1', `/api/reports/bulletins/${live!.id}/download`);
    expect(download.status).toBe(409);
    expect(download.body.message).toContain('not ready');

    const failedClaim = { claimedAt: new Date(now.getTime() - 60_000), claimedBy: 'other-node:42', trigger: 'schedule' as const, requestedById: null };
    const failed = await repository.insertClaim('2026-06', failedClaim);
    expect(await repository.markFailed(failed!.id, failedClaim, 'disk full')).toBe(true);
    const retried = await t.post('supervisor1', '/api/reports/bulletins', { month: '2026-06' });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: failed!.id, status: 'ready', trigger: 'manual', error: null });
  });

  it('the monthly job generates the previous month on the first working day from BULLETIN_HOUR, once; other days nothing', async () => {
    const schedule = t.app.get(BulletinScheduleService);
    expect(config.reports.bulletinHour).toBe(6);
    // 10-01 … 10-07 is the National Day holiday: nothing.
    t.clock.set(local('2026-10-07T09:00'));
    expect(await schedule.tick()).toEqual({ action: 'none', reason: 'not-first-working-day' });
    // 10-08, the first working day, before 06:00: not yet.
    t.clock.set(local('2026-10-08T05:59'));
    expect(await schedule.tick()).toEqual({ action: 'none', reason: 'before-hour' });
    expect(await rowsOf('2026-09')).toHaveLength(0);
    t.clock.set(local('2026-10-08T06:07'));
    expect(await schedule.tick()).toEqual({ action: 'generated', month: '2026-09', status: 'ready' });
    // The next hours of that day find it done.
    t.clock.set(local('2026-10-08T07:07'));
    expect(await schedule.tick()).toEqual({ action: 'left-to-another', month: '2026-09', status: 'ready' });
    t.clock.set(local('2026-10-09T09:00'));
    expect(await schedule.tick()).toEqual({ action: 'none', reason: 'not-first-working-day' });
    const rows = await rowsOf('2026-09');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'ready', trigger: 'schedule', requestedById: null });
    expect(filesOf('2026-09')).toHaveLength(1);
  });

  it('exactly once with two instances firing at the same moment: one row, one file, one generator', async () => {
    // 2026-11-01 is a Sunday: Monday 11-02 is the first working day; both instances tick at 08:07.
    setBothClocks(local('2026-11-02T08:07'));
    const ticks: BulletinTick[] = await Promise.all([t.app.get(BulletinScheduleService).tick(), second.get(BulletinScheduleService).tick()]);
    expect(ticks.map((tick) => tick.action).sort()).toEqual(['generated', 'left-to-another']);
    const rows = await rowsOf('2026-10');
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('ready');
    expect(filesOf('2026-10')).toEqual([rows[0].fileName]);
  });

  it('a stale claim (a crashed instance) is taken over by exactly one of two instances', async () => {
    const now = local('2026-12-03T10:00');
    setBothClocks(now);
    const repository = t.app.get(BulletinsRepository);
    const dead = await repository.insertClaim('2026-08', { claimedAt: new Date(now.getTime() - STALE_CLAIM_MS - 60_000), claimedBy: 'crashed-node:7', trigger: 'schedule', requestedById: null });
    const outcomes = await Promise.all([t.app.get(BulletinsService).generateMonth('2026-08', 'schedule'), second.get(BulletinsService).generateMonth('2026-08', 'schedule')]);
    expect(outcomes.filter((outcome) => outcome.generated)).toHaveLength(1);
    const rows = await rowsOf('2026-08');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: dead!.id, status: 'ready', claimedAt: now });
    expect(rows[0].claimedBy).not.toBe('crashed-node:7');
    expect(filesOf('2026-08')).toEqual([rows[0].fileName]);
    // The crashed instance, should it come back, can no longer write: its claim is gone.
    expect(await repository.markFailed(dead!.id, { claimedAt: dead!.claimedAt, claimedBy: 'crashed-node:7', trigger: 'schedule', requestedById: null }, 'late')).toBe(false);
  });
});
