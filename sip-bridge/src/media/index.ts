// The media layer of the SIP bridge: what the call session (src/sip) and bridge.ts use. See docs/telephony-media.md.
export { CallRecorder, type CallRecorderOptions, type ChannelStats, type RecordingChannel, type RecordingResult } from './call-recorder';
export {
  DtmfReceiver,
  collectSurveyDigit,
  parseSipInfoDtmf,
  parseTelephoneEvent,
  type DtmfDigit,
  type DtmfDigitEnd,
  type DtmfDigitEvent,
  type DtmfDigitSource,
} from './dtmf';
export { G711_PAYLOAD_TYPES, G711_SAMPLE_RATE, codecForStaticPayloadType, decodeG711, encodeG711, type G711Codec } from './g711';
export { JitterBuffer, type JitterBufferOptions, type JitterBufferStats, type ReleasedPacket } from './jitter-buffer';
export { MediaTimeline } from './media-timeline';
export { PACKET_INTERVAL_MS, SAMPLES_PER_PACKET, PromptPlayer, loadPrompt, type PlayOutcome, type Prompt } from './prompt-player';
export { RtpEndpoint, RtpPortAllocator, type RtpPortRange, type RtpRemote } from './rtp-endpoint';
export { RtpParseError, parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet';
export { systemScheduler, type MediaScheduler } from './scheduler';
