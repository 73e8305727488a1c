/** Why a call ended, as POST /api/cti/events names it. */
export type HangupCause = 'normalClearing' | 'busy' | 'cancel' | 'noAnswer' | 'failed';

interface CtiEventBase {
  callId: string;
  /** ISO time at the source: the outbox may deliver it much later, so the backend takes times from here. */
  at: string;
}

/**
 * The events the bridge posts to POST /api/cti/events (docs/cti.md). The backend ignores a second event
 * with the same callId + event, which is what makes replaying the outbox after a crash safe.
 */
export type CtiEvent =
  | (CtiEventBase & { event: 'newCall'; from: string; to: string; direction: 'inbound' })
  | (CtiEventBase & { event: 'queued' })
  | (CtiEventBase & { event: 'answer'; answeringAgent: string })
  | (CtiEventBase & { event: 'survey'; digit: string })
  | (CtiEventBase & { event: 'hangup'; cause: HangupCause });

export type CtiEventType = CtiEvent['event'];
