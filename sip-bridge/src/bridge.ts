import type { Logger } from './logger';
import { type SipMessage, getCallId, getCSeq } from './sip/message';
import { responseDestination } from './sip/responses';
import { answerRequest } from './sip/stateless-responder';
import { type RemoteAddress, UdpTransport } from './transport/udp-transport';

export interface SipBridgeOptions {
  host: string;
  port: number;
}

export interface SipBridge {
  address(): { address: string; port: number };
  close(): Promise<void>;
}

/** Listens for SIP and answers it statelessly; logs one line per datagram it receives. */
export async function startSipBridge(options: SipBridgeOptions, logger: Logger): Promise<SipBridge> {
  const transport = await UdpTransport.create(options);
  transport.on('message', (message, remote) => {
    handleMessage(transport, logger, message, remote).catch((error: unknown) =>
      logger.error('Failed to handle SIP message', { remote: formatRemote(remote), error: describeError(error) }),
    );
  });
  transport.on('error', (error, remote) => {
    if (remote) logger.warn('Dropped malformed SIP datagram', { remote: formatRemote(remote), error: error.message });
    else logger.error('SIP transport error', { error: error.message });
  });
  return { address: () => transport.address(), close: () => transport.close() };
}

async function handleMessage(
  transport: UdpTransport,
  logger: Logger,
  message: SipMessage,
  remote: RemoteAddress,
): Promise<void> {
  const context = { remote: formatRemote(remote), callId: getCallId(message), cseq: getCSeq(message).sequence };
  if (message.kind === 'response') {
    // No client transactions yet, so there is nothing a response could belong to.
    logger.info('Ignored SIP response', { ...context, status: message.status, method: getCSeq(message).method });
    return;
  }
  const response = answerRequest(message);
  if (response === null) {
    logger.info('Absorbed SIP request', { ...context, method: message.method });
    return;
  }
  const destination = responseDestination(response);
  const answered = { ...context, method: message.method, status: response.status, to: formatRemote(destination) };
  try {
    await transport.send(response, destination.address, destination.port);
    logger.info('Answered SIP request', answered);
  } catch (error) {
    logger.error('Failed to send SIP response', { ...answered, error: describeError(error) });
  }
}

function formatRemote(remote: { address: string; port: number }): string {
  return remote.address.includes(':') ? `[${remote.address}]:${remote.port}` : `${remote.address}:${remote.port}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
