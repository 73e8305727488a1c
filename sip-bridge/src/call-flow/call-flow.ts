import type { Logger } from '../logger';
import { CallRecorder } from '../media/call-recorder';
import { DtmfReceiver, collectSurveyDigit } from '../media/dtmf';
import { PACKET_INTERVAL_MS, PromptPlayer, type Prompt } from '../media/prompt-player';
import { RtpEndpoint, type RtpPortAllocator } from '../media/rtp-endpoint';
import type { RtpPacket } from '../media/rtp-packet';
import { type MediaScheduler, systemScheduler } from '../media/scheduler';
import { G711_SAMPLE_RATE } from '../media/g711';
import type { CtiEvent, HangupCause } from '../cti-client/cti-events';
import type { RouteResult } from '../cti-client/backend-client';
import { uriOfNameAddr, parseSipUri } from '../sip/dialog-uri';
import type { Registrar } from '../sip/registrar';
import { type NegotiatedAudio, negotiateOffer } from '../sip/sdp-answer';
import type { PeerAddress, TransportBinding, TransportProtocol } from '../sip/transactions/transport-binding';
import type { OutboundCall } from '../sip/uac';
import type { CallEndInitiator, CallEndReason, InboundCall, InfoBody, UserAgentServer } from '../sip/user-agent-server';
import { type LegCodec, agentOfferSdp, legCodecOf, relayPacket } from './leg-media';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The prompts of the IVR (sip-bridge/prompts). */
export interface CallPrompts {
  welcome: Prompt;
  waiting: Prompt;
  survey: Prompt;
  thanks: Prompt;
}

/** Where events and recordings go: the durable outbox (CtiOutbox). */
export interface CallEventSink {
  enqueueEvent(event: CtiEvent): Promise<void>;
  enqueueRecording(callId: string, file: string): Promise<void>;
  readonly recordingsDir: string;
}

/** The ACD in the backend (request-response; CtiBackendClient). */
export interface AgentDistributor {
  route(callId: string): Promise<RouteResult>;
  noAnswer(callId: string, extension: string): Promise<boolean>;
}

export interface CallFlowOptions {
  uas: UserAgentServer;
  registrar: Registrar;
  /** The transports agents' phones may be reached on (a binding's transport picks one). */
  bindings: Partial<Record<TransportProtocol, TransportBinding>>;
  rtp: {
    allocator: RtpPortAllocator;
    /** Address RTP sockets bind to. */
    bindHost: string;
    /** Address written in our SDP (SIP_ADVERTISED_HOST or the bind address). */
    advertisedHost: string;
  };
  prompts: CallPrompts;
  events: CallEventSink;
  acd: AgentDistributor;
  logger: Logger;
  /** Prompt pacing, retries, survey timeout. */
  scheduler?: MediaScheduler;
  /** Wall-clock time of events (`at`). */
  now?: () => Date;
  /** Callers in the IVR or the queue (not yet with an agent); one more gets 486. */
  queueMax: number;
  ringTimeoutMs: number;
  surveyTimeoutMs: number;
  /** How often a queued call asks the ACD again. Default 3 s (and at once when another call ends). */
  routeRetryMs?: number;
  /** Let the caller hear ringing this long before the IVR answers (a PBX-like pause; 0 = at once, the default). */
  answerAfterMs?: number;
  /** Recordings are flushed to disk this often. Default 500 ms. */
  recordingFlushMs?: number;
}

type SessionState = 'offered' | 'ivr' | 'queued' | 'ringingAgent' | 'talking' | 'survey' | 'ended';

/**
 * The bridge's call flow (IVR → queue → ACD → B2BUA to the agent's phone → survey), one CallSession per
 * inbound call; the UAS's events are routed to the call's session here.
 */
export class CallFlow {
  private readonly sessions = new Map<InboundCall, CallSession>();
  private readonly releasing = new Set<Promise<void>>();
  readonly scheduler: MediaScheduler;
  readonly now: () => Date;

  constructor(readonly options: CallFlowOptions) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.now = options.now ?? (() => new Date());
    const { uas } = options;
    uas.on('callOffered', (call) => this.offered(call));
    uas.on('callAnswered', (call) => this.sessions.get(call)?.confirmed());
    uas.on('callEnded', (call, reason, initiator) => this.sessions.get(call)?.callerEnded(reason, initiator));
    uas.on('callHold', (call, onHold) => this.sessions.get(call)?.holdChanged(onHold));
    uas.on('infoReceived', (call, info) => this.sessions.get(call)?.info(info));
  }

  /** Callers in the IVR or waiting for an agent. */
  get queueLength(): number {
    let waiting = 0;
    for (const session of this.sessions.values()) if (session.waiting) waiting += 1;
    return waiting;
  }

  get activeCalls(): number {
    return this.sessions.size;
  }

  /** Hangs every call up (BYE / 480) so that their hangup events reach the outbox before shutdown. */
  hangupAll(): void {
    for (const call of [...this.sessions.keys()]) call.hangup();
  }

  /** Resolves when every ended call has closed its media and queued its recording (shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.releasing]);
  }

  /** @internal */
  track(release: Promise<void>): void {
    this.releasing.add(release);
    void release.finally(() => this.releasing.delete(release));
  }

  /**
   * @internal a session ended. Queued calls ask the ACD at once only when it had an agent (ringing at their phone,
   * talking, in the survey), who may be free again; a caller who gave up in the IVR or the queue frees nobody, and
   * waking every queued call for each of those floods the backend with routes (bench:sip: 50 calls/s, no agent
   * ready → 2,000–2,400 route requests for 500 calls instead of 500).
   */
  sessionEnded(call: InboundCall, heldAgent: boolean): void {
    this.sessions.delete(call);
    if (!heldAgent) return;
    for (const session of this.sessions.values()) session.retryRoutingNow();
  }

  private offered(call: InboundCall): void {
    const full = this.queueLength >= this.options.queueMax;
    const session = new CallSession(this, call);
    this.sessions.set(call, session);
    session.start(full);
  }
}

const SURVEY_DIGITS = ['1', '2', '3'] as const;

/** One inbound call from INVITE to the last event. */
class CallSession {
  private state: SessionState = 'offered';
  private readonly options: CallFlowOptions;
  private readonly logger: Logger;
  private callerRtp: RtpEndpoint | undefined;
  private agentRtp: RtpEndpoint | undefined;
  private recorder: CallRecorder | undefined;
  private recorderReady: Promise<void> | undefined;
  private cancelFlush: (() => void) | undefined;
  private player: PromptPlayer | undefined;
  private dtmf: DtmfReceiver | undefined;
  private outbound: OutboundCall | undefined;
  private agentCodec: LegCodec | undefined;
  /** Where the agent's phone last said (SDP) it wants our RTP. */
  private agentSdpRemote: PeerAddress | undefined;
  /** The agent's phone holds the call: the caller hears the waiting prompt, and neither side's audio is relayed. */
  private agentHolding = false;
  private readonly agentSessionId = Math.floor(Math.random() * 1e9);
  private readonly hungUp = new AbortController();
  private wakeRouting: (() => void) | undefined;
  private busyRejected = false;
  /** Our 200 went out: there is audio to keep (a call cancelled before has no recording). */
  private callerAnswered = false;

  constructor(
    private readonly flow: CallFlow,
    private readonly call: InboundCall,
  ) {
    this.options = flow.options;
    this.logger = flow.options.logger;
  }

  get waiting(): boolean {
    return this.state === 'offered' || this.state === 'ivr' || this.state === 'queued' || this.state === 'ringingAgent';
  }

  private get ended(): boolean {
    return this.state === 'ended';
  }

  start(queueFull: boolean): void {
    this.emit({ event: 'newCall', from: numberOf(this.call.from), to: numberOf(this.call.to) || numberOf(this.call.requestUri), direction: 'inbound' });
    if (queueFull) {
      this.logger.warn('Queue full: call refused with 486', { callId: this.call.callId, queueMax: this.options.queueMax });
      this.busyRejected = true;
      this.call.reject(486);
      return;
    }
    this.call.ring();
    const answer = () =>
      this.answer().catch((error: unknown) => {
        this.logger.error('Cannot answer call', { callId: this.call.callId, error: describe(error) });
        this.call.hangup();
      });
    const delay = this.options.answerAfterMs ?? 0;
    if (delay <= 0) void answer();
    else {
      const { scheduler } = this.flow;
      const cancel = scheduler.at(scheduler.now() + delay, () => void answer());
      this.hungUp.signal.addEventListener('abort', cancel, { once: true });
    }
  }

  private async answer(): Promise<void> {
    const { rtp } = this.options;
    const endpoint = await RtpEndpoint.open({ allocator: rtp.allocator, host: rtp.bindHost, logger: this.logger });
    if (this.ended) {
      await endpoint.close();
      return;
    }
    this.callerRtp = endpoint;
    const audio = this.call.audio;
    endpoint.expectRemote(audio.remote);
    endpoint.on('packet', (packet) => this.fromCaller(packet));
    this.dtmf = new DtmfReceiver({ payloadType: audio.telephoneEventPayloadType ?? -1 });
    // The player writes the static payload type (0/8); the caller may have mapped its codec to a dynamic one.
    this.player = new PromptPlayer({
      codec: audio.codec,
      scheduler: this.flow.scheduler,
      send: (packet) => this.toCaller({ ...packet, payloadType: this.call.audio.payloadType }),
    });
    // The recorder exists before the 200 goes out, so the caller's first packet is already recorded.
    const file = join(this.options.events.recordingsDir, `${safeFileName(this.call.callId)}-${Date.now()}.wav`);
    this.recorderReady = this.startRecording(file, audio);
    await this.recorderReady;
    if (this.ended) return;
    this.callerAnswered = true;
    this.call.answer({ address: rtp.advertisedHost, port: endpoint.port });
  }

  private async startRecording(file: string, audio: NegotiatedAudio): Promise<void> {
    try {
      const recorder = await CallRecorder.create({
        path: file,
        clock: () => this.flow.scheduler.now(),
        payloadCodecs: { 0: 'PCMU', 8: 'PCMA', [audio.payloadType]: audio.codec },
        logger: this.logger,
      });
      this.recorder = recorder;
      const { scheduler } = this.flow;
      const flushEvery = this.options.recordingFlushMs ?? 500;
      const flush = () => {
        recorder.flush();
        this.cancelFlush = scheduler.at(scheduler.now() + flushEvery, flush);
      };
      this.cancelFlush = scheduler.at(scheduler.now() + flushEvery, flush);
    } catch (error) {
      // A full disk costs the recording, not the call.
      this.logger.error('Cannot record call', { callId: this.call.callId, error: describe(error) });
    }
  }

  /** The caller's ACK for our 200: the IVR starts. */
  confirmed(): void {
    if (this.state !== 'offered') return;
    this.state = 'ivr';
    this.runIvr().catch((error: unknown) => {
      this.logger.error('Call flow failed', { callId: this.call.callId, error: describe(error) });
      this.call.hangup();
    });
  }

  private async runIvr(): Promise<void> {
    await this.recorderReady;
    await this.player?.play(this.options.prompts.welcome);
    if (this.ended) return;
    this.state = 'queued';
    this.emit({ event: 'queued' });
    void this.player?.play(this.options.prompts.waiting, { loop: true });
    while (!this.ended && this.state === 'queued') {
      const result = await this.options.acd.route(this.call.callId);
      if (this.ended) return;
      if (result.kind === 'agent') {
        if (await this.offerToAgent(result.extension)) return;
        continue;
      }
      if (result.kind === 'unavailable') this.logger.warn('ACD unavailable; the caller keeps waiting', { callId: this.call.callId, reason: result.reason });
      await this.pauseRouting();
    }
  }

  /** Waits routeRetryMs, or less when another call ends (an agent may have become free). */
  private pauseRouting(): Promise<void> {
    return new Promise((resolve) => {
      const { scheduler } = this.flow;
      const cancel = scheduler.at(scheduler.now() + (this.options.routeRetryMs ?? 3_000), () => {
        this.wakeRouting = undefined;
        resolve();
      });
      this.wakeRouting = () => {
        cancel();
        this.wakeRouting = undefined;
        resolve();
      };
    });
  }

  retryRoutingNow(): void {
    this.wakeRouting?.();
  }

  /** Rings the agent's registered phone; true when the call is settled (bridged, or the caller left). */
  private async offerToAgent(extension: string): Promise<boolean> {
    const callId = this.call.callId;
    const registration = this.options.registrar.lookup(extension);
    const binding = registration === undefined ? undefined : this.options.bindings[registration.transport];
    if (registration === undefined || binding === undefined) {
      this.logger.warn('Agent offered by the ACD has no registered phone; next agent', { callId, extension });
      await this.reportNoAnswer(extension);
      return this.ended;
    }
    const { rtp } = this.options;
    this.state = 'ringingAgent';
    const endpoint = await RtpEndpoint.open({ allocator: rtp.allocator, host: rtp.bindHost, logger: this.logger });
    if (this.ended) {
      await endpoint.close();
      return true;
    }
    this.agentRtp = endpoint;
    const outbound = this.options.uas.inviteAgent(binding, {
      contactUri: registration.contactUri,
      destination: registration.target,
      from: callerIdentity(this.call.from, rtp.advertisedHost),
      sdpOffer: this.agentOffer('sendrecv', 1),
      ringTimeoutMs: this.options.ringTimeoutMs,
    });
    this.outbound = outbound;
    const outcome = await outbound.outcome;
    if (outcome.kind === 'answered') {
      const negotiation = negotiateOffer(outcome.answerSdp);
      if (this.ended) {
        outbound.hangup();
        return true;
      }
      if (negotiation.acceptable) {
        this.bridge(extension, outbound, negotiation.audio);
        return true;
      }
      this.logger.warn("Agent's phone answered with unusable SDP; next agent", { callId, extension, reason: negotiation.reason });
      outbound.hangup();
    } else {
      this.logger.info("Agent's phone did not take the call", { callId, extension, outcome: outcome.kind, ...('status' in outcome ? { status: outcome.status } : {}) });
    }
    this.outbound = undefined;
    this.agentRtp = undefined;
    await endpoint.close();
    if (this.ended || outcome.kind === 'cancelled') return true;
    await this.reportNoAnswer(extension);
    if (this.ended) return true;
    this.state = 'queued';
    return false;
  }

  /**
   * Tells the ACD the agent did not take the call (the backend sets them away and offers the next one). If the
   * backend cannot be told, the caller waits a retry interval: asking again at once would get the same agent.
   */
  private async reportNoAnswer(extension: string): Promise<void> {
    const reported = await this.options.acd.noAnswer(this.call.callId, extension);
    if (!reported && !this.ended) {
      this.logger.warn('Cannot report no-answer to the ACD; retrying the route later', { callId: this.call.callId, extension });
      await this.pauseRouting();
    }
  }

  private bridge(extension: string, outbound: OutboundCall, agentAudio: NegotiatedAudio): void {
    this.player?.stop();
    this.state = 'talking';
    this.agentCodec = legCodecOf(agentAudio);
    this.agentSdpRemote = { ...agentAudio.remote };
    const agentRtp = this.agentRtp;
    agentRtp?.expectRemote(agentAudio.remote);
    agentRtp?.on('packet', (packet) => this.fromAgent(packet));
    this.emit({ event: 'answer', answeringAgent: extension });
    outbound.on('sessionUpdated', (audio) => this.agentSessionUpdated(extension, audio));
    // The caller may have put us on hold while the agent's phone rang.
    if (this.call.onHold) this.holdChanged(true);
    outbound.once('ended', (initiator) => {
      // The bridge ends the leg itself when the phone never ACKs our 2xx to its re-INVITE: the agent is gone too.
      if (initiator === 'agent' || this.outbound === outbound) {
        this.afterAgent().catch((error: unknown) => {
          this.logger.error('Survey failed', { callId: this.call.callId, error: describe(error) });
          this.call.hangup();
        });
      }
    });
  }

  /**
   * The agent's phone re-INVITEd and our 200 went out: follow its new RTP address and codec, and its hold — the
   * caller hears the waiting prompt (music on hold) instead of the agent, the caller's audio is not sent to the
   * agent, and the recording goes on with what the caller hears; on resume both ways are relayed again.
   */
  private agentSessionUpdated(extension: string, audio: NegotiatedAudio): void {
    if (this.state !== 'talking') return;
    const callId = this.call.callId;
    this.agentCodec = legCodecOf(audio);
    const previous = this.agentSdpRemote;
    // c=0.0.0.0 (RFC 2543 hold) names no address: keep sending where we did.
    if (audio.remote.address !== '0.0.0.0' && (previous?.address !== audio.remote.address || previous.port !== audio.remote.port)) {
      this.agentSdpRemote = { ...audio.remote };
      this.agentRtp?.expectRemote(audio.remote);
      this.logger.info("Agent's phone moved its RTP", { callId, extension, remote: `${audio.remote.address}:${audio.remote.port}` });
    }
    if (audio.onHold === this.agentHolding) return;
    this.agentHolding = audio.onHold;
    if (audio.onHold) {
      this.logger.info('Agent put the caller on hold', { callId, extension, direction: audio.offeredDirection });
      void this.player?.play(this.options.prompts.waiting, { loop: true });
    } else {
      this.logger.info('Agent took the caller off hold', { callId, extension });
      this.player?.stop();
    }
  }

  /** The agent hung up: the survey, thanks, BYE. */
  private async afterAgent(): Promise<void> {
    if (this.ended) return;
    this.state = 'survey';
    this.outbound = undefined;
    this.agentHolding = false;
    const agentRtp = this.agentRtp;
    this.agentRtp = undefined;
    const { prompts, surveyTimeoutMs } = this.options;
    const dtmf = this.dtmf;
    const player = this.player;
    if (dtmf === undefined || player === undefined) {
      await agentRtp?.close();
      this.call.hangup();
      return;
    }
    // Listen before anything else: a caller who knows the survey presses the key at once (barge-in).
    const promptMs = (prompts.survey.samples.length / G711_SAMPLE_RATE) * 1000;
    const bargeIn = () => player.stop();
    dtmf.once('digit', bargeIn);
    const digit = collectSurveyDigit({ digits: dtmf, accept: SURVEY_DIGITS, timeoutMs: promptMs + surveyTimeoutMs, scheduler: this.flow.scheduler, signal: this.hungUp.signal });
    void player.play(prompts.survey);
    await agentRtp?.close();
    const pressed = await digit;
    dtmf.off('digit', bargeIn);
    player.stop();
    if (this.ended) return;
    if (pressed !== null) this.emit({ event: 'survey', digit: pressed });
    await player.play(prompts.thanks);
    if (this.ended) return;
    this.call.hangup();
  }

  /** The inbound call ended, whoever ended it: the hangup event, the agent leg, the recording. */
  callerEnded(reason: CallEndReason, initiator: CallEndInitiator): void {
    if (this.ended) return;
    const wasTalking = this.state === 'talking';
    const heldAgent = this.state === 'ringingAgent' || this.state === 'talking' || this.state === 'survey';
    this.state = 'ended';
    this.hungUp.abort();
    this.wakeRouting?.();
    this.player?.stop();
    const outbound = this.outbound;
    this.outbound = undefined;
    if (outbound !== undefined) {
      if (wasTalking) outbound.hangup();
      else outbound.cancel();
    }
    const endedAtMs = this.flow.scheduler.now();
    const cause = this.causeOf(reason, initiator);
    this.emit({ event: 'hangup', cause });
    this.logEnd(cause);
    this.flow.sessionEnded(this.call, heldAgent);
    this.flow.track(this.release(endedAtMs).catch((error: unknown) => this.logger.error('Cannot finish call', { callId: this.call.callId, error: describe(error) })));
  }

  /**
   * One line per call. Prompt audio skipped means this process fell behind (its event loop stalled more than a few
   * packets' time): the caller missed that much of the prompts and the recording shows it as silence — a warning,
   * since an overloaded host costs every call on it.
   */
  private logEnd(cause: HangupCause): void {
    const promptAudioSkippedMs = (this.player?.skippedPackets ?? 0) * PACKET_INTERVAL_MS;
    const fields = { callId: this.call.callId, cause, promptAudioSkippedMs };
    if (promptAudioSkippedMs > 0) this.logger.warn('Call ended; prompt audio was skipped because the bridge fell behind', fields);
    else this.logger.info('Call ended', fields);
  }

  private causeOf(reason: CallEndReason, initiator: CallEndInitiator): HangupCause {
    if (this.busyRejected) return 'busy';
    if (reason === 'cancel') return 'cancel';
    if (reason === 'timeout' || reason === 'error' || (reason === 'rejected' && initiator === 'bridge')) return 'failed';
    return 'normalClearing';
  }

  /** Closes the media; the recording runs to `endedAtMs`, the hangup on the scheduler's (and the recorder's) clock. */
  private async release(endedAtMs: number): Promise<void> {
    this.cancelFlush?.();
    await Promise.all([this.callerRtp?.close(), this.agentRtp?.close()]);
    this.agentRtp = undefined;
    await this.recorderReady;
    const recorder = this.recorder;
    if (recorder === undefined) return;
    const result = await recorder.close(endedAtMs);
    if (!this.callerAnswered) {
      await unlink(result.path).catch(() => undefined);
      return;
    }
    await this.options.events.enqueueRecording(this.call.callId, result.path);
  }

  /** A re-INVITE from the caller changed hold: relayed to the agent's phone as a re-INVITE. */
  holdChanged(onHold: boolean): void {
    this.callerRtp?.expectRemote(this.call.audio.remote);
    const outbound = this.outbound;
    if (this.state !== 'talking' || outbound === undefined) return;
    outbound.reinvite(this.agentOffer(onHold ? 'sendonly' : 'sendrecv', outbound.nextSdpVersion()), (why) =>
      this.logger.warn("Agent's phone did not take the hold re-INVITE", { callId: this.call.callId, onHold, why }),
    );
  }

  info(info: InfoBody): void {
    if (info.contentType !== undefined) this.dtmf?.receiveSipInfo(info.contentType, info.body.toString('utf8'));
  }

  private agentOffer(direction: 'sendrecv' | 'sendonly', sessionVersion: number): string {
    return agentOfferSdp({
      address: this.options.rtp.advertisedHost,
      port: this.agentRtp?.port ?? 0,
      preferredCodec: this.call.audio.codec,
      sessionId: this.agentSessionId,
      sessionVersion,
      direction,
    });
  }

  private fromCaller(packet: RtpPacket): void {
    this.recorder?.receive('caller', packet);
    this.dtmf?.receiveRtp(packet);
    if (this.state === 'talking' && !this.agentHolding && this.agentRtp !== undefined && this.agentCodec !== undefined) {
      const relayed = relayPacket(packet, legCodecOf(this.call.audio), this.agentCodec);
      if (relayed !== undefined) this.agentRtp.send(relayed);
    }
  }

  private fromAgent(packet: RtpPacket): void {
    if (this.state !== 'talking' || this.agentHolding || this.agentCodec === undefined) return;
    const relayed = relayPacket(packet, this.agentCodec, legCodecOf(this.call.audio));
    if (relayed !== undefined) this.toCaller(relayed);
  }

  /** Everything the caller hears (prompts, the agent) goes out here and into the recording's right channel. */
  private toCaller(packet: RtpPacket): void {
    this.callerRtp?.send(packet);
    this.recorder?.receive('agent', packet);
  }

  private emit(event: DistributiveOmit<CtiEvent, 'callId' | 'at'>): void {
    const full = { ...event, callId: this.call.callId, at: this.flow.now().toISOString() };
    this.options.events.enqueueEvent(full).catch((error: unknown) =>
      this.logger.error('Cannot queue CTI event', { callId: this.call.callId, event: full.event, error: describe(error) }),
    );
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The number (user part) of a From/To header or URI; the whole URI when it has no user part. */
export function numberOf(nameAddr: string): string {
  const uri = uriOfNameAddr(nameAddr);
  const parsed = parseSipUri(uri);
  if (parsed?.user) return parsed.user;
  const tel = /^tel:([^;]+)/i.exec(uri);
  return tel?.[1] ?? uri;
}

/** The agent's phone shows the citizen's number: `"13800138000" <sip:13800138000@bridge>`. */
function callerIdentity(from: string, host: string): string {
  const number = numberOf(from).replace(/[^0-9A-Za-z+*#._-]/g, '') || 'anonymous';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `"${number}" <sip:${number}@${hostPart}>`;
}

function safeFileName(callId: string): string {
  return callId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
