import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SipBridge, startSipBridge } from '../bridge';
import { loadConfig } from '../config';
import { decodeG711, encodeG711 } from '../media/g711';
import type { Prompt } from '../media/prompt-player';
import { type RtpPacket, parseRtpPacket, serializeRtpPacket } from '../media/rtp-packet';
import { computeHa1 } from '../sip/digest';
import type { SipRequest } from '../sip/message';
import { callerRequest, inviteFrame, offerSdp } from '../testing/dialog-frames';
import { FakeClock } from '../testing/fake-clock';
import { FakeCtiBackend } from '../testing/fake-cti-backend';
import { RecordingLogger } from '../testing/recording-logger';
import { SipPhone, sdpAudioPort } from '../testing/sip-phone';
import { UdpPeer } from '../testing/udp-peer';

/** Two packets (40 ms) of a tone: short prompts keep real-time pacing fast. */
const tone = (name: string): Prompt => ({ name, samples: Int16Array.from({ length: 320 }, (_, i) => Math.round(8000 * Math.sin(i / 3))) });
const PROMPTS = { welcome: tone('welcome'), waiting: tone('waiting'), survey: tone('survey'), thanks: tone('thanks') };

describe('call flow (bridge over loopback with a fake backend)', () => {
  let spoolDir: string;
  let backend: FakeCtiBackend;
  let clock: FakeClock;
  let bridge: SipBridge;
  let caller: SipPhone;
  let agents: SipPhone[];
  let port: number;
  let logger: RecordingLogger;

  async function start(options: { answerAfterMs?: number; queueMax?: number; surveyTimeout?: string } = {}): Promise<void> {
    const config = loadConfig({ QUEUE_MAX: String(options.queueMax ?? 50), SIP_PORT: '0', BACKEND_URL: backend.url, CTI_TOKEN: backend.token, SPOOL_DIR: spoolDir, RTP_PORT_MIN: '41000', RTP_PORT_MAX: '41998', SURVEY_TIMEOUT: options.surveyTimeout ?? '3s' });
    logger = new RecordingLogger();
    bridge = await startSipBridge({ config, clock, prompts: PROMPTS, routeRetryMs: 30, outboxRetry: { initialMs: 20, maxMs: 100 }, answerAfterMs: options.answerAfterMs }, logger);
    port = bridge.address().port;
  }

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'call-flow-'));
    backend = await FakeCtiBackend.start();
    backend.credentials.set('1001', computeHa1('1001', 'jiesu', 'pw1001'));
    backend.credentials.set('1002', computeHa1('1002', 'jiesu', 'pw1002'));
    clock = new FakeClock();
    caller = await SipPhone.open();
    agents = [await SipPhone.open(), await SipPhone.open()];
  });

  afterEach(async () => {
    await bridge.close();
    await caller.close();
    for (const agent of agents) await agent.close();
    await backend.down();
    await rm(spoolDir, { recursive: true, force: true });
  });

  const callerParams = (callId: string) => ({ peerPort: caller.sip.port, callId });

  /** INVITE (PCMA + telephone-event 101) → 200 → ACK; returns the bridge's RTP port for the caller. */
  async function placeCall(callId: string): Promise<number> {
    await caller.sip.send(inviteFrame(callerParams(callId), { branch: `z9hG4bK-${callId}-1`, cseq: 1, sdp: offerSdp({ port: caller.rtp.port }) }), port);
    const ok = await caller.nextResponse(200, 'INVITE');
    const toTag = /;tag=([^;]+)/.exec(ok.headers.get('To') ?? '')?.[1] ?? '';
    await caller.sip.send(callerRequest('ACK', callerParams(callId), { branch: `z9hG4bK-${callId}-ack`, cseq: 1, toTag }), port);
    tags.set(callId, toTag);
    rtpPorts.set(callId, sdpAudioPort(ok.body));
    return sdpAudioPort(ok.body);
  }
  const tags = new Map<string, string>();
  const rtpPorts = new Map<string, number>();
  const sdpAudioPortOf = (callId: string) => rtpPorts.get(callId) ?? 0;

  async function callerHangsUp(callId: string): Promise<void> {
    await caller.sip.send(callerRequest('BYE', callerParams(callId), { branch: `z9hG4bK-${callId}-bye`, cseq: 2, toTag: tags.get(callId) }), port);
    await caller.nextResponse(200, 'BYE');
  }

  /** The agent's phone rings (180) and answers (200 with PCMU only: the bridge transcodes), then gets the ACK. */
  async function agentAnswers(agent: SipPhone): Promise<{ invite: SipRequest; toTag: string; bridgeRtpPort: number }> {
    const invite = await agent.nextRequest('INVITE');
    const toTag = `agent${agent.sip.port}`;
    await agent.respond(invite, 180, 'Ringing', { toTag });
    await agent.respond(invite, 200, 'OK', { toTag, sdp: agent.sdp('0 101', ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']) });
    await agent.nextRequest('ACK');
    return { invite, toTag, bridgeRtpPort: sdpAudioPort(invite.body) };
  }

  function rtp(payloadType: number, sequenceNumber: number, payload: Buffer, ssrc: number, marker = false, timestamp = sequenceNumber * 160): Buffer {
    const packet: RtpPacket = { marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs: [], payload };
    return serializeRtpPacket(packet);
  }

  /** Reads RTP on a phone until a packet from `ssrc` arrives (prompts come first). */
  async function nextRtpFrom(phone: SipPhone, ssrc: number): Promise<RtpPacket> {
    for (;;) {
      const packet = parseRtpPacket(await phone.rtp.nextDatagram());
      if (packet.ssrc === ssrc) return packet;
    }
  }

  /** RFC 4733: key `digit` pressed, start packet then three end packets (same timestamp). */
  async function pressKey(digit: number, bridgeRtpPort: number): Promise<void> {
    for (const [index, end] of [false, true, true, true].entries()) {
      const payload = Buffer.from([digit, end ? 0x80 | 10 : 10, 0, 160 * (index + 1)]);
      // One key press = one RTP timestamp for all its packets.
      await caller.rtp.send(rtp(101, 500 + index, payload, 0xcafe, index === 0, 80_000), bridgeRtpPort);
    }
  }

  it('queues the caller, routes to the registered agent, relays RTP both ways (PCMA⇄PCMU), collects the survey key and reports every event in order', async () => {
    await start();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    const callerRtpPort = await placeCall('call-1');
    await backend.waitFor(() => backend.eventNames('call-1').includes('queued'), 'queued');
    await backend.waitFor(() => backend.routeRequests.length >= 2, 'a retried route request');

    backend.readyExtensions = ['1001'];
    const { invite, toTag, bridgeRtpPort } = await agentAnswers(agents[0]);
    expect(invite.headers.get('From')).toMatch(/^"13800138000" <sip:13800138000@127\.0\.0\.1>;tag=/);
    await backend.waitFor(() => backend.eventNames('call-1').includes('answer'), 'answer');

    // Caller → agent: A-law in, μ-law out, same samples (through PCM16).
    const callerAudio = Buffer.from(encodeG711('PCMA', Int16Array.from({ length: 160 }, (_, i) => (i % 40) * 400 - 8000)));
    await caller.rtp.send(rtp(8, 1, callerAudio, 0xaaaa), callerRtpPort);
    const atAgent = await nextRtpFrom(agents[0], 0xaaaa);
    expect(atAgent.payloadType).toBe(0);
    expect(Buffer.from(atAgent.payload)).toEqual(Buffer.from(encodeG711('PCMU', decodeG711('PCMA', callerAudio))));

    // Agent → caller: μ-law in, A-law out.
    const agentAudio = Buffer.from(encodeG711('PCMU', Int16Array.from({ length: 160 }, (_, i) => (i % 20) * 300 - 3000)));
    await agents[0].rtp.send(rtp(0, 7, agentAudio, 0xbbbb), bridgeRtpPort);
    const atCaller = await nextRtpFrom(caller, 0xbbbb);
    expect(atCaller).toMatchObject({ payloadType: 8, sequenceNumber: 7 });
    expect(Buffer.from(atCaller.payload)).toEqual(Buffer.from(encodeG711('PCMA', decodeG711('PCMU', agentAudio))));

    // The agent hangs up: survey prompt, key 2 by RFC 4733, thanks, BYE to the caller.
    await agents[0].byeAsAgent(invite, toTag, port);
    await agents[0].nextResponse(200, 'BYE');
    await pressKey(2, callerRtpPort);
    const bye = await caller.nextRequest('BYE');
    await caller.respond(bye, 200, 'OK');

    await backend.waitFor(() => backend.recordings.length === 1, 'the recording');
    expect(backend.events.map(({ event, callId, ...rest }) => ({ event, callId, ...pick(rest, ['from', 'to', 'direction', 'answeringAgent', 'digit', 'cause']) }))).toEqual([
      { event: 'newCall', callId: 'call-1', from: '13800138000', to: '12345', direction: 'inbound' },
      { event: 'queued', callId: 'call-1' },
      { event: 'answer', callId: 'call-1', answeringAgent: '1001' },
      { event: 'survey', callId: 'call-1', digit: '2' },
      { event: 'hangup', callId: 'call-1', cause: 'normalClearing' },
    ]);
    const wav = backend.recordings[0];
    expect(wav.callId).toBe('call-1');
    expect(wav.contentType).toBe('audio/wav');
    expect(wav.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.body.readUInt16LE(22)).toBe(2); // stereo: caller left, agent + prompts right
    expect(wav.body.length).toBeGreaterThan(44);
  });

  it('caller hangs up while queued: hangup without answer (abandoned), and the IVR part is recorded', async () => {
    await start();
    await placeCall('call-2');
    await backend.waitFor(() => backend.eventNames('call-2').includes('queued'), 'queued');

    await callerHangsUp('call-2');

    await backend.waitFor(() => backend.recordings.length === 1, 'the recording');
    expect(backend.eventNames('call-2')).toEqual(['newCall', 'queued', 'hangup']);
    expect(backend.events.at(-1)).toMatchObject({ event: 'hangup', cause: 'normalClearing' });
    expect(backend.recordings[0].body.length).toBeGreaterThan(44);
    // One line per call; the prompts kept pace here unless this process stalled, and then the line says by how much.
    const ends = logger.records.filter((record) => record.message.startsWith('Call ended'));
    expect(ends).toHaveLength(1);
    const [end] = ends;
    expect(end.fields).toEqual({ callId: 'call-2', cause: 'normalClearing', promptAudioSkippedMs: expect.any(Number) });
    expect(end.level).toBe(end.fields.promptAudioSkippedMs === 0 ? 'info' : 'warn');
  });

  it('CANCEL while ringing: 200 to the CANCEL, 487 to the INVITE, hangup with cause cancel and no recording', async () => {
    await start({ answerAfterMs: 60_000 });
    const params = callerParams('call-3');
    await caller.sip.send(inviteFrame(params, { branch: 'z9hG4bK-call-3-1', cseq: 1, sdp: offerSdp({ port: caller.rtp.port }) }), port);
    await caller.nextResponse(180, 'INVITE');

    await caller.sip.send(callerRequest('CANCEL', params, { branch: 'z9hG4bK-call-3-1', cseq: 1 }), port);
    await caller.nextResponse(200, 'CANCEL');
    await caller.nextResponse(487, 'INVITE');

    await backend.waitFor(() => backend.eventNames('call-3').includes('hangup'), 'hangup');
    expect(backend.eventNames('call-3')).toEqual(['newCall', 'hangup']);
    expect(backend.events.at(-1)).toMatchObject({ cause: 'cancel' });
    expect(backend.recordings).toEqual([]);
  });

  it('an agent who does not answer within the ring timeout is reported (no-answer) and the next agent gets the call', async () => {
    await start();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    expect(await agents[1].register('1002', 'pw1002', port)).toBe(200);
    backend.readyExtensions = ['1001', '1002'];
    await placeCall('call-4');

    const firstInvite = await agents[0].nextRequest('INVITE');
    await agents[0].respond(firstInvite, 180, 'Ringing', { toTag: 'slow' });
    clock.advance(15_000);
    const cancel = await agents[0].nextRequest('CANCEL');
    await agents[0].respond(cancel, 200, 'OK');
    await agents[0].respond(firstInvite, 487, 'Request Terminated', { toTag: 'slow' });

    const { invite } = await agentAnswers(agents[1]);
    await backend.waitFor(() => backend.eventNames('call-4').includes('answer'), 'answer');
    expect(backend.noAnswers).toEqual([{ callId: 'call-4', extension: '1001' }]);
    expect(backend.events.find((event) => event.event === 'answer')).toMatchObject({ answeringAgent: '1002' });

    // The caller hangs up first: BYE to the agent's phone, hangup normalClearing.
    await callerHangsUp('call-4');
    const agentBye = await agents[1].nextRequest('BYE');
    expect(agentBye.headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
    await backend.waitFor(() => backend.eventNames('call-4').includes('hangup'), 'hangup');
    expect(backend.eventNames('call-4')).toEqual(['newCall', 'queued', 'answer', 'hangup']);
  });

  it('backend down during the call: the call goes on, and its events arrive in order once the backend is back', async () => {
    await start();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    backend.readyExtensions = ['1001'];
    const callerRtpPort = await placeCall('call-5');
    const { invite, toTag } = await agentAnswers(agents[0]);
    await backend.waitFor(() => backend.eventNames('call-5').includes('answer'), 'answer');

    await backend.down();
    await agents[0].byeAsAgent(invite, toTag, port);
    await agents[0].nextResponse(200, 'BYE');
    await pressKey(1, callerRtpPort);
    const bye = await caller.nextRequest('BYE');
    await caller.respond(bye, 200, 'OK');
    expect(backend.eventNames('call-5')).toEqual(['newCall', 'queued', 'answer']);
    await waitUntil(() => bridge.outbox.pendingCount >= 3, 'survey, hangup and recording in the outbox');

    await backend.up();
    await backend.waitFor(() => backend.recordings.length === 1, 'the recording after the backend came back');
    expect(backend.eventNames('call-5')).toEqual(['newCall', 'queued', 'answer', 'survey', 'hangup']);
    expect(backend.events.find((event) => event.event === 'survey')).toMatchObject({ digit: '1' });
  });

  it('relays the caller’s hold and unhold to the agent’s phone as re-INVITEs, and takes the survey key from SIP INFO', async () => {
    await start();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    backend.readyExtensions = ['1001'];
    await placeCall('call-8');
    const { invite, toTag } = await agentAnswers(agents[0]);
    await backend.waitFor(() => backend.eventNames('call-8').includes('answer'), 'answer');

    for (const [cseq, direction] of [[2, 'sendonly'], [3, 'sendrecv']] as const) {
      const reinvite = callerRequest('INVITE', callerParams('call-8'), { branch: `z9hG4bK-call-8-re${cseq}`, cseq, toTag: tags.get('call-8'), body: offerSdp({ port: caller.rtp.port, direction }) });
      await caller.sip.send(reinvite, port);
      await caller.nextResponse(200, 'INVITE');
      await caller.sip.send(callerRequest('ACK', callerParams('call-8'), { branch: `z9hG4bK-call-8-reack${cseq}`, cseq, toTag: tags.get('call-8') }), port);

      const relayed = await agents[0].nextRequest('INVITE');
      expect(relayed.headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
      expect(relayed.headers.get('To')).toContain(`tag=${toTag}`);
      expect(relayed.body.toString('utf8')).toContain(`a=${direction}\r\n`);
      await agents[0].respond(relayed, 200, 'OK', { sdp: agents[0].sdp('0 101', ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000']) });
      await agents[0].nextRequest('ACK');
    }

    await agents[0].byeAsAgent(invite, toTag, port);
    await agents[0].nextResponse(200, 'BYE');
    await caller.sip.send(
      callerRequest('INFO', callerParams('call-8'), { branch: 'z9hG4bK-call-8-info', cseq: 4, toTag: tags.get('call-8'), body: 'Signal=3\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' }),
      port,
    );
    await caller.nextResponse(200, 'INFO');
    const bye = await caller.nextRequest('BYE');
    await caller.respond(bye, 200, 'OK');

    await backend.waitFor(() => backend.eventNames('call-8').includes('hangup'), 'hangup');
    expect(backend.eventNames('call-8')).toEqual(['newCall', 'queued', 'answer', 'survey', 'hangup']);
    expect(backend.events.find((event) => event.event === 'survey')).toMatchObject({ digit: '3' });
  });

  it('the agent’s phone holds (re-INVITE sendonly → 200 recvonly): the caller hears the waiting prompt, neither side’s audio is relayed, the recording goes on; resume on a new RTP port relays both ways again', async () => {
    await start();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    backend.readyExtensions = ['1001'];
    const callerRtpPort = await placeCall('call-13');
    // The welcome prompt comes first: its SSRC is the bridge's prompt stream towards this caller.
    const promptSsrc = parseRtpPacket(await caller.rtp.nextDatagram()).ssrc;
    const agent = agents[0];
    const { invite, toTag, bridgeRtpPort } = await agentAnswers(agent);
    await backend.waitFor(() => backend.eventNames('call-13').includes('answer'), 'answer');
    const pcmu = ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000'];
    const callerAudio = Buffer.from(encodeG711('PCMA', Int16Array.from({ length: 160 }, (_, i) => (i % 16) * 500 - 4000)));
    const agentAudio = Buffer.from(encodeG711('PCMU', Int16Array.from({ length: 160 }, (_, i) => (i % 32) * 250 - 4000)));

    await agent.rtp.send(rtp(0, 1, agentAudio, 0xa1), bridgeRtpPort);
    expect((await nextRtpFrom(caller, 0xa1)).sequenceNumber).toBe(1);
    await caller.rtp.send(rtp(8, 1, callerAudio, 0xc1), callerRtpPort);
    expect((await nextRtpFrom(agent, 0xc1)).sequenceNumber).toBe(1);

    // Hold: the answer mirrors sendonly and keeps the bridge's RTP port for the agent leg.
    await agent.requestAsAgent('INVITE', invite, toTag, port, { cseq: 2, sdp: agent.sdp('0 101', pcmu, { direction: 'sendonly', version: 2 }) });
    const holdOk = await agent.nextResponse(200, 'INVITE');
    expect(holdOk.body.toString('utf8')).toContain('a=recvonly\r\n');
    expect(sdpAudioPort(holdOk.body)).toBe(bridgeRtpPort);
    await agent.requestAsAgent('ACK', invite, toTag, port, { cseq: 2 });

    // The caller hears the waiting prompt (the prompt stream, not the agent's)…
    for (let i = 0; i < 3; i += 1) expect(parseRtpPacket(await caller.rtp.nextDatagram())).toMatchObject({ ssrc: promptSsrc, payloadType: 8 });
    // …and what either side sends during the hold goes nowhere.
    await agent.rtp.send(rtp(0, 2, agentAudio, 0xa1), bridgeRtpPort);
    await caller.rtp.send(rtp(8, 2, callerAudio, 0xc1), callerRtpPort);
    for (let i = 0; i < 2; i += 1) expect(parseRtpPacket(await caller.rtp.nextDatagram()).ssrc).toBe(promptSsrc);

    // Resume from another RTP port: the bridge follows the new address.
    const movedRtp = await UdpPeer.open();
    try {
      await agent.requestAsAgent('INVITE', invite, toTag, port, { cseq: 3, sdp: agent.sdp('0 101', pcmu, { port: movedRtp.port, version: 3 }) });
      const resumeOk = await agent.nextResponse(200, 'INVITE');
      expect(resumeOk.body.toString('utf8')).toContain('a=sendrecv\r\n');
      expect(sdpAudioPort(resumeOk.body)).toBe(bridgeRtpPort);
      await agent.requestAsAgent('ACK', invite, toTag, port, { cseq: 3 });

      await caller.rtp.send(rtp(8, 3, callerAudio, 0xc1), callerRtpPort);
      for (;;) {
        const packet = parseRtpPacket(await movedRtp.nextDatagram());
        if (packet.ssrc !== 0xc1) continue;
        expect(packet.sequenceNumber).toBe(3); // the caller's packet 2 (sent during the hold) was not relayed
        break;
      }
      expect(agent.rtp.takeQueued().map((datagram) => parseRtpPacket(datagram).ssrc)).not.toContain(0xc1);
      // The phone's stream after the move has a new SSRC (placed at its arrival in the recording).
      await movedRtp.send(rtp(0, 3, agentAudio, 0xa3), bridgeRtpPort);
      for (;;) {
        const packet = parseRtpPacket(await caller.rtp.nextDatagram());
        expect(packet.ssrc).not.toBe(0xa1); // the agent's packet 2 (sent during the hold) was not relayed
        if (packet.ssrc === 0xa3) break;
      }
    } finally {
      await movedRtp.close();
    }

    await callerHangsUp('call-13');
    expect((await agent.nextRequest('BYE')).headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
    await backend.waitFor(() => backend.recordings.length === 1, 'the recording');
    // Nothing new reaches the backend; the bridge's log tells.
    expect(backend.eventNames('call-13')).toEqual(['newCall', 'queued', 'answer', 'hangup']);
    expect(logger.records.filter((record) => /hold|moved its RTP/.test(record.message)).map((record) => record.message)).toEqual([
      'Agent put the caller on hold',
      "Agent's phone moved its RTP",
      'Agent took the caller off hold',
    ]);

    // The right channel (what the caller hears): the agent, then the waiting prompt during the hold, then the agent again.
    const wav = backend.recordings[0].body;
    const right = Int16Array.from({ length: (wav.length - 44) / 4 }, (_, frame) => wav.readInt16LE(46 + frame * 4));
    const heard = (pcmuPayload: Buffer) => decodeG711('PCMA', encodeG711('PCMA', decodeG711('PCMU', pcmuPayload)));
    const beforeHold = findFrame(right, heard(agentAudio));
    const afterResume = findFrame(right, heard(agentAudio), beforeHold + 160);
    const promptFrame = decodeG711('PCMA', encodeG711('PCMA', PROMPTS.waiting.samples.subarray(0, 160)));
    const held = findFrame(right, promptFrame, beforeHold + 160);
    expect(beforeHold).toBeGreaterThanOrEqual(0);
    expect(held).toBeGreaterThan(beforeHold);
    expect(afterResume).toBeGreaterThan(held);
  });

  it('records the caller on the left channel and the prompts on the right', async () => {
    await start();
    const callerRtpPort = await placeCall('call-9');
    // Two packets of a constant A-law level from the caller while the welcome prompt plays.
    const level = Buffer.alloc(160, encodeG711('PCMA', Int16Array.of(4000))[0]);
    await caller.rtp.send(rtp(8, 1, level, 0x9999), callerRtpPort);
    await caller.rtp.send(rtp(8, 2, level, 0x9999), callerRtpPort);
    await backend.waitFor(() => backend.eventNames('call-9').includes('queued'), 'queued');
    await callerHangsUp('call-9');
    await backend.waitFor(() => backend.recordings.length === 1, 'the recording');

    const wav = backend.recordings[0].body;
    const frames = (wav.length - 44) / 4;
    const left = Array.from({ length: frames }, (_, frame) => wav.readInt16LE(44 + frame * 4));
    const right = Array.from({ length: frames }, (_, frame) => wav.readInt16LE(46 + frame * 4));
    const decodedLevel = decodeG711('PCMA', level.subarray(0, 1))[0];
    expect(left.filter((sample) => sample === decodedLevel)).toHaveLength(320);
    expect(right.some((sample) => sample !== 0)).toBe(true);
  });

  it('graceful shutdown hangs up, journals the last events and the recording, and the next start delivers them', async () => {
    await start();
    await placeCall('call-10');
    await backend.waitFor(() => backend.eventNames('call-10').includes('queued'), 'queued');
    await backend.down();

    await bridge.close();
    expect(await caller.nextRequest('BYE')).toBeDefined();
    expect(backend.eventNames('call-10')).toEqual(['newCall', 'queued']);

    await backend.up();
    await start();
    await backend.waitFor(() => backend.recordings.length === 1, 'the recording after the restart');
    expect(backend.eventNames('call-10')).toEqual(['newCall', 'queued', 'hangup']);
    expect(backend.recordings[0].callId).toBe('call-10');
  });

  it('checks agents’ phones against the backend’s credentials: wrong password 403, unknown extension 403', async () => {
    await start();

    expect(await agents[0].register('1001', 'wrong', port)).toBe(403);
    expect(await agents[1].register('1999', 'pw', port)).toBe(403);
    expect(bridge.registrar.lookup('1001')).toBeUndefined();
  });

  it('no survey key within the survey prompt + SURVEY_TIMEOUT: thanks, BYE, hangup without a survey event', async () => {
    await start({ surveyTimeout: '1s' });
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
    backend.readyExtensions = ['1001'];
    await placeCall('call-11');
    const { invite, toTag } = await agentAnswers(agents[0]);
    await backend.waitFor(() => backend.eventNames('call-11').includes('answer'), 'answer');

    await agents[0].byeAsAgent(invite, toTag, port);
    await agents[0].nextResponse(200, 'BYE');
    const bye = await caller.nextRequest('BYE', 5000);
    await caller.respond(bye, 200, 'OK');

    await backend.waitFor(() => backend.eventNames('call-11').includes('hangup'), 'hangup');
    expect(backend.eventNames('call-11')).toEqual(['newCall', 'queued', 'answer', 'hangup']);
  });

  it('an agent’s phone registering while the backend is down gets 500 with Retry-After (credentials cannot be checked)', async () => {
    await start();
    await backend.down();

    expect(await agents[0].register('1001', 'pw1001', port)).toBe(500);
    expect(agents[0].lastRegisterResponse?.headers.get('Retry-After')).toBe('5');

    await backend.up();
    expect(await agents[0].register('1001', 'pw1001', port)).toBe(200);
  });

  it('calls an agent’s phone registered over TCP on its connection', async () => {
    await start();
    const tcpAgent = await SipPhone.openTcp(bridge.tcpAddress().port);
    agents.push(tcpAgent);
    expect(await tcpAgent.register('1002', 'pw1002', port)).toBe(200);
    expect(bridge.registrar.lookup('1002')).toMatchObject({ transport: 'TCP' });
    backend.readyExtensions = ['1002'];
    await placeCall('call-12');

    const { invite, toTag } = await agentAnswers(tcpAgent);
    expect(invite.headers.get('Via')).toMatch(/^SIP\/2\.0\/TCP /);
    await backend.waitFor(() => backend.eventNames('call-12').includes('answer'), 'answer');
    await tcpAgent.byeAsAgent(invite, toTag, port);
    await tcpAgent.nextResponse(200, 'BYE');
    await pressKey(1, sdpAudioPortOf('call-12'));
    const bye = await caller.nextRequest('BYE');
    await caller.respond(bye, 200, 'OK');
    await backend.waitFor(() => backend.eventNames('call-12').includes('hangup'), 'hangup');
    expect(backend.eventNames('call-12')).toEqual(['newCall', 'queued', 'answer', 'survey', 'hangup']);
  });

  it('refuses a call with 486 when the queue is full, reported as a busy hangup', async () => {
    await start({ queueMax: 1 });
    await placeCall('call-6');
    expect(bridge.callFlow.queueLength).toBe(1);
    await caller.sip.send(inviteFrame({ peerPort: caller.sip.port, callId: 'call-7', fromTag: 'x7' }, { branch: 'z9hG4bK-call-7-1', cseq: 1, sdp: offerSdp({ port: caller.rtp.port }) }), port);
    await caller.nextResponse(486, 'INVITE');

    await backend.waitFor(() => backend.eventNames('call-7').includes('hangup'), 'hangup of the refused call');
    expect(backend.eventNames('call-7')).toEqual(['newCall', 'hangup']);
    expect(backend.events.at(-1)).toMatchObject({ cause: 'busy' });
  });
});

/** Where `frame` appears in `samples` at or after `from` (sample index), or -1. */
function findFrame(samples: Int16Array, frame: ArrayLike<number>, from = 0): number {
  outer: for (let start = Math.max(0, from); start + frame.length <= samples.length; start += 1) {
    for (let i = 0; i < frame.length; i += 1) if (samples[start + i] !== frame[i]) continue outer;
    return start;
  }
  return -1;
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]));
}

async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
