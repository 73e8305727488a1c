import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCtiBackend } from '../testing/fake-cti-backend';
import { RecordingLogger } from '../testing/recording-logger';
import { CtiBackendClient } from './backend-client';
import type { CtiEvent } from './cti-events';
import { CtiOutbox, type OutboxDelivery } from './cti-outbox';
import { JOURNAL_FILE } from './outbox-journal';

const at = '2026-12-02T08:00:00.000Z';
const newCall = (callId: string): CtiEvent => ({ event: 'newCall', callId, at, from: '13800138000', to: '12345', direction: 'inbound' });
const queued = (callId: string): CtiEvent => ({ event: 'queued', callId, at });
const hangup = (callId: string): CtiEvent => ({ event: 'hangup', callId, at, cause: 'normalClearing' });

describe('CtiOutbox', () => {
  let spoolDir: string;
  let backend: FakeCtiBackend;
  let outboxes: CtiOutbox[];

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'cti-outbox-'));
    backend = await FakeCtiBackend.start();
    outboxes = [];
  });

  afterEach(async () => {
    for (const outbox of outboxes) await outbox.close();
    await backend.down();
    await rm(spoolDir, { recursive: true, force: true });
  });

  async function open(token = backend.token): Promise<CtiOutbox> {
    const outbox = await CtiOutbox.open({
      spoolDir,
      delivery: new CtiBackendClient({ baseUrl: backend.url, token, timeoutMs: 1000 }),
      logger: new RecordingLogger(),
      initialRetryDelayMs: 10,
      maxRetryDelayMs: 50,
    });
    outboxes.push(outbox);
    return outbox;
  }

  it('delivers events in order and empties the journal', async () => {
    const sut = await open();

    await sut.enqueueEvent(newCall('c1'));
    await sut.enqueueEvent(queued('c1'));
    await sut.enqueueEvent(hangup('c1'));
    await sut.whenIdle();

    expect(backend.events).toEqual([newCall('c1'), queued('c1'), hangup('c1')]);
    expect(sut.pendingCount).toBe(0);
    await sut.close();
    expect(await readFile(join(spoolDir, JOURNAL_FILE), 'utf8')).toBe('');
  });

  it('journals an event before sending it', async () => {
    await backend.down();
    const sut = await open();

    await sut.enqueueEvent(newCall('c1'));

    const lines = (await readFile(join(spoolDir, JOURNAL_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([{ seq: 1, item: { kind: 'event', event: newCall('c1') } }]);
  });

  it('keeps events while the backend is down and delivers them in order once it is back', async () => {
    await backend.down();
    const sut = await open();

    for (const callId of ['a', 'b', 'c']) {
      await sut.enqueueEvent(newCall(callId));
      await sut.enqueueEvent(hangup(callId));
    }
    expect(sut.pendingCount).toBe(6);
    await backend.up();
    await sut.whenIdle();

    // Every call's events in their order; different calls may interleave (they are sent side by side).
    expect(backend.events).toHaveLength(6);
    for (const callId of ['a', 'b', 'c']) expect(backend.eventNames(callId)).toEqual(['newCall', 'hangup']);
  });

  it('sends other calls’ items while one call’s upload is slow, and keeps each call’s items in order', async () => {
    const sent: string[] = [];
    let releaseUpload: (() => void) | undefined;
    const uploadHeld = new Promise<void>((resolve) => (releaseUpload = resolve));
    const delivery: OutboxDelivery = {
      postEvent: async (event) => {
        sent.push(`${event.event}:${event.callId}`);
        return { kind: 'delivered' };
      },
      uploadRecording: async (callId) => {
        sent.push(`recording:${callId}`);
        await uploadHeld;
        return { kind: 'delivered' };
      },
    };
    const recording = join(spoolDir, 'slow.wav');
    await writeFile(recording, 'RIFF');
    const sut = await CtiOutbox.open({ spoolDir, delivery, logger: new RecordingLogger(), concurrency: 4 });
    outboxes.push(sut);

    await sut.enqueueRecording('slow', recording);
    await sut.enqueueEvent(hangup('slow'));
    await sut.enqueueEvent(newCall('x'));
    await sut.enqueueEvent(hangup('x'));
    // x's events go while the slow call's upload is held; the slow call's hangup waits behind its upload.
    await waitUntil(() => sent.includes('hangup:x'));
    expect(sent).toEqual(['recording:slow', 'newCall:x', 'hangup:x']);
    expect(sut.pendingCount).toBe(2);

    releaseUpload?.();
    await sut.whenIdle();
    expect(sent).toEqual(['recording:slow', 'newCall:x', 'hangup:x', 'hangup:slow']);
  });

  it('survives a restart: a new outbox on the same directory replays what was not delivered, in order', async () => {
    await backend.down();
    const first = await open();
    await first.enqueueEvent(newCall('r1'));
    await first.enqueueEvent(queued('r1'));
    await first.enqueueEvent(hangup('r1'));
    await first.close();
    expect(backend.events).toEqual([]);

    await backend.up();
    const second = await open();
    expect(second.pendingCount).toBe(3);
    await second.whenIdle();

    expect(backend.events).toEqual([newCall('r1'), queued('r1'), hangup('r1')]);
  });

  it('replays after a crash that left a torn last line, and keeps numbering after the replayed entries', async () => {
    const journal = join(spoolDir, JOURNAL_FILE);
    await writeFile(
      journal,
      `${JSON.stringify({ seq: 1, item: { kind: 'event', event: newCall('x') } })}\n${JSON.stringify({ done: 1 })}\n` +
        `${JSON.stringify({ seq: 2, item: { kind: 'event', event: queued('x') } })}\n{"seq":3,"item":{"ki`,
    );
    const logger = new RecordingLogger();
    const sut = await CtiOutbox.open({ spoolDir, delivery: new CtiBackendClient({ baseUrl: backend.url, token: backend.token }), logger });
    outboxes.push(sut);
    await sut.enqueueEvent(hangup('x'));
    await sut.whenIdle();

    expect(backend.events).toEqual([queued('x'), hangup('x')]);
    expect(logger.records).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ unreadable: 1 }) }));
  });

  it('retries while the backend answers 503 or refuses the token, and drops an item it refuses for good', async () => {
    backend.failWith = 503;
    const sut = await open();
    await sut.enqueueEvent(newCall('t1'));
    await backend.waitFor(() => backend.requestCount >= 3, 'three attempts');
    expect(backend.events).toEqual([]);
    backend.failWith = undefined;
    await sut.whenIdle();
    expect(backend.events).toEqual([newCall('t1')]);
    await sut.close();

    // 401 (CTI_TOKEN not configured yet, or wrong) is retried too: the operator fixes it and nothing is lost.
    const wrongToken = await open('wrong');
    await wrongToken.enqueueEvent(queued('t1'));
    const before = backend.requestCount;
    await backend.waitFor(() => backend.requestCount >= before + 2, 'two refused attempts');
    expect(wrongToken.pendingCount).toBe(1);
    await wrongToken.close();
    const fixed = await open();
    await fixed.whenIdle();
    expect(backend.events).toEqual([newCall('t1'), queued('t1')]);

    // A recording whose file is gone cannot ever be delivered: dropped, and the queue moves on.
    await fixed.enqueueRecording('gone', join(spoolDir, 'recordings', 'missing.wav'));
    await fixed.enqueueEvent(hangup('t1'));
    await fixed.whenIdle();
    expect(backend.recordings).toEqual([]);
    expect(backend.events).toEqual([newCall('t1'), queued('t1'), hangup('t1')]);
  });

  it('keeps a recording the backend refuses (e.g. 415) in SPOOL_DIR/refused, and moves on', async () => {
    backend.failWith = 415;
    const sut = await open();
    const wav = join(sut.recordingsDir, 'call-r.wav');
    await writeFile(wav, Buffer.from('RIFFfake'));

    await sut.enqueueRecording('call-r', wav);
    await sut.whenIdle();

    expect(await readFile(join(spoolDir, 'refused', 'call-r.wav'), 'utf8')).toBe('RIFFfake');
    await expect(readFile(wav)).rejects.toThrow(/ENOENT/);
    expect(sut.pendingCount).toBe(0);
  });

  it('uploads a recording in its turn and deletes the spooled file once delivered', async () => {
    await backend.down();
    const sut = await open();
    const wav = join(sut.recordingsDir, 'call-9.wav');
    await writeFile(wav, Buffer.from('RIFF....WAVEfmt fake-recording'));

    await sut.enqueueEvent(hangup('call 9'));
    await sut.enqueueRecording('call 9', wav);
    await backend.up();
    await sut.whenIdle();

    expect(backend.events.map((event) => event.event)).toEqual(['hangup']);
    expect(backend.recordings).toEqual([{ callId: 'call 9', contentType: 'audio/wav', body: Buffer.from('RIFF....WAVEfmt fake-recording') }]);
    await expect(readFile(wav)).rejects.toThrow(/ENOENT/);
  });
});

/** Resolves once `condition` holds, checking after each turn of the event loop (fails the test after 5 s). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
