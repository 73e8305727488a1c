import { join } from 'node:path';
import { type CallPrompts, CallFlow } from './call-flow';
import type { SipBridgeConfig } from './config';
import { CtiBackendClient, CtiOutbox, type OutboxDelivery, type RouteResult } from './cti-client';
import type { Logger } from './logger';
import { loadPrompt } from './media/prompt-player';
import { RtpPortAllocator } from './media/rtp-endpoint';
import type { MediaScheduler } from './media/scheduler';
import { type ExtensionCredentials, Registrar } from './sip/registrar';
import { type Clock, systemClock } from './sip/transactions/clock';
import { UserAgentServer } from './sip/user-agent-server';
import { TcpTransport } from './transport/tcp-transport';
import { UdpTransport } from './transport/udp-transport';

/** What the bridge needs from the backend: the outbox's deliveries plus the request-response calls. */
export interface BridgeBackend extends OutboxDelivery {
  route(callId: string): Promise<RouteResult>;
  noAnswer(callId: string, extension: string): Promise<boolean>;
  credentials(extension: string): Promise<ExtensionCredentials | undefined>;
  /** Lets go of its connections, once nothing more will be sent. */
  close?(): void;
}

export interface SipBridgeOptions {
  config: SipBridgeConfig;
  /** SIP timers (fake in tests). */
  clock?: Clock;
  /** Prompt pacing and call-flow timers (fake in tests). */
  scheduler?: MediaScheduler;
  /** Defaults to the WAVs in config.promptsDir. */
  prompts?: CallPrompts;
  /** Defaults to CtiBackendClient on config.backendUrl. */
  backend?: BridgeBackend;
  routeRetryMs?: number;
  answerAfterMs?: number;
  outboxRetry?: { initialMs: number; maxMs: number };
}

export interface SipBridge {
  /** The UDP socket's address (TCP listens on the same port unless the port was 0). */
  address(): { address: string; port: number };
  tcpAddress(): { address: string; port: number };
  readonly registrar: Registrar;
  readonly callFlow: CallFlow;
  readonly outbox: CtiOutbox;
  /** Hangs up the calls, queues their last events, writes the journal, closes the sockets. */
  close(): Promise<void>;
}

/** How long an extension's credentials from the backend are reused (a phone re-registers every few minutes). */
const CREDENTIALS_CACHE_MS = 30_000;
/** With SIP_PORT=0: how many system-chosen ports are tried for a UDP port whose TCP twin is free. */
const PORT_CHOICES = 10;

/**
 * The SIP bridge: UDP + TCP transports, the UAS with the registrar for agents' phones (credentials from the
 * backend), the call flow (IVR, queue, ACD, B2BUA, survey) and the durable CTI outbox.
 */
export async function startSipBridge(options: SipBridgeOptions, logger: Logger): Promise<SipBridge> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const backend = options.backend ?? new CtiBackendClient({ baseUrl: config.backendUrl, token: config.ctiToken });
  const prompts = options.prompts ?? loadPrompts(config.promptsDir);

  const outbox = await CtiOutbox.open({
    spoolDir: config.spoolDir,
    delivery: backend,
    logger,
    scheduler: options.scheduler,
    initialRetryDelayMs: options.outboxRetry?.initialMs,
    maxRetryDelayMs: options.outboxRetry?.maxMs,
  });
  const registrar = new Registrar({ realm: config.sip.realm, clock, lookupCredentials: cachedCredentials(backend, clock) });
  const uas = new UserAgentServer({ logger, clock, registrar, advertisedHost: config.sip.advertisedHost });

  let udp: UdpTransport | undefined;
  let tcp: TcpTransport | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      udp = await UdpTransport.create({ host: config.sip.bindHost, port: config.sip.port });
      try {
        // Same port for TCP (RFC 3261 §18); with port 0, the one the system gave UDP.
        tcp = await TcpTransport.create({ host: config.sip.bindHost, port: udp.address().port });
        break;
      } catch (error) {
        await udp.close();
        udp = undefined;
        // Port 0: the system chose a UDP port whose TCP twin is taken (another program's connection): choose again.
        if (config.sip.port !== 0 || !isAddressInUse(error) || attempt >= PORT_CHOICES) throw error;
      }
    }
  } catch (error) {
    await udp?.close();
    await outbox.close();
    backend.close?.();
    throw error;
  }
  const udpTransport = udp;
  const udpBinding = uas.attach(udpTransport, 'UDP');
  const tcpBinding = uas.attach(tcp, 'TCP');
  udpTransport.on('malformed', (datagram, error, remote) => {
    const answered = uas.answerMalformed(datagram, error.message, remote, udpBinding);
    logger.warn(answered ? 'Answered malformed SIP datagram with 400' : 'Dropped malformed SIP datagram', {
      remote: `${remote.address}:${remote.port}`,
      error: error.message,
    });
  });
  udpTransport.on('error', (error, remote) => {
    if (remote === undefined) logger.error('SIP UDP transport error', { error: error.message });
  });
  tcp.on('error', (error, remote) => logger.warn('SIP TCP transport problem', { error: error.message, ...(remote ? { remote: `${remote.address}:${remote.port}` } : {}) }));

  const callFlow = new CallFlow({
    uas,
    registrar,
    bindings: { UDP: udpBinding, TCP: tcpBinding },
    rtp: {
      allocator: new RtpPortAllocator({ min: config.rtp.portMin, max: config.rtp.portMax }),
      bindHost: config.sip.bindHost,
      advertisedHost: config.sip.advertisedHost ?? config.sip.bindHost,
    },
    prompts,
    events: outbox,
    acd: backend,
    logger,
    scheduler: options.scheduler,
    queueMax: config.queueMax,
    ringTimeoutMs: config.ringTimeoutMs,
    surveyTimeoutMs: config.surveyTimeoutMs,
    routeRetryMs: options.routeRetryMs,
    answerAfterMs: options.answerAfterMs ?? options.config.answerAfterMs,
  });

  const tcpTransport = tcp;
  let closing: Promise<void> | undefined;
  return {
    address: () => udpTransport.address(),
    tcpAddress: () => tcpTransport.address(),
    registrar,
    callFlow,
    outbox,
    close() {
      closing ??= (async () => {
        callFlow.hangupAll();
        await callFlow.settled();
        uas.close();
        await udpTransport.close();
        await tcpTransport.close();
        await outbox.close();
        backend.close?.();
      })();
      return closing;
    },
  };
}

export function loadPrompts(directory: string): CallPrompts {
  const load = (name: string) => loadPrompt(join(directory, `${name}.wav`), name);
  return { welcome: load('welcome'), waiting: load('waiting'), survey: load('survey'), thanks: load('thanks') };
}

/** The registrar's credential lookup: the backend's answer, reused for a short while; failures are not cached. */
function cachedCredentials(backend: BridgeBackend, clock: Clock): (extension: string) => Promise<ExtensionCredentials | undefined> {
  const cache = new Map<string, { value: ExtensionCredentials | undefined; expiresAt: number }>();
  return async (extension) => {
    const cached = cache.get(extension);
    if (cached !== undefined && cached.expiresAt > clock.now()) return cached.value;
    const value = await backend.credentials(extension);
    if (cache.size > 10_000) cache.clear();
    cache.set(extension, { value, expiresAt: clock.now() + CREDENTIALS_CACHE_MS });
    return value;
  };
}

/** Whether listening failed because the address is taken (the transports wrap the system's error as `cause`). */
function isAddressInUse(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return typeof cause === 'object' && cause !== null && (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
}
