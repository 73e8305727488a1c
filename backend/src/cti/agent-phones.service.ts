import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { UnprocessableException } from '../common/exceptions';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionService } from '../database/transaction.service';
import { AgentStateViews } from './agent-state-views';
import { AgentsRepository } from './agents.repository';
import { ACD_AGENT_ROLES } from './cti.enums';
import { EXTENSION_PATTERN, type PutAgentPhoneDto } from './dto/agents.dto';
import type { AgentPhoneResponse, RegistrarCredentialsResponse } from './dto/cti.response';
import { AgentPhone } from './entities/agent-phone.entity';

export const AGENT_PHONE_TARGET_TYPE = 'agent_phone';

/** HA1 of SIP digest authentication (RFC 2617 / 7616 with MD5): MD5(username:realm:password), lower-case hex. */
export function digestHa1(extension: string, realm: string, password: string): string {
  return createHash('md5').update(`${extension}:${realm}:${password}`, 'utf8').digest('hex');
}

/**
 * 分机管理: the administrators give agents extensions and SIP passwords; the bridge's registrar reads the HA1 back
 * (GET /api/cti/registrar/credentials/{extension}). The password itself is never stored nor audited.
 */
@Injectable()
export class AgentPhonesService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly states: AgentStateViews,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<AgentPhoneResponse[]> {
    const phones = await this.agents.phones();
    const users = await this.agents.users(phones.map((phone) => phone.userId));
    return phones.map((phone) => this.view(phone, users.get(phone.userId)));
  }

  /** Creates the extension or changes it (its agent, its password). */
  async put(actor: AuditActor, extension: string, dto: PutAgentPhoneDto): Promise<AgentPhoneResponse> {
    requireExtension(extension);
    const user = await this.agents.user(dto.userId);
    if (!user) throw new UnprocessableException(`User ${dto.userId} does not exist`);
    if (!user.active) throw new UnprocessableException(`User ${user.username} is deactivated`);
    if (!ACD_AGENT_ROLES.includes(user.role)) throw new UnprocessableException(`User ${user.username} is a ${user.role}: extensions are for agents (role ${ACD_AGENT_ROLES.join(', ')})`);
    const realm = this.config.cti.realm;
    let saved: AgentPhone;
    /** The agents whose extension this changed (the former owner, when it moves to another agent). */
    let concerned: number[];
    try {
      ({ saved, concerned } = await this.transactions.run(async (manager) => {
        const existing = await this.agents.phoneByExtension(extension, manager);
        if (!existing && dto.password === undefined) throw new BadRequestException(`Extension ${extension} is new: give its SIP password`);
        const other = await this.agents.phoneOfUser(dto.userId, manager);
        if (other && other.extension !== extension) throw new ConflictException(`${user.username} already has extension ${other.extension}: delete it first (one phone per agent)`);
        const phone = existing ?? Object.assign(new AgentPhone(), { extension, createdAt: this.clock.now() });
        const before = existing ? { userId: existing.userId, realm: existing.realm } : null;
        phone.userId = dto.userId;
        if (dto.password !== undefined) {
          phone.ha1 = digestHa1(extension, realm, dto.password);
          phone.realm = realm;
        }
        phone.updatedAt = this.clock.now();
        const result = await this.agents.savePhone(phone, manager);
        await this.audit.record(
          {
            actor,
            action: existing ? 'cti.agent_phone.update' : 'cti.agent_phone.create',
            targetType: AGENT_PHONE_TARGET_TYPE,
            targetId: extension,
            details: { before, after: { userId: result.userId, realm: result.realm }, passwordChanged: dto.password !== undefined },
          },
          manager,
        );
        return { saved: result, concerned: existing && existing.userId !== dto.userId ? [dto.userId, existing.userId] : [dto.userId] };
      }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Extension ${extension} or its agent changed at the same moment: look again and retry`);
      throw error;
    }
    // Their consoles show the extension with the state.
    await this.states.publish(concerned);
    return this.view(saved, user);
  }

  /** Removes the extension; its agent goes offline (the state row is kept for its history). */
  async remove(actor: AuditActor, extension: string): Promise<void> {
    requireExtension(extension);
    const userId = await this.transactions.run(async (manager) => {
      const phone = await this.agents.phoneByExtension(extension, manager);
      if (!phone) throw new NotFoundException(`Extension ${extension} does not exist`);
      const state = await this.agents.state(phone.userId, manager);
      if (state && state.currentCallId !== null) throw new ConflictException(`Extension ${extension} is ringing or in a call: remove it when the call has ended`);
      await this.agents.deletePhone(phone.id, manager);
      if (state) await this.agents.changeState(phone.userId, { state: state.state, currentCallId: null }, { state: 'offline', since: this.clock.now(), offlineAfterCall: false }, manager);
      await this.audit.record({ actor, action: 'cti.agent_phone.delete', targetType: AGENT_PHONE_TARGET_TYPE, targetId: extension, details: { before: { userId: phone.userId }, after: null } }, manager);
      return phone.userId;
    });
    await this.states.publish([userId]);
  }

  /** For the bridge's registrar: the HA1 and the realm it was computed with. */
  async credentials(extension: string): Promise<RegistrarCredentialsResponse> {
    requireExtension(extension);
    const phone = await this.agents.phoneByExtension(extension);
    if (!phone) throw new NotFoundException(`Extension ${extension} does not exist`);
    return { extension: phone.extension, ha1: phone.ha1, realm: phone.realm, userId: phone.userId };
  }

  private view(phone: AgentPhone, user: { username: string; displayName: string } | undefined): AgentPhoneResponse {
    return {
      extension: phone.extension,
      userId: phone.userId,
      username: user?.username ?? '',
      displayName: user?.displayName ?? '',
      realm: phone.realm,
      realmIsCurrent: phone.realm === this.config.cti.realm,
      updatedAt: phone.updatedAt.toISOString(),
    };
  }
}

function requireExtension(extension: string): void {
  if (!EXTENSION_PATTERN.test(extension)) throw new BadRequestException('The extension must be 2 to 16 digits');
}
