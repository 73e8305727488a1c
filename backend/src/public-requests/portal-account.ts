import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../database/database-errors';
import { UnitsService } from '../units/units.service';
import { PublicRequestsRepository } from './public-requests.repository';

/**
 * The account the portal registers and uploads as. The username starts with "@", which the user administration
 * never accepts (letters and digits first), so no person can hold it; the account is inactive and its password hash
 * is no hash at all, so it can never log in. It belongs to the center and has the agent role, because registration is
 * an agent's step: orders and files name it as registeredById / uploadedById, and their first timeline entry shows
 * "市民门户" as the one who registered them.
 */
export const PORTAL_USERNAME = '@portal';
export const PORTAL_DISPLAY_NAME = '市民门户';

@Injectable()
export class PortalAccount {
  private cached: AuthUser | null = null;

  constructor(
    private readonly repository: PublicRequestsRepository,
    private readonly units: UnitsService,
    private readonly clock: Clock,
  ) {}

  /** The portal's caller; the account is written on first use (the first citizen's request). */
  async caller(): Promise<AuthUser> {
    const center = await this.units.centerUnit();
    if (!center) throw new ServiceUnavailableException('The center is not set up yet: the portal cannot take requests');
    if (this.cached && this.cached.unitId === center.id) return { ...this.cached, unitName: center.name };
    let account = await this.repository.findAccount(PORTAL_USERNAME);
    if (!account) {
      const now = this.clock.now();
      try {
        await this.repository.insertAccount({
          username: PORTAL_USERNAME,
          displayName: PORTAL_DISPLAY_NAME,
          passwordHash: '!',
          role: 'agent',
          unitId: center.id,
          active: false,
          createdAt: now,
          updatedAt: now,
        });
      } catch (error) {
        // Another process wrote it first.
        if (!isUniqueViolation(error)) throw error;
      }
      account = await this.repository.findAccount(PORTAL_USERNAME);
      if (!account) throw new ServiceUnavailableException('The portal account could not be created');
    }
    this.cached = { id: account.id, username: account.username, displayName: account.displayName, role: 'agent', unitId: account.unitId, unitName: center.name };
    return this.cached;
  }
}
