export { CallFlow, numberOf, type AgentDistributor, type CallEventSink, type CallFlowOptions, type CallPrompts } from './call-flow';
export { AGENT_TELEPHONE_EVENT_PAYLOAD_TYPE, agentOfferSdp, legCodecOf, relayPacket, type LegCodec } from './leg-media';
