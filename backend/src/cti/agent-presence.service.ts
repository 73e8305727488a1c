import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { AgentStateViews } from './agent-state-views';
import { AgentsRepository } from './agents.repository';
import { CallsRepository } from './calls.repository';

/** What became of an agent who logged out or left the console. */
export type AgentDeparture = 'offline' | 'after-call' | 'unchanged';

/** Attempts when the agent's state changes at the same moment (a call offered to them, say). */
const ATTEMPTS = 3;

/**
 * 坐席在线: an agent the ACD may offer calls to is at the console. They go offline when they log out, and when their last
 * console socket has been gone for CTI_AGENT_GRACE (realtime's CtiAgentPresenceListener watches the sockets) — but never
 * while a call rings at them or lasts: then they are marked offlineAfterCall and go offline when it is over (AcdService).
 * Back at the console before that, the mark is cleared. An offline agent sets themself ready again to take calls.
 */
@Injectable()
export class AgentPresenceService {
  private readonly logger = new Logger(AgentPresenceService.name);

  constructor(
    private readonly agents: AgentsRepository,
    private readonly calls: CallsRepository,
    private readonly states: AgentStateViews,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  /** The agent logged out, or has had no console socket for the grace period: offline now, or when their call is over. */
  async departed(userId: number, why: string): Promise<AgentDeparture> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const outcome = await this.transactions.run(async (manager): Promise<AgentDeparture | 'raced'> => {
        const row = await this.agents.state(userId, manager);
        if (!row || row.state === 'offline') return 'unchanged';
        const call = row.currentCallId === null ? null : await this.calls.findByCallId(row.currentCallId, manager);
        if (row.state === 'ringing' || (call !== null && call.endedAt === null)) {
          if (!row.offlineAfterCall) await this.agents.markOfflineAfterCall(userId, true, manager);
          return 'after-call';
        }
        const changed = await this.agents.changeState(
          userId,
          { state: row.state, currentCallId: row.currentCallId },
          { state: 'offline', since: this.clock.now(), currentCallId: null, offlineAfterCall: false },
          manager,
        );
        return changed ? 'offline' : 'raced';
      });
      if (outcome === 'raced') continue;
      if (outcome === 'offline') {
        this.logger.log(`Agent ${userId} is offline: ${why}`);
        await this.states.publish([userId]);
      } else if (outcome === 'after-call') {
        this.logger.log(`Agent ${userId} goes offline when their call is over: ${why}`);
      }
      return outcome;
    }
    this.logger.warn(`Agent ${userId}'s state kept changing while they went offline (${why}): left as it is`);
    return 'unchanged';
  }

  /** The agent is back at the console (a socket of theirs connected): a pending "offline after the call" is dropped. */
  async returned(userId: number): Promise<void> {
    const row = await this.agents.state(userId);
    if (!row?.offlineAfterCall) return;
    if (await this.transactions.run((manager) => this.agents.markOfflineAfterCall(userId, false, manager))) {
      this.logger.log(`Agent ${userId} is back at the console: stays in their state after the call`);
    }
  }
}
