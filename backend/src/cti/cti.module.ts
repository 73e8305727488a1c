import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RepeatDetectionModule } from '../repeat-detection/repeat-detection.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { AcdService } from './acd.service';
import { AgentPhonesService } from './agent-phones.service';
import { AgentPresenceService } from './agent-presence.service';
import { AgentStateViews } from './agent-state-views';
import { AgentsRepository } from './agents.repository';
import { CallEventsService } from './call-events.service';
import { CallSurveys } from './call-surveys';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { CallsService } from './calls.service';
import { CtiAgentsController } from './cti-agents.controller';
import { CtiBridgeController } from './cti-bridge.controller';
import { CtiTokenGuard } from './cti-token.guard';
import { RecordingsService } from './recordings.service';
import { ScreenPops } from './screen-pops';

/**
 * 话务 (issue 12, docs/cti.md): call records built from CTI events (the SIP bridge's or a PBX's), recordings, the ACD
 * (agents' states, offering calls to the agent idle the longest, the screen pop with the caller's orders and likely
 * repeats), the survey copied to the calls' orders, the call-back list, agents' extensions for the bridge's registrar.
 * The pushes (`cti.screenPop`, `cti.agentState`) and the watch on agents' console sockets (AgentPresenceService) are
 * realtime/'s cti-* listeners.
 */
@Module({
  imports: [AuditModule, WorkOrdersModule, RepeatDetectionModule],
  controllers: [CtiBridgeController, CtiAgentsController, CallsController],
  providers: [
    CallsRepository,
    AgentsRepository,
    AgentStateViews,
    ScreenPops,
    CallSurveys,
    CallsService,
    CallEventsService,
    AcdService,
    AgentPhonesService,
    AgentPresenceService,
    RecordingsService,
    CtiTokenGuard,
  ],
  exports: [AgentPresenceService, AgentPhonesService],
})
export class CtiModule {}
