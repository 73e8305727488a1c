import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException } from '../common/exceptions';
import type { Page } from '../common/pagination';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionService } from '../database/transaction.service';
import { normalizePhone } from '../work-orders/dto/register-work-order.dto';
import { AgentsRepository } from './agents.repository';
import { toCallDetailView, toCallView, usersNamedBy } from './call.view';
import { CallsRepository } from './calls.repository';
import { CALL_BACK_STATUSES } from './cti.enums';
import type { CallBackListQueryDto, ListCallsQueryDto } from './dto/calls-query.dto';
import type { AgentStateResponse, CallDetailResponse, CallResponse, LiveViewResponse } from './dto/cti.response';
import type { Call } from './entities/call.entity';

/** How far back the live view looks for calls not ended (older ones lost their hangup and are not "live"). */
const LIVE_WINDOW_MS = 12 * 3600 * 1000;

/** Call records for the center's staff: lists, the call-back list, one call, linking orders, the supervisors' live view. */
@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly agents: AgentsRepository,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  async list(query: ListCallsQueryDto): Promise<Page<CallResponse>> {
    const { calls, total } = await this.calls.page(
      {
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        agentId: query.agentId,
        status: query.status,
        phone: query.phone?.trim() ? normalizePhone(query.phone.trim()) : undefined,
      },
      (query.page - 1) * query.pageSize,
      query.pageSize,
    );
    return { items: await this.views(calls), total, page: query.page, pageSize: query.pageSize };
  }

  async callBackList(query: CallBackListQueryDto): Promise<Page<CallResponse>> {
    const { calls, total } = await this.calls.callBackPage((query.page - 1) * query.pageSize, query.pageSize);
    return { items: await this.views(calls), total, page: query.page, pageSize: query.pageSize };
  }

  async detail(id: number): Promise<CallDetailResponse> {
    const call = await this.calls.findById(id);
    if (!call) throw callNotFound(id);
    return this.detailOf(call);
  }

  /** The detail view of a call read just now. */
  async detailOf(call: Call): Promise<CallDetailResponse> {
    const links = await this.calls.linkedOrders(call.id);
    return toCallDetailView(call, links, await this.calls.userNames(usersNamedBy([call], links)));
  }

  /** 回拨: an agent called the citizen back; the call leaves the call-back list. */
  async markCalledBack(caller: AuthUser, id: number): Promise<CallDetailResponse> {
    const call = await this.calls.findById(id);
    if (!call) throw callNotFound(id);
    if (!CALL_BACK_STATUSES.includes(call.status)) {
      throw new ConflictWithDetailsException(`Only a missed or abandoned call is called back; this call is ${call.status}`, { status: call.status });
    }
    const marked = await this.transactions.run((manager) => this.calls.markCalledBack(id, caller.id, this.clock.now(), manager));
    const current = (await this.calls.findById(id)) ?? call;
    if (!marked) {
      const names = await this.calls.userNames([current.calledBackById]);
      throw new ConflictWithDetailsException(
        `This call was already called back by ${names.get(current.calledBackById ?? 0) ?? 'someone'} at ${current.calledBackAt?.toISOString() ?? '?'}`,
        { calledBackAt: current.calledBackAt?.toISOString() ?? null, calledBackById: current.calledBackById },
      );
    }
    return this.detailOf(current);
  }

  /** Links a work order registered during the call (the console does it after registering from a screen pop). */
  async linkWorkOrder(caller: AuthUser, id: number, workOrderId: number): Promise<CallDetailResponse> {
    const call = await this.calls.findById(id);
    if (!call) throw callNotFound(id);
    if (!(await this.calls.workOrderExists(workOrderId))) throw new NotFoundException(`Work order ${workOrderId} does not exist`);
    if (await this.calls.isLinked(id, workOrderId)) throw new ConflictException(`Work order ${workOrderId} is already linked to this call`);
    try {
      await this.transactions.run((manager) => this.calls.insertLink({ callRecordId: id, workOrderId, linkedById: caller.id, linkedAt: this.clock.now() }, manager));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Work order ${workOrderId} is already linked to this call`);
      throw error;
    }
    return this.detailOf(call);
  }

  /** The supervisors' live view: calls in progress, the queue, every agent's state. */
  async live(): Promise<LiveViewResponse> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - LIVE_WINDOW_MS);
    const [calls, queueLength, agents] = await Promise.all([this.calls.inProgress(since), this.calls.countQueued(since), this.agentStates()]);
    return { calls: await this.views(calls), queueLength, agents, at: now.toISOString() };
  }

  /** Every agent with a phone or a state, by display name. */
  async agentStates(): Promise<AgentStateResponse[]> {
    const [states, phones] = await Promise.all([this.agents.states(), this.agents.phones()]);
    const stateOf = new Map(states.map((row) => [row.userId, row]));
    const extensionOf = new Map(phones.map((phone) => [phone.userId, phone.extension]));
    const users = await this.agents.users([...new Set([...stateOf.keys(), ...extensionOf.keys()])]);
    const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
    return [...users.values()]
      .map((user) => {
        const row = stateOf.get(user.id);
        return {
          userId: user.id,
          username: user.username,
          displayName: user.displayName,
          extension: extensionOf.get(user.id) ?? null,
          state: row?.state ?? 'offline',
          since: iso(row?.since),
          idleSince: iso(row?.idleSince),
          lastCallEndedAt: iso(row?.lastCallEndedAt),
          currentCallId: row?.currentCallId ?? null,
        } satisfies AgentStateResponse;
      })
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.userId - b.userId);
  }

  private async views(calls: Call[]): Promise<CallResponse[]> {
    const names = await this.calls.userNames(usersNamedBy(calls));
    return calls.map((call) => toCallView(call, names));
  }
}

export function callNotFound(id: number): NotFoundException {
  return new NotFoundException(`Call record ${id} does not exist`);
}
