import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/page.response';
import { WORK_ORDER_STATUS_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { WorkOrderStatus } from '../../work-orders/work-order.enums';
import type { AgentStateView } from '../agent-state.view';
import type { ScreenPopOrder, ScreenPopRepeatCandidate, ScreenPopView } from '../screen-pop.view';
import {
  AGENT_STATES,
  type AgentState,
  CALL_CAUSES,
  CALL_DIRECTIONS,
  CALL_STATUSES,
  type CallCause,
  type CallDirection,
  type CallStatus,
  SURVEY_RATINGS,
  type SurveyRating,
} from '../cti.enums';

const dateTime = { type: String, format: 'date-time' } as const;
const nullableDateTime = { ...dateTime, nullable: true } as const;

export class CallPersonResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;
}

export class CallRecordingResponse {
  @ApiProperty({ example: '/api/calls/17/recording', description: 'GET it (audio/wav, HTTP Range supported) with the access token' })
  url: string;

  @ApiProperty({ type: 'integer', description: 'Size of the WAV file' })
  bytes: number;

  @ApiProperty({ type: 'number', example: 184.5, description: 'The audio’s duration from the WAV header, seconds with milliseconds' })
  durationSeconds: number;

  @ApiProperty(dateTime)
  uploadedAt: string;
}

export class CallSurveyResponse {
  @ApiProperty({ example: '1', description: 'The key pressed' })
  digit: string;

  @ApiProperty({ enum: SURVEY_RATINGS, enumName: 'SurveyRating', nullable: true, description: '1 satisfied, 2 basically_satisfied, 3 dissatisfied; null for another key' })
  rating: SurveyRating | null;
}

/** A call record as lists show it. */
export class CallResponse {
  @ApiProperty({ type: 'integer', description: 'The record’s id (GET /api/calls/{id})' })
  id: number;

  @ApiProperty({ example: 'a84b4c76e66710@pbx.example', description: 'The SIP Call-ID or the PBX’s id' })
  callId: string;

  @ApiProperty({ enum: CALL_DIRECTIONS, enumName: 'CallDirection' })
  direction: CallDirection;

  @ApiProperty({ type: String, nullable: true, example: '13800138000' })
  fromNumber: string | null;

  @ApiProperty({ type: String, nullable: true, example: '12345' })
  toNumber: string | null;

  @ApiProperty({
    enum: CALL_STATUSES,
    enumName: 'CallStatus',
    description: 'ringing, queued, answered; once ended unanswered: missed (never queued), abandoned (hung up in the queue) or failed (cause failed)',
  })
  status: CallStatus;

  @ApiProperty({ enum: CALL_CAUSES, enumName: 'CallCause', nullable: true, description: 'Why it ended; null while it lasts' })
  cause: CallCause | null;

  @ApiProperty({ ...dateTime, description: 'The earliest time its events gave' })
  startedAt: string;

  @ApiProperty(nullableDateTime)
  ringingAt: string | null;

  @ApiProperty(nullableDateTime)
  queuedAt: string | null;

  @ApiProperty(nullableDateTime)
  answeredAt: string | null;

  @ApiProperty(nullableDateTime)
  endedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Seconds from arrival (ringing, else queued) to the answer, or to the end of an unanswered call' })
  waitSeconds: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Seconds from the answer to the end; null when unanswered or still going on' })
  talkSeconds: number | null;

  @ApiProperty({ type: CallPersonResponse, nullable: true, description: 'The agent who answered' })
  answeringAgent: CallPersonResponse | null;

  @ApiProperty({ type: String, nullable: true, example: '8001', description: 'The extension (or the PBX’s agent name) that answered' })
  answeringExtension: string | null;

  @ApiProperty({ type: CallRecordingResponse, nullable: true })
  recording: CallRecordingResponse | null;

  @ApiProperty({ type: CallSurveyResponse, nullable: true, description: 'The post-call satisfaction survey; null when no key was pressed' })
  survey: CallSurveyResponse | null;

  @ApiProperty({ ...nullableDateTime, description: '回拨: when an agent called back this missed or abandoned call' })
  calledBackAt: string | null;

  @ApiProperty({ type: CallPersonResponse, nullable: true })
  calledBackBy: CallPersonResponse | null;

  @ApiProperty({ type: () => [CallWorkOrderRefResponse], description: 'The work orders linked to the call, in the order they were linked (the detail gives more of each)' })
  workOrders: CallWorkOrderRefResponse[];
}

/** A work order linked to a call, as lists name it. */
export class CallWorkOrderRefResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '20261202000001' })
  number: string;
}

export class CallWorkOrderResponse extends CallWorkOrderRefResponse {
  @ApiProperty({ example: '路灯不亮' })
  title: string;

  @ApiProperty({ example: 'registered' })
  status: string;

  @ApiProperty(dateTime)
  linkedAt: string;

  @ApiProperty({ type: CallPersonResponse })
  linkedBy: CallPersonResponse;
}

/** One call with the work orders linked to it. */
export class CallDetailResponse extends CallResponse {
  @ApiProperty({ type: [CallWorkOrderResponse], description: 'Orders registered during (or because of) the call, in the order they were linked' })
  override workOrders: CallWorkOrderResponse[];

  @ApiProperty({ type: 'integer', description: 'Bumped by every change of the record' })
  version: number;
}

export class CallPageResponse extends PageResponse {
  @ApiProperty({ type: [CallResponse] })
  items: CallResponse[];
}

export class CtiEventResponse {
  @ApiProperty({ description: 'true: this event of this call had already been accepted; nothing changed' })
  duplicate: boolean;

  @ApiProperty({ type: CallDetailResponse, description: 'The call record after the event' })
  call: CallDetailResponse;
}

export class RoutedAgentResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'agent1' })
  username: string;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;
}

export class RouteResponse {
  @ApiProperty({ example: 'a84b4c76e66710@pbx.example' })
  callId: string;

  @ApiProperty({ type: RoutedAgentResponse, description: 'The agent now ringing (state ringing)' })
  agent: RoutedAgentResponse;

  @ApiProperty({ example: '8001', description: 'The extension to ring (its registered contact)' })
  extension: string;

  @ApiProperty({ type: 'integer', example: 15, description: 'CTI_RING_TIMEOUT: after this long unanswered, POST …/no-answer' })
  ringTimeoutSeconds: number;
}

/** 坐席状态 (agent-state.view.ts); also the payload of the socket.io push `cti.agentState`. */
export class AgentStateResponse implements AgentStateView {
  @ApiProperty({ type: 'integer' })
  userId: number;

  @ApiProperty({ example: 'agent1' })
  username: string;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;

  @ApiProperty({ type: String, nullable: true, example: '8001', description: 'The agent’s extension; null without a phone' })
  extension: string | null;

  @ApiProperty({ enum: AGENT_STATES, enumName: 'AgentState' })
  state: AgentState;

  @ApiProperty({ ...nullableDateTime, description: 'When the state began; null for an agent who never set one (offline)' })
  since: string | null;

  @ApiProperty({ ...nullableDateTime, description: 'Free for calls since (the ACD offers a call to the ready agent idle the longest)' })
  idleSince: string | null;

  @ApiProperty(nullableDateTime)
  lastCallEndedAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The call ringing at the agent or in progress with them (its SIP Call-ID)' })
  currentCallId: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The record of that call (GET /api/calls/{id}, …/screen-pop); null without a call' })
  currentCallRecordId: number | null;

  @ApiProperty({ type: 'integer', description: 'Moves on with every change of the agent’s state (0: never set): a cti.agentState push older than the state shown is stale' })
  version: number;
}

export class LiveViewResponse {
  @ApiProperty({ type: [CallResponse], description: 'Calls not ended (that started in the last 12 hours), the oldest first' })
  calls: CallResponse[];

  @ApiProperty({ type: 'integer', description: 'Queued calls nobody has answered yet' })
  queueLength: number;

  @ApiProperty({ type: [AgentStateResponse], description: 'Every agent with a phone or a state, by name' })
  agents: AgentStateResponse[];

  @ApiProperty(dateTime)
  at: string;
}

export class AgentPhoneResponse {
  @ApiProperty({ example: '8001' })
  extension: string;

  @ApiProperty({ type: 'integer' })
  userId: number;

  @ApiProperty({ example: 'agent1' })
  username: string;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;

  @ApiProperty({ example: 'jiesu', description: 'The realm its HA1 was computed with' })
  realm: string;

  @ApiProperty({ description: 'false: CTI_REALM changed since the password was set; set it again' })
  realmIsCurrent: boolean;

  @ApiProperty(dateTime)
  updatedAt: string;
}

export class RegistrarCredentialsResponse {
  @ApiProperty({ example: '8001' })
  extension: string;

  @ApiProperty({ example: '939e7578ed9e3c518a452acee763bce9', description: 'MD5(extension:realm:password), lower-case hex' })
  ha1: string;

  @ApiProperty({ example: 'jiesu' })
  realm: string;

  @ApiProperty({ type: 'integer', description: 'The agent the extension belongs to' })
  userId: number;
}

/** An account that answers calls (the call list's agent filter). */
export class CallAgentResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: 'agent1' })
  username: string;

  @ApiProperty({ example: '话务员张敏' })
  displayName: string;
}

export class ScreenPopOrderResponse implements ScreenPopOrder {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '20261130000012' })
  number: string;

  @ApiProperty({ example: '路灯不亮' })
  title: string;

  @ApiProperty({ ...WORK_ORDER_STATUS_SCHEMA })
  status: WorkOrderStatus;

  @ApiProperty(dateTime)
  createdAt: string;
}

export class ScreenPopRepeatCandidateResponse extends ScreenPopOrderResponse implements ScreenPopRepeatCandidate {
  @ApiProperty({ type: 'integer', nullable: true, description: 'The matter (事项) the repeat detector put the order in: the id of its first order; null when it never recorded it' })
  matterId: number | null;

  @ApiProperty({ description: 'Some order of that matter is still open (not closed, merged, cancelled or invalid); without a matter: the order itself is' })
  matterOpen: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: '重复件: the original this order was marked a repeat of' })
  repeatOfId: number | null;
}

/** 弹屏: what the socket.io push `cti.screenPop` carries, read again by a console (re)loaded during the call. */
export class ScreenPopResponse implements ScreenPopView {
  @ApiProperty({ example: 'a84b4c76e66710@pbx.example' })
  callId: string;

  @ApiProperty({ type: 'integer', description: 'The call record (GET /api/calls/{id}); link orders registered during the call to it' })
  callRecordId: number;

  @ApiProperty({ type: 'integer', description: 'The agent the call is offered to (or who answered it)' })
  userId: number;

  @ApiProperty({ type: String, nullable: true, example: '8001', description: 'The agent’s extension (the one that answered, for a call answered elsewhere); null when unknown' })
  extension: string | null;

  @ApiProperty({ type: String, nullable: true, example: '13800138000', description: 'The caller’s number (pre-fills the intake form); null until the call’s newCall arrived' })
  fromNumber: string | null;

  @ApiProperty({ type: String, nullable: true, example: '12345' })
  toNumber: string | null;

  @ApiProperty({ ...nullableDateTime, description: 'When the ACD last offered the call (always set in the push); null for a call the ACD never offered' })
  offeredAt: string | null;

  @ApiProperty({ type: [ScreenPopOrderResponse], description: 'The caller’s orders by citizen phone that the agent may see, newest first, at most 10' })
  earlierOrders: ScreenPopOrderResponse[];

  @ApiProperty({ type: 'integer', description: 'How many such orders there are in all' })
  earlierOrdersTotal: number;

  @ApiProperty({
    type: [ScreenPopRepeatCandidateResponse],
    description: '疑似重复: the caller’s orders within REPEAT_WINDOW_DAYS that are open or whose matter is open, newest first, at most 5',
  })
  repeatCandidates: ScreenPopRepeatCandidateResponse[];
}
