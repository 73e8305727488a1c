import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { UnitsService } from '../units/units.service';
import { isUnitRole, type Role } from '../users/role';

/** Who may open the reports: the center's supervisors, administrators and dispatchers; a unit's unit_admin (its subtree). */
export const REPORT_ROLES: Role[] = ['supervisor', 'admin', 'dispatcher', 'unit_admin'];

/**
 * What a report covers: a unit's subtree, or the whole center. Scoped like every list: unit staff see their own unit
 * and the units below it, never more.
 */
export interface ReportScope {
  /** The subtree's root; null = the whole center. */
  unitId: number | null;
  /** The units whose orders count (the root and every unit below it); null = every unit. */
  unitIds: number[] | null;
}

@Injectable()
export class ReportScopeService {
  constructor(private readonly units: UnitsService) {}

  /**
   * The scope of a report the caller asked for, with `unitId` or without. Unit staff get their own subtree when they
   * name no unit, and a unit outside it answers 404 as if it did not exist (as for orders); center staff the whole
   * center, or the subtree of the unit they name.
   */
  async resolve(caller: AuthUser, unitId?: number | null): Promise<ReportScope> {
    if (unitId !== undefined && unitId !== null) {
      const unit = await this.units.find(unitId);
      if (!unit) throw new NotFoundException(`Unit ${unitId} not found`);
      if (isUnitRole(caller.role)) {
        const own = await this.units.subtreeIds(caller.unitId);
        if (!own.includes(unitId)) throw new NotFoundException(`Unit ${unitId} not found`);
      }
      return { unitId, unitIds: await this.units.subtreeIds(unitId) };
    }
    if (isUnitRole(caller.role)) return { unitId: caller.unitId, unitIds: await this.units.subtreeIds(caller.unitId) };
    return { unitId: null, unitIds: null };
  }
}
