import { ConflictException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { ConflictWithDetailsException, UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionService } from '../database/transaction.service';
import { AppEventBus } from '../events/app-events';
import type { AgentStateView } from './agent-state.view';
import { AgentStateViews } from './agent-state-views';
import { type AgentUser, AgentsRepository } from './agents.repository';
import { CallsRepository } from './calls.repository';
import type { AgentSettableState, CtiEventType } from './cti.enums';
import type { RouteResponse } from './dto/cti.response';
import type { AgentStateRow } from './entities/agent-state.entity';
import type { Call } from './entities/call.entity';
import { ScreenPops } from './screen-pops';

/** Attempts of one route before giving up: each lost race (another call took the agent) costs one. */
const ROUTE_ATTEMPTS = 20;

/** The agent an answer event names, resolved by extension or username. */
export interface AnsweringAgent {
  userId: number;
  extension: string | null;
}

/**
 * 排队与分配 (ACD): agents' states, offering a queued call to the ready agent idle the longest, moving on when an agent
 * does not answer, and keeping the states in step with the calls' events.
 *
 * An offer is a conditional UPDATE (ready and free → ringing with the call) so that two calls routed at once never get
 * the same agent, and the unique agent_states.currentCallId makes sure one call never rings at two agents.
 */
@Injectable()
export class AcdService {
  private readonly logger = new Logger(AcdService.name);

  constructor(
    private readonly agents: AgentsRepository,
    private readonly calls: CallsRepository,
    private readonly screenPops: ScreenPops,
    private readonly states: AgentStateViews,
    private readonly transactions: TransactionService,
    private readonly events: AppEventBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ownState(caller: AuthUser): Promise<AgentStateView> {
    const [own] = await this.states.of([caller.id]);
    if (!own) throw new Error(`User ${caller.id} vanished while reading their agent state`);
    return own;
  }

  /** An agent sets themself ready, busy or away. Not while a call rings at their phone or they are in a call. */
  async setOwnState(caller: AuthUser, state: AgentSettableState): Promise<AgentStateView> {
    const phone = await this.agents.phoneOfUser(caller.id);
    if (state === 'ready' && !phone) {
      throw new UnprocessableException('You have no extension yet: an administrator gives you a phone (PUT /api/cti/agent-phones/{extension}) before you can take calls');
    }
    const now = this.clock.now();
    await this.expireStaleOffers(now);
    let changed: boolean;
    try {
      changed = await this.transactions.run(async (manager) => {
        const row = await this.agents.state(caller.id, manager);
        if (!row) {
          await this.agents.insertState({ userId: caller.id, state, since: now, idleSince: now, lastCallEndedAt: null, currentCallId: null, offlineAfterCall: false }, manager);
          return true;
        }
        if (row.state === 'ringing') {
          throw new ConflictWithDetailsException('A call is ringing at your phone: answer it, or let it ring out (you are then set away)', { state: row.state, callId: row.currentCallId });
        }
        if (row.currentCallId !== null) {
          const call = await this.calls.findByCallId(row.currentCallId, manager);
          if (call && call.endedAt === null) {
            throw new ConflictWithDetailsException('You are in a call: you are ready again when it ends', { state: row.state, callId: row.currentCallId });
          }
        }
        if (row.state === state && row.currentCallId === null) return false;
        const applied = await this.agents.changeState(
          caller.id,
          { state: row.state, currentCallId: row.currentCallId },
          { state, since: now, currentCallId: null, idleSince: state === 'ready' ? now : row.idleSince, offlineAfterCall: false },
          manager,
        );
        if (!applied) throw new ConflictException('Your state changed at the same moment (a call was offered?): look again and retry');
        return true;
      });
    } catch (error) {
      // Two first settings of one agent at once: the primary key took one.
      if (isUniqueViolation(error)) throw new ConflictException('Your state changed at the same moment: look again and retry');
      throw error;
    }
    if (changed) await this.states.publish([caller.id]);
    return this.ownState(caller);
  }

  /**
   * Offers the call to the ready agent idle the longest: that agent is set ringing and gets the screen pop. Asked again
   * for a call already ringing at an agent, answers that agent again. 409 with details.queued when nobody is ready.
   */
  async route(callId: string): Promise<RouteResponse> {
    const now = this.clock.now();
    await this.expireStaleOffers(now);
    if (!(await this.calls.findByCallId(callId))) {
      // Routed before its newCall arrived (the bridge's outbox is behind): a record for the events to fill in.
      await this.transactions.run((manager) => this.calls.insertIfMissing({ callId, direction: 'inbound', status: 'ringing', startedAt: now }, now, manager));
    }
    for (let attempt = 1; attempt <= ROUTE_ATTEMPTS; attempt++) {
      let outcome: { kind: 'offered' | 'already'; userId: number; extension: string; call: Call } | { kind: 'nobody' } | { kind: 'lost' };
      try {
        // Reads without locks, then one conditional UPDATE of the chosen agent's row: a race lost to another call
        // (the agent is no longer ready) or to another route of this call (the unique currentCallId) is tried again.
        outcome = await this.transactions.run(async (manager) => {
          const call = await this.calls.findByCallId(callId, manager);
          if (!call) throw new Error(`The call ${callId} vanished while being routed`);
          if (call.endedAt) throw new ConflictWithDetailsException('The call has ended: there is nobody to connect', { status: call.status });
          if (call.answeredAt) throw new ConflictWithDetailsException('The call has already been answered', { status: call.status, answeringAgentId: call.answeringAgentId });
          const holder = await this.agents.holderOf(callId, manager);
          if (holder && holder.state === 'ringing') {
            const phone = await this.agents.phoneOfUser(holder.userId, manager);
            if (phone) return { kind: 'already', userId: holder.userId, extension: phone.extension, call };
          }
          const candidate = await this.agents.longestIdleReady([], manager);
          if (!candidate) return { kind: 'nobody' };
          const claimed = await this.agents.changeState(candidate.userId, { state: 'ready', currentCallId: null }, { state: 'ringing', since: now, currentCallId: callId }, manager);
          return claimed ? { kind: 'offered', ...candidate, call } : { kind: 'lost' };
        });
      } catch (error) {
        if (isUniqueViolation(error) || isTransientConflict(error)) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
      if (outcome.kind === 'lost') {
        await pause(attempt);
        continue;
      }
      if (outcome.kind === 'nobody') {
        const queueLength = await this.calls.countQueued(new Date(now.getTime() - 12 * 3600 * 1000));
        throw new ConflictWithDetailsException('No agent is ready: the caller stays in the queue', { queued: true, queueLength });
      }
      const agent = await this.agents.user(outcome.userId);
      if (outcome.kind === 'offered') {
        await this.calls.setOfferedAt(callId, now);
        await this.states.publish([outcome.userId]);
        if (agent) await this.popScreen(outcome.call, agent, outcome.extension, now);
      }
      return {
        callId,
        agent: { id: outcome.userId, username: agent?.username ?? '', displayName: agent?.displayName ?? '' },
        extension: outcome.extension,
        ringTimeoutSeconds: this.config.cti.ringTimeoutSeconds,
      };
    }
    throw new ServiceUnavailableException('The agents are taken by other calls being routed at the same moment: ask again');
  }

  /**
   * The agent offered the call did not answer in time: they are set away (offline when they left the console meanwhile),
   * and the next ready agent is tried.
   */
  async noAnswer(callId: string): Promise<RouteResponse> {
    const now = this.clock.now();
    const missed = await this.transactions.run(async (manager) => {
      const holder = await this.agents.holderOf(callId, manager);
      if (!holder || holder.state !== 'ringing') return null;
      const changed = await this.agents.changeState(holder.userId, { state: 'ringing', currentCallId: callId }, afterCall(holder, { state: 'away', since: now, currentCallId: null }), manager);
      if (changed) this.logger.log(`Agent ${holder.userId} did not answer ${callId}: set away`);
      return changed ? holder.userId : null;
    });
    if (missed !== null) await this.states.publish([missed]);
    return this.route(callId);
  }

  /**
   * Keeps the agents' states in step with a call's event (inside the event's transaction): an answer puts the answering
   * agent in the call (busy) and withdraws an offer to anyone else; the hangup frees whoever held the call — an offer
   * withdrawn leaves the agent's place in the idle order, a finished call puts them at its end. An agent who left the
   * console during the call (offlineAfterCall) goes offline instead of ready. Answers the agents whose state changed
   * (for the caller to push once the transaction committed).
   */
  async followCallEvent(call: Call, event: CtiEventType, answering: AnsweringAgent | null, at: Date, manager: EntityManager): Promise<number[]> {
    const now = this.clock.now();
    const changed: number[] = [];
    const holder = await this.agents.holderOf(call.callId, manager);
    if (event === 'answer' && answering) {
      if (holder && holder.userId !== answering.userId) {
        if (await this.agents.changeState(holder.userId, { state: holder.state, currentCallId: call.callId }, afterCall(holder, { state: 'ready', since: now, currentCallId: null }), manager)) {
          changed.push(holder.userId);
        }
      }
      if (call.endedAt !== null) return changed; // the answer came after the hangup (a replay): the call is over already
      const own = holder?.userId === answering.userId ? holder : await this.agents.state(answering.userId, manager);
      if (!own) {
        await this.agents.insertState({ userId: answering.userId, state: 'busy', since: now, idleSince: now, lastCallEndedAt: null, currentCallId: call.callId, offlineAfterCall: false }, manager);
        changed.push(answering.userId);
      } else if (await this.agents.changeState(answering.userId, { state: own.state, currentCallId: own.currentCallId }, { state: 'busy', since: now, currentCallId: call.callId }, manager)) {
        changed.push(answering.userId);
      }
      return changed;
    }
    if (event === 'hangup' && holder) {
      const finishedCall = holder.state === 'busy';
      const freed = await this.agents.changeState(
        holder.userId,
        { state: holder.state, currentCallId: call.callId },
        afterCall(holder, finishedCall ? { state: 'ready', since: now, idleSince: at, lastCallEndedAt: at, currentCallId: null } : { state: 'ready', since: now, currentCallId: null }),
        manager,
      );
      if (freed) changed.push(holder.userId);
    }
    return changed;
  }

  /** The agent an answer names: an extension of agent_phones, else a username; null when neither is known. */
  async resolveAgent(name: string): Promise<AnsweringAgent | null> {
    const phone = await this.agents.phoneByExtension(name);
    if (phone) return { userId: phone.userId, extension: phone.extension };
    const user = await this.agents.userByUsername(name);
    if (!user) return null;
    return { userId: user.id, extension: (await this.agents.phoneOfUser(user.id))?.extension ?? null };
  }

  /** Offers that rang for more than twice the ring timeout lost their no-answer (a bridge restart): set away. */
  private async expireStaleOffers(now: Date): Promise<void> {
    const before = new Date(now.getTime() - 2 * this.config.cti.ringTimeoutSeconds * 1000);
    // A read first: the common case (nothing stale) takes no lock.
    if (!(await this.agents.hasOffersSince(before))) return;
    const expired = await this.transactions.run((manager) => this.agents.expireOffers(before, now, manager));
    if (expired.length > 0) {
      this.logger.warn(`${expired.length} offer(s) rang longer than ${2 * this.config.cti.ringTimeoutSeconds} s without an answer or no-answer: agents set away`);
      await this.states.publish(expired);
    }
  }

  /** Sends the screen pop (after the offer committed); a failure to read the caller's history never fails the route. */
  private async popScreen(call: Call, agent: AgentUser, extension: string, offeredAt: Date): Promise<void> {
    const pop = await this.screenPops.of(call, agent, extension, offeredAt);
    this.events.emit('cti.callOffered', { ...pop, offeredAt: offeredAt.toISOString() });
  }
}

/** TransactionService's 409 after InnoDB deadlocks or lock waits (not one of this service's own 409s, which carry details). */
function isTransientConflict(error: unknown): boolean {
  return error instanceof ConflictException && !(error instanceof ConflictWithDetailsException);
}

/** A short, growing, jittered pause after a lost race, so that the routes racing for one agent spread out. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(50, attempt * 5) + randomInt(10)));
}

/**
 * The state an agent goes to when a call stops ringing at them or ends: `normal`, or offline when they logged out or
 * left the console meanwhile (offlineAfterCall, which it clears).
 */
export function afterCall(row: Pick<AgentStateRow, 'offlineAfterCall'>, normal: StateChanges): StateChanges {
  return row.offlineAfterCall ? { ...normal, state: 'offline', offlineAfterCall: false } : normal;
}

type StateChanges = Parameters<AgentsRepository['changeState']>[2];
