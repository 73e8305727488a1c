import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, freePort, login, ROOT } from '../support/server';
import { freeUdpPortBlock, udpPortIsFree } from '../support/sipp';

/**
 * The README's `npm start`: the backend and the SIP bridge as two processes sharing one generated CTI token. Checked
 * from outside: the console answers, the bridge answers SIP, a call made to the bridge reaches the backend's call
 * records (so the bridge holds the backend's token), and SIGTERM stops both.
 */
const CALLER = '13912345678';

interface CallRow {
  callId: string;
  fromNumber: string | null;
}

/** A port free for both TCP and UDP (the bridge listens on both). */
async function freeSipPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (await udpPortIsFree(port)) return port;
  }
}

function crlf(...lines: string[]): string {
  return lines.join('\r\n');
}

/** A UDP SIP peer: sends requests and hands out the responses as they come. */
class SipPeer {
  private readonly socket: Socket = createSocket('udp4');
  private readonly received: string[] = [];
  private waiter: (() => void) | null = null;

  async open(): Promise<number> {
    await new Promise<void>((done) => this.socket.bind(0, '127.0.0.1', () => done()));
    this.socket.on('message', (message) => {
      this.received.push(message.toString('utf8'));
      this.waiter?.();
    });
    return this.socket.address().port;
  }

  send(port: number, frame: string): void {
    this.socket.send(Buffer.from(frame, 'utf8'), port, '127.0.0.1');
  }

  /** The next message matching `test`, within `ms`. */
  async next(test: (message: string) => boolean, ms: number): Promise<string | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.received.findIndex(test);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.waiter = () => {
          clearTimeout(timer);
          wake();
        };
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

describe('npm start: the backend and the SIP bridge with a shared CTI token', () => {
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-start-'));
  let child: ChildProcess | null = null;
  let output = '';
  let url = '';
  let sipPort = 0;
  const peer = new SipPeer();
  let peerPort = 0;

  beforeAll(async () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe('node scripts/start.mjs');
    const port = await freePort();
    sipPort = await freeSipPort();
    url = `http://127.0.0.1:${port}`;
    peerPort = await peer.open();
    const rtpMin = await freeUdpPortBlock(200);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(directory, 'jiesu.sqlite')}`,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      RECORDINGS_DIR: join(directory, 'recordings'),
      REPORTS_DIR: join(directory, 'reports'),
      DATA_DIR: join(directory, 'data'),
      LOG_LEVEL: 'warn',
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      RTP_PORT_MIN: String(rtpMin),
      RTP_PORT_MAX: String(rtpMin + 199),
      SPOOL_DIR: join(directory, 'spool'),
    };
    delete env.CTI_TOKEN;
    delete env.SIP_BRIDGE;
    child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      const healthy = await fetch(`${url}/api/health`).then((response) => response.ok, () => false);
      if (healthy) break;
      if (Date.now() > deadline) throw new Error(`npm start did not become healthy within 90 s:\n${output}`);
      await new Promise((wake) => setTimeout(wake, 250));
    }
  });

  afterAll(async () => {
    peer.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  it('generates the CTI token once into the data directory, readable by its owner only', () => {
    const file = join(directory, 'data', 'cti-token');
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(16);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(output).toContain('generated a CTI token');
  });

  it('answers SIP OPTIONS on the bridge’s port', async () => {
    // The bridge starts beside the backend: ask until it answers (each OPTIONS is its own transaction).
    let answer: string | null = null;
    for (let attempt = 0; attempt < 60 && !answer; attempt++) {
      peer.send(
        sipPort,
        crlf(
          `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=z9hG4bK-start-options-${attempt}`,
          'From: <sip:probe@127.0.0.1>;tag=probe',
          `To: <sip:127.0.0.1:${sipPort}>`,
          `Call-ID: start-options-${attempt}@127.0.0.1`,
          'CSeq: 1 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ),
      );
      answer = await peer.next((message) => message.includes(`start-options-${attempt}@`), 1_000);
    }
    expect(answer).toMatch(/^SIP\/2\.0 200 /);
  });

  it('turns a call to the bridge into a call record in the backend (the bridge holds the backend’s token)', async () => {
    const callId = `start-call-${Date.now()}@127.0.0.1`;
    const sdp = crlf('v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', '');
    const via = `SIP/2.0/UDP 127.0.0.1:${peerPort};branch=z9hG4bK-start-invite`;
    const from = `<sip:${CALLER}@127.0.0.1>;tag=caller`;
    peer.send(
      sipPort,
      crlf(`INVITE sip:12345@127.0.0.1:${sipPort} SIP/2.0`, `Via: ${via}`, 'Max-Forwards: 70', `Contact: <sip:${CALLER}@127.0.0.1:${peerPort}>`,
        `To: <sip:12345@127.0.0.1>`, `From: ${from}`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE', 'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(sdp)}`, '', sdp),
    );
    const ok = await peer.next((message) => message.startsWith('SIP/2.0 200') && message.includes(callId), 15_000);
    expect(ok).not.toBeNull();
    const to = /^To: (.+)$/im.exec(ok ?? '')?.[1]?.trim() ?? '';
    const ack = (cseq: string, method: string, branch: string) =>
      crlf(`${method} sip:12345@127.0.0.1:${sipPort} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=${branch}`, 'Max-Forwards: 70',
        `To: ${to}`, `From: ${from}`, `Call-ID: ${callId}`, `CSeq: ${cseq}`, 'Content-Length: 0', '', '');
    peer.send(sipPort, ack('1 ACK', 'ACK', 'z9hG4bK-start-ack'));

    const admin = await login(url, 'admin');
    const deadline = Date.now() + 30_000;
    let row: CallRow | undefined;
    while (!row && Date.now() < deadline) {
      const list = await call<{ items: CallRow[] }>(url, 'GET', `/api/calls?phone=${CALLER}`, admin);
      expect(list.status).toBe(200);
      row = list.body.items.find((item) => item.callId === callId);
      if (!row) await new Promise((wake) => setTimeout(wake, 200));
    }
    expect(row).toMatchObject({ callId, fromNumber: CALLER });

    peer.send(sipPort, ack('2 BYE', 'BYE', 'z9hG4bK-start-bye'));
    expect(await peer.next((message) => message.startsWith('SIP/2.0 200') && message.includes('2 BYE'), 10_000)).not.toBeNull();
  });

  it('stops the backend and the bridge on SIGTERM', async () => {
    const running = child as ChildProcess;
    const exited = new Promise<number | null>((done) => running.once('exit', (code) => done(code)));
    running.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Both ports are free again.
    const udp = createSocket('udp4');
    await new Promise<void>((done, reject) => {
      udp.once('error', reject);
      udp.bind(sipPort, '127.0.0.1', () => done());
    });
    udp.close();
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});
