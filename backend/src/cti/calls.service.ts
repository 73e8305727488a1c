import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException } from '../common/exceptions';
import type { Page } from '../common/pagination';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionService } from '../database/transaction.service';
import { normalizePhone } from '../work-orders/dto/register-work-order.dto';
import { AgentStateViews } from './agent-state-views';
import { AgentsRepository } from './agents.repository';
import { CallSurveys } from './call-surveys';
import { toCallDetailView, toCallView, usersNamedBy } from './call.view';
import { CallsRepository } from './calls.repository';
import { ACD_AGENT_ROLES, CALL_BACK_STATUSES } from './cti.enums';
import type { CallBackListQueryDto, ListCallsQueryDto } from './dto/calls-query.dto';
import type { CallAgentResponse, CallDetailResponse, CallResponse, LiveViewResponse } from './dto/cti.response';
import type { Call } from './entities/call.entity';
import type { ScreenPopView } from './screen-pop.view';
import { ScreenPops } from './screen-pops';

/** How far back the live view looks for calls not ended (older ones lost their hangup and are not "live"). */
const LIVE_WINDOW_MS = 12 * 3600 * 1000;

/** Call records for the center's staff: lists, the call-back list, one call, linking orders, the supervisors' live view. */
@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly agents: AgentsRepository,
    private readonly agentStates: AgentStateViews,
    private readonly screenPops: ScreenPops,
    private readonly surveys: CallSurveys,
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

  /**
   * Links a work order registered during the call (the console does it after registering from a screen pop). When the
   * call's survey is in already, the order records it at once (and otherwise when the survey comes).
   */
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
    // Read after the link committed: a survey committed meanwhile is seen here, or its own copy sees this link.
    const current = (await this.calls.findById(id)) ?? call;
    await this.surveys.copyToOrders(current, workOrderId);
    return this.detailOf(current);
  }

  /**
   * The screen pop of a call again, for the agent it is offered to (ringing) or who answered it — a console that (re)loads
   * meanwhile. 403 for anyone else.
   */
  async screenPop(caller: AuthUser, id: number): Promise<ScreenPopView> {
    const call = await this.calls.findById(id);
    if (!call) throw callNotFound(id);
    const holder = await this.agents.holderOf(call.callId);
    const offeredToCaller = holder?.userId === caller.id;
    if (!offeredToCaller && call.answeringAgentId !== caller.id) {
      throw new ForbiddenException('The screen pop of a call is for the agent it is offered to or who answered it');
    }
    const agent = await this.agents.user(caller.id);
    if (!agent) throw new ForbiddenException('Your account is gone');
    const extension = (await this.agents.phoneOfUser(caller.id))?.extension ?? call.answeringExtension;
    return this.screenPops.of(call, agent, extension, call.offeredAt);
  }

  /** Every active account that answers calls, by name (the call list's agent filter). */
  async callAgents(): Promise<CallAgentResponse[]> {
    return (await this.agents.activeAgents(ACD_AGENT_ROLES)).map((user) => ({ id: user.id, username: user.username, displayName: user.displayName }));
  }

  /** The supervisors' live view: calls in progress, the queue, every agent's state. */
  async live(): Promise<LiveViewResponse> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - LIVE_WINDOW_MS);
    const [calls, queueLength, agents] = await Promise.all([this.calls.inProgress(since), this.calls.countQueued(since), this.agentStates.all()]);
    return { calls: await this.views(calls), queueLength, agents, at: now.toISOString() };
  }

  private async views(calls: Call[]): Promise<CallResponse[]> {
    const [names, linked] = await Promise.all([this.calls.userNames(usersNamedBy(calls)), this.calls.linkedOrderRefs(calls.map((call) => call.id))]);
    return calls.map((call) => toCallView(call, names, linked.get(call.id) ?? []));
  }
}

export function callNotFound(id: number): NotFoundException {
  return new NotFoundException(`Call record ${id} does not exist`);
}
