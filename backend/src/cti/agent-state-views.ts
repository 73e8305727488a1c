import { Injectable, Logger } from '@nestjs/common';
import { AppEventBus } from '../events/app-events';
import type { AgentStateView } from './agent-state.view';
import { type AgentUser, AgentsRepository } from './agents.repository';
import { CallsRepository } from './calls.repository';
import type { AgentStateRow } from './entities/agent-state.entity';

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/**
 * Agents' states as the console and the live view show them, and their push: every change of an agent's state is
 * followed (after its transaction committed) by `cti.agentStateChanged` with the state as it is then, which the realtime
 * push sends to the agent's sockets as `cti.agentState`. The state is read again for the push rather than taken from
 * the change, so the last push an agent gets is what the database holds.
 */
@Injectable()
export class AgentStateViews {
  private readonly logger = new Logger(AgentStateViews.name);

  constructor(
    private readonly agents: AgentsRepository,
    private readonly calls: CallsRepository,
    private readonly events: AppEventBus,
  ) {}

  /** The states of these users (offline for one without a state row), in the order given; unknown users are left out. */
  async of(userIds: readonly number[]): Promise<AgentStateView[]> {
    const ids = [...new Set(userIds)];
    const [users, rows, phones] = await Promise.all([this.agents.users(ids), this.agents.statesOf(ids), this.agents.phonesOfUsers(ids)]);
    return this.views(
      ids.flatMap((id) => users.get(id) ?? []),
      new Map(rows.map((row) => [row.userId, row])),
      phones,
    );
  }

  /** Every agent with a phone or a state, by display name (the supervisors' live view). */
  async all(): Promise<AgentStateView[]> {
    const [rows, phones] = await Promise.all([this.agents.states(), this.agents.phones()]);
    const stateOf = new Map(rows.map((row) => [row.userId, row]));
    const extensionOf = new Map(phones.map((phone) => [phone.userId, phone.extension]));
    const users = await this.agents.users([...new Set([...stateOf.keys(), ...extensionOf.keys()])]);
    const views = await this.views([...users.values()], stateOf, extensionOf);
    return views.sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN') || a.userId - b.userId);
  }

  /** Pushes the current state of each of these agents (after the change committed). Never fails the caller's request. */
  async publish(userIds: readonly number[]): Promise<void> {
    if (userIds.length === 0) return;
    try {
      for (const view of await this.of(userIds)) this.events.emit('cti.agentStateChanged', view);
    } catch (error) {
      this.logger.warn(`The state of agent(s) ${userIds.join(', ')} changed but could not be pushed: ${String(error)}`);
    }
  }

  private async views(users: AgentUser[], stateOf: Map<number, AgentStateRow>, extensionOf: Map<number, string>): Promise<AgentStateView[]> {
    const callIds = users.flatMap((user) => stateOf.get(user.id)?.currentCallId ?? []);
    const recordIds = await this.calls.recordIdsOf(callIds);
    return users.map((user) => {
      const row = stateOf.get(user.id);
      const currentCallId = row?.currentCallId ?? null;
      return {
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        extension: extensionOf.get(user.id) ?? null,
        state: row?.state ?? 'offline',
        since: iso(row?.since),
        idleSince: iso(row?.idleSince),
        lastCallEndedAt: iso(row?.lastCallEndedAt),
        currentCallId,
        currentCallRecordId: currentCallId === null ? null : (recordIds.get(currentCallId) ?? null),
        version: row?.version ?? 0,
      };
    });
  }
}
