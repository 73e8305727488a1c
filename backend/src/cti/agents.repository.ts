import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Unit } from '../units/unit.entity';
import type { Role } from '../users/role';
import { User } from '../users/user.entity';
import type { AgentState } from './cti.enums';
import { AgentPhone } from './entities/agent-phone.entity';
import { AgentStateRow } from './entities/agent-state.entity';

/** The agent the ACD picked, with the extension to ring. */
export interface ReadyAgent {
  userId: number;
  extension: string;
}

/** What an account looks like to the CTI module. */
export type AgentUser = Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'unitId' | 'active'>;

/** Agents' phones and states. Every write takes the caller's transaction manager. */
@Injectable()
export class AgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  // ── phones ──

  phones(): Promise<AgentPhone[]> {
    return this.dataSource.getRepository(AgentPhone).find({ order: { extension: 'ASC' } });
  }

  phoneByExtension(extension: string, manager?: EntityManager): Promise<AgentPhone | null> {
    return this.m(manager).getRepository(AgentPhone).findOne({ where: { extension } });
  }

  phoneOfUser(userId: number, manager?: EntityManager): Promise<AgentPhone | null> {
    return this.m(manager).getRepository(AgentPhone).findOne({ where: { userId } });
  }

  async phonesOfUsers(userIds: number[]): Promise<Map<number, string>> {
    if (userIds.length === 0) return new Map();
    const phones = await this.dataSource.getRepository(AgentPhone).find({ where: { userId: In(userIds) } });
    return new Map(phones.map((phone) => [phone.userId, phone.extension]));
  }

  async savePhone(phone: AgentPhone, manager: EntityManager): Promise<AgentPhone> {
    return manager.getRepository(AgentPhone).save(phone);
  }

  async deletePhone(id: number, manager: EntityManager): Promise<void> {
    await manager.getRepository(AgentPhone).delete({ id });
  }

  // ── users ──

  user(id: number, manager?: EntityManager): Promise<AgentUser | null> {
    return this.m(manager)
      .getRepository(User)
      .findOne({ select: { id: true, username: true, displayName: true, role: true, unitId: true, active: true }, where: { id } });
  }

  userByUsername(username: string, manager?: EntityManager): Promise<AgentUser | null> {
    return this.m(manager)
      .getRepository(User)
      .findOne({ select: { id: true, username: true, displayName: true, role: true, unitId: true, active: true }, where: { username } });
  }

  async users(ids: number[]): Promise<Map<number, AgentUser>> {
    if (ids.length === 0) return new Map();
    const users = await this.dataSource
      .getRepository(User)
      .find({ select: { id: true, username: true, displayName: true, role: true, unitId: true, active: true }, where: { id: In(ids) } });
    return new Map(users.map((user) => [user.id, user]));
  }

  async unitName(unitId: number): Promise<string> {
    const unit = await this.dataSource.getRepository(Unit).findOne({ select: { id: true, name: true }, where: { id: unitId } });
    return unit?.name ?? '';
  }

  // ── states ──

  state(userId: number, manager?: EntityManager): Promise<AgentStateRow | null> {
    return this.m(manager).getRepository(AgentStateRow).findOne({ where: { userId } });
  }

  states(): Promise<AgentStateRow[]> {
    return this.dataSource.getRepository(AgentStateRow).find();
  }

  /** The agent the call is offered to (ringing) or in progress with, if any. */
  holderOf(callId: string, manager?: EntityManager): Promise<AgentStateRow | null> {
    return this.m(manager).getRepository(AgentStateRow).findOne({ where: { currentCallId: callId } });
  }

  async insertState(row: Omit<AgentStateRow, 'user' | 'version'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(AgentStateRow).insert({ ...row, version: 1 });
  }

  /**
   * Changes the agent's state only if it still is `expected` (state and current call), bumping the version; false
   * when something else changed it first.
   */
  async changeState(
    userId: number,
    expected: { state: AgentState; currentCallId: string | null },
    changes: Partial<Pick<AgentStateRow, 'state' | 'since' | 'idleSince' | 'lastCallEndedAt' | 'currentCallId' | 'offlineAfterCall'>>,
    manager: EntityManager,
  ): Promise<boolean> {
    const query = manager
      .createQueryBuilder()
      .update(AgentStateRow)
      .set({ ...changes, version: () => 'version + 1' })
      .where('userId = :userId AND state = :state', { userId, state: expected.state });
    if (expected.currentCallId === null) query.andWhere('currentCallId IS NULL');
    else query.andWhere('currentCallId = :callId', { callId: expected.currentCallId });
    return (await query.execute()).affected === 1;
  }

  /**
   * The ready agent idle the longest (oldest idleSince, then lowest id) who has a phone and an active account,
   * skipping `excluded`; null when nobody is ready.
   */
  async longestIdleReady(excluded: number[], manager: EntityManager): Promise<ReadyAgent | null> {
    const query = manager
      .getRepository(AgentStateRow)
      .createQueryBuilder('s')
      .innerJoin(AgentPhone, 'p', 'p.userId = s.userId')
      .innerJoin(User, 'u', 'u.id = s.userId AND u.active = :active', { active: true })
      .select('s.userId', 'userId')
      .addSelect('p.extension', 'extension')
      .where('s.state = :ready', { ready: 'ready' })
      .andWhere('s.currentCallId IS NULL');
    if (excluded.length > 0) query.andWhere('s.userId NOT IN (:...excluded)', { excluded });
    const row = await query.orderBy('s.idleSince', 'ASC').addOrderBy('s.userId', 'ASC').limit(1).getRawOne<{ userId: number | string; extension: string }>();
    return row ? { userId: Number(row.userId), extension: row.extension } : null;
  }

  async hasOffersSince(before: Date): Promise<boolean> {
    return (
      (await this.dataSource
        .getRepository(AgentStateRow)
        .createQueryBuilder('s')
        .where('s.state = :ringing AND s.since < :before', { ringing: 'ringing', before })
        .getCount()) > 0
    );
  }

  /**
   * Offers left ringing since before `before` (the bridge never said how they ended): the agents are set away — offline
   * when they left the console meanwhile (offlineAfterCall). Answers the agents changed.
   */
  async expireOffers(before: Date, now: Date, manager: EntityManager): Promise<number[]> {
    const stale = await manager
      .getRepository(AgentStateRow)
      .createQueryBuilder('s')
      .select(['s.userId', 's.offlineAfterCall'])
      .where('s.state = :ringing AND s.since < :before', { ringing: 'ringing', before })
      .getMany();
    const expired: number[] = [];
    for (const row of stale) {
      const result = await manager
        .createQueryBuilder()
        .update(AgentStateRow)
        .set({ state: row.offlineAfterCall ? 'offline' : 'away', since: now, currentCallId: null, offlineAfterCall: false, version: () => 'version + 1' })
        .where('userId = :userId AND state = :ringing AND since < :before', { userId: row.userId, ringing: 'ringing', before })
        .execute();
      if (result.affected === 1) expired.push(row.userId);
    }
    return expired;
  }

  /** Sets or clears the agent's offlineAfterCall, if it is not so already; false when nothing changed. */
  async markOfflineAfterCall(userId: number, value: boolean, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(AgentStateRow)
      .set({ offlineAfterCall: value, version: () => 'version + 1' })
      .where('userId = :userId AND offlineAfterCall = :current', { userId, current: !value })
      .execute();
    return result.affected === 1;
  }

  /** The states of these agents (those who have a row). */
  statesOf(userIds: readonly number[]): Promise<AgentStateRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(AgentStateRow).find({ where: { userId: In([...userIds]) } });
  }

  /** Every active account that answers calls (ACD_AGENT_ROLES), by display name. */
  activeAgents(roles: readonly Role[]): Promise<AgentUser[]> {
    return this.dataSource
      .getRepository(User)
      .find({ select: { id: true, username: true, displayName: true, role: true, unitId: true, active: true }, where: { role: In([...roles]), active: true }, order: { displayName: 'ASC', id: 'ASC' } });
  }
}
