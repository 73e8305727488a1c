import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UnitsModule } from '../units/units.module';
import { ESCALATION_CONFIG, loadEscalationConfig } from './escalation.config';
import { EscalationRepository } from './escalation.repository';
import { EscalationService } from './escalation.service';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { UsersModule } from '../users/users.module';

/**
 * Warnings and escalation of running deadlines (docs/lifecycle.md "Warnings and escalation"): a tick on every
 * instance, exactly once through the database. Its settings are the ESCALATION_* and DEADLINE_YELLOW_* variables.
 */
@Module({
  imports: [CalendarModule, DeadlinesModule, NotificationsModule, UnitsModule, UsersModule],
  providers: [EscalationRepository, EscalationService, { provide: ESCALATION_CONFIG, useFactory: () => loadEscalationConfig() }],
  // The yellow thresholds are also what the order detail shows its countdowns against.
  exports: [EscalationService, ESCALATION_CONFIG],
})
export class EscalationModule {}
