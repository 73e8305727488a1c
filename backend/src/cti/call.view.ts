import type { CallDetailResponse, CallResponse } from './dto/cti.response';
import type { LinkedOrderRow } from './calls.repository';
import type { Call } from './entities/call.entity';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The URL the console plays a recording from. */
export const recordingUrl = (id: number) => `/api/calls/${id}/recording`;

/** A call record as lists show it; `names` holds the display names of the users it names, `linked` its linked orders. */
export function toCallView(call: Call, names: Map<number, string>, linked: { id: number; number: string }[]): CallResponse {
  const person = (id: number | null) => (id === null ? null : { id, displayName: names.get(id) ?? '' });
  return {
    id: call.id,
    callId: call.callId,
    direction: call.direction,
    fromNumber: call.fromNumber,
    toNumber: call.toNumber,
    status: call.status,
    cause: call.cause,
    startedAt: call.startedAt.toISOString(),
    ringingAt: iso(call.ringingAt),
    queuedAt: iso(call.queuedAt),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    waitSeconds: call.waitSeconds,
    talkSeconds: call.talkSeconds,
    answeringAgent: person(call.answeringAgentId),
    answeringExtension: call.answeringExtension,
    recording:
      call.recordingFile && call.recordingUploadedAt
        ? { url: recordingUrl(call.id), bytes: call.recordingBytes ?? 0, durationSeconds: (call.recordingDurationMs ?? 0) / 1000, uploadedAt: call.recordingUploadedAt.toISOString() }
        : null,
    survey: call.surveyDigit ? { digit: call.surveyDigit, rating: call.surveyRating } : null,
    calledBackAt: iso(call.calledBackAt),
    calledBackBy: person(call.calledBackById),
    workOrders: linked,
  };
}

export function toCallDetailView(call: Call, links: LinkedOrderRow[], names: Map<number, string>): CallDetailResponse {
  return {
    ...toCallView(call, names, []),
    workOrders: links.map(({ link, order }) => ({
      id: order.id,
      number: order.number,
      title: order.title,
      status: order.status,
      linkedAt: link.linkedAt.toISOString(),
      linkedBy: { id: link.linkedById, displayName: names.get(link.linkedById) ?? '' },
    })),
    version: call.version,
  };
}

/** Every user a call record (and its links) names. */
export function usersNamedBy(calls: Call[], links: LinkedOrderRow[] = []): number[] {
  return [...calls.flatMap((call) => [call.answeringAgentId, call.calledBackById]), ...links.map(({ link }) => link.linkedById)].filter((id): id is number => id !== null);
}
