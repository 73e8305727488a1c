import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ClusterBusSettledInterceptor } from './bus-settled.interceptor';
import { ClusterBus } from './cluster-bus';
import { ClusterTransports } from './cluster-transports';
import { ProcessRoleService } from './process-role.service';

@Global()
@Module({
  providers: [ClusterBus, ClusterTransports, ProcessRoleService, { provide: APP_INTERCEPTOR, useClass: ClusterBusSettledInterceptor }],
  exports: [ClusterBus, ProcessRoleService],
})
export class ClusterModule {}
