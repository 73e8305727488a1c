import type { SipMessage } from '../message';

/** `UDP` retransmits; `TCP` is reliable, so RFC 3261 timers that only cover loss are zero or off. */
export type TransportProtocol = 'UDP' | 'TCP';

export interface PeerAddress {
  address: string;
  port: number;
}

/** What both UdpTransport and TcpTransport offer; the layers above do not care which one it is. */
export interface SipMessageSender {
  send(message: SipMessage, address: string, port: number): Promise<void>;
  address(): { address: string; port: number };
}

export interface TransportBinding {
  sender: SipMessageSender;
  protocol: TransportProtocol;
}

export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'UDP';
}
