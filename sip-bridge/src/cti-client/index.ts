// The bridge's link to the backend's CTI API: the durable outbox and the request-response calls. See docs/telephony.md.
export { CtiBackendClient, type CtiBackendClientOptions, type DeliveryResult, type RouteResult } from './backend-client';
export type { CtiEvent, CtiEventType, HangupCause } from './cti-events';
export { CtiOutbox, type CtiOutboxOptions, type OutboxDelivery } from './cti-outbox';
export { JOURNAL_FILE, OutboxJournal, type JournalEntry, type OutboxItem } from './outbox-journal';
