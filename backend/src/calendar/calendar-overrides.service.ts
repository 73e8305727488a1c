import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { UnprocessableException } from '../common/exceptions';
import { TransactionService } from '../database/transaction.service';
import { CalendarOverrideEntity } from './calendar-override.entity';
import { CalendarOverridesRepository } from './calendar-overrides.repository';
import type { DayKind } from './day-kind';
import type { CreateOverrideDto, ListOverridesQueryDto, UpdateOverrideDto } from './dto/calendar.dto';
import type { CalendarOverrideListResponse, CalendarOverrideResponse } from './dto/calendar.response';
import { isWeekend, parseLocalDate } from './local-date';
import { WorkingCalendarService } from './working-calendar.service';

export const OVERRIDE_TARGET_TYPE = 'calendar_override';

/**
 * The admins' override table. Each change runs in one transaction with its audit row (before/after), and this
 * instance's calendar is reloaded once it is committed (other instances within CALENDAR_REFRESH_MS).
 */
@Injectable()
export class CalendarOverridesService {
  constructor(
    private readonly overrides: CalendarOverridesRepository,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly workingCalendar: WorkingCalendarService,
  ) {}

  async list(query: ListOverridesQueryDto): Promise<CalendarOverrideListResponse> {
    const rows = query.year === undefined ? await this.overrides.findAll() : await this.overrides.findByYear(query.year);
    return { items: rows.map(view) };
  }

  async create(dto: CreateOverrideDto, actor: AuditActor): Promise<CalendarOverrideResponse> {
    checkKindFitsDate(dto.kind, dto.date);
    const created = await this.transactions
      .run(async (manager) => {
        const existing = await this.overrides.findByDate(dto.date, manager);
        if (existing) throw duplicateDate(dto.date, existing.id);
        const row = await this.overrides.create(
          { date: dto.date, kind: dto.kind, name: dto.name ?? null, note: dto.note ?? null, createdById: actor.id ?? 0, updatedById: actor.id ?? 0 },
          manager,
        );
        await this.audit.record({ actor, action: 'calendar.override.create', targetType: OVERRIDE_TARGET_TYPE, targetId: row.id, details: { before: null, after: view(row) } }, manager);
        return row;
      })
      .catch((error: unknown) => {
        // Two admins adding the same date at once: the unique index decides, the loser gets the same 409.
        if (isUniqueViolation(error)) throw duplicateDate(dto.date, null);
        throw error;
      });
    await this.workingCalendar.reloadAfterChange();
    return view(created);
  }

  async update(id: number, dto: UpdateOverrideDto, actor: AuditActor): Promise<CalendarOverrideResponse> {
    if (dto.kind === undefined && dto.name === undefined && dto.note === undefined) {
      throw new BadRequestException('Give at least one of kind, name, note to change');
    }
    const updated = await this.transactions.run(async (manager) => {
      const row = await this.overrides.findById(id, manager);
      if (!row) throw notFound(id);
      const before = view(row);
      if (dto.kind !== undefined) row.kind = dto.kind;
      if (dto.name !== undefined) row.name = dto.name;
      if (dto.note !== undefined) row.note = dto.note;
      checkKindFitsDate(row.kind, row.date);
      row.updatedById = actor.id ?? 0;
      const saved = await this.overrides.save(row, manager);
      await this.audit.record({ actor, action: 'calendar.override.update', targetType: OVERRIDE_TARGET_TYPE, targetId: id, details: { before, after: view(saved) } }, manager);
      return saved;
    });
    await this.workingCalendar.reloadAfterChange();
    return view(updated);
  }

  async remove(id: number, actor: AuditActor): Promise<void> {
    await this.transactions.run(async (manager) => {
      const row = await this.overrides.findById(id, manager);
      if (!row) throw notFound(id);
      await this.overrides.delete(id, manager);
      await this.audit.record({ actor, action: 'calendar.override.delete', targetType: OVERRIDE_TARGET_TYPE, targetId: id, details: { before: view(row), after: null } }, manager);
    });
    await this.workingCalendar.reloadAfterChange();
  }
}

function view(row: CalendarOverrideEntity): CalendarOverrideResponse {
  const { id, date, kind, name, note, createdById, updatedById, createdAt, updatedAt } = row;
  return { id, date, kind, name, note, createdById, updatedById, createdAt, updatedAt };
}

/**
 * Keeps the kinds meaningful: a make-up working day (调休上班) and a day off as `weekend` are Saturdays or Sundays;
 * a plain `workday` is Monday to Friday (a working Saturday is a `makeup_workday`). A `holiday` may be any day.
 */
function checkKindFitsDate(kind: DayKind, date: string): void {
  const weekend = isWeekend(parseLocalDate(date));
  if ((kind === 'makeup_workday' || kind === 'weekend') && !weekend) {
    throw new UnprocessableException(`${date} is a weekday: kind ${kind} is for a Saturday or Sunday (a weekday off is a holiday)`, { date, kind });
  }
  if (kind === 'workday' && weekend) {
    throw new UnprocessableException(`${date} is a Saturday or Sunday: a working weekend day is a makeup_workday`, { date, kind });
  }
}

function duplicateDate(date: string, existingId: number | null): ConflictException {
  const which = existingId === null ? '' : ` (id ${existingId})`;
  return new ConflictException({ message: `${date} already has an override${which}: change it with PATCH /api/calendar/overrides/{id} or delete it first`, code: 'DUPLICATE' });
}

function notFound(id: number): NotFoundException {
  return new NotFoundException(`Calendar override ${id} does not exist`);
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
