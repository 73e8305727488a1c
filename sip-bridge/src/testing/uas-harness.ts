import type { Registrar } from '../sip/registrar';
import type { TransportBinding } from '../sip/transactions/transport-binding';
import { type CallEndInitiator, type CallEndReason, type InboundCall, type InfoBody, UserAgentServer } from '../sip/user-agent-server';
import { TcpTransport } from '../transport/tcp-transport';
import { UdpTransport } from '../transport/udp-transport';
import { FakeClock } from './fake-clock';
import { RecordingLogger } from './recording-logger';

export type RecordedEvent =
  | { event: 'callOffered'; callId: string }
  | { event: 'callAnswered'; callId: string }
  | { event: 'callEnded'; callId: string; reason: CallEndReason; initiator: CallEndInitiator }
  | { event: 'callHold'; callId: string; onHold: boolean }
  | { event: 'infoReceived'; callId: string; contentType: string | undefined; body: string };

export interface UasHarness {
  uas: UserAgentServer;
  udp: UdpTransport;
  tcp: TcpTransport;
  udpBinding: TransportBinding;
  tcpBinding: TransportBinding;
  clock: FakeClock;
  logger: RecordingLogger;
  events: RecordedEvent[];
  calls: InboundCall[];
  close(): Promise<void>;
}

/**
 * A UAS on loopback UDP + TCP with a fake clock, recording every event it emits. TCP answers
 * malformed messages itself; for UDP, tests call `uas.answerMalformed` directly until the UDP
 * transport hands raw datagrams out.
 */
export async function startUasHarness(options: { registrar?: Registrar; clock?: FakeClock } = {}): Promise<UasHarness> {
  const clock = options.clock ?? new FakeClock();
  const logger = new RecordingLogger();
  const uas = new UserAgentServer({ logger, clock, registrar: options.registrar });
  const udp = await UdpTransport.create({ host: '127.0.0.1', port: 0 });
  const tcp = await TcpTransport.create({ host: '127.0.0.1', port: 0 });
  const udpBinding = uas.attach(udp, 'UDP');
  const tcpBinding = uas.attach(tcp, 'TCP');
  udp.on('error', () => undefined);
  tcp.on('error', () => undefined);
  const events: RecordedEvent[] = [];
  const calls: InboundCall[] = [];
  uas.on('callOffered', (call) => {
    calls.push(call);
    events.push({ event: 'callOffered', callId: call.callId });
  });
  uas.on('callAnswered', (call) => events.push({ event: 'callAnswered', callId: call.callId }));
  uas.on('callEnded', (call, reason, initiator) => events.push({ event: 'callEnded', callId: call.callId, reason, initiator }));
  uas.on('callHold', (call, onHold) => events.push({ event: 'callHold', callId: call.callId, onHold }));
  uas.on('infoReceived', (call, info: InfoBody) =>
    events.push({ event: 'infoReceived', callId: call.callId, contentType: info.contentType, body: info.body.toString('utf8') }),
  );
  return {
    uas,
    udp,
    tcp,
    udpBinding,
    tcpBinding,
    clock,
    logger,
    events,
    calls,
    async close() {
      uas.close();
      await udp.close();
      await tcp.close();
    },
  };
}
