import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { AcdService } from './acd.service';
import { AgentPhonesService } from './agent-phones.service';
import { AgentsRepository } from './agents.repository';
import { CallEventsService } from './call-events.service';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { CallsService } from './calls.service';
import { CtiAgentsController } from './cti-agents.controller';
import { CtiBridgeController } from './cti-bridge.controller';
import { CtiTokenGuard } from './cti-token.guard';
import { RecordingsService } from './recordings.service';

/**
 * 话务 (issue 12, docs/cti.md): call records built from CTI events (the SIP bridge's or a PBX's), recordings, the ACD
 * (agents' states, offering calls to the agent idle the longest, the screen pop — pushed by realtime/'s
 * CtiScreenPopListener), the call-back list, agents' extensions for the bridge's registrar.
 */
@Module({
  imports: [AuditModule, WorkOrdersModule],
  controllers: [CtiBridgeController, CtiAgentsController, CallsController],
  providers: [CallsRepository, AgentsRepository, CallsService, CallEventsService, AcdService, AgentPhonesService, RecordingsService, CtiTokenGuard],
})
export class CtiModule {}
