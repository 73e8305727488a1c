import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ClusterBus, type ClusterTransport } from './cluster-bus';
import { IpcTransport } from './ipc-transport';
import { RedisTransport } from './redis-transport';
import { ProcessRoleService } from './process-role.service';

/** Several transports at once: the sibling workers over IPC and the other nodes over Redis. */
export class CompositeTransport implements ClusterTransport {
  constructor(private readonly transports: readonly ClusterTransport[]) {}

  async send(channel: string, payload: unknown): Promise<void> {
    await Promise.all(this.transports.map(async (transport) => transport.send(channel, payload)));
  }

  listen(deliver: (channel: string, payload: unknown) => void): void {
    for (const transport of this.transports) transport.listen(deliver);
  }

  async close(): Promise<void> {
    await Promise.all(this.transports.map(async (transport) => transport.close?.()));
  }
}

/**
 * Connects the ClusterBus to the other processes at start-up: the sibling workers (IPC through the primary) when
 * this process is a worker of `npm start` with WORKERS > 1, the other nodes (Redis pub/sub) when REDIS_URL is set.
 * A process on its own without Redis keeps the bus local.
 */
@Injectable()
export class ClusterTransports implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterBus');
  private transport: ClusterTransport | null = null;

  constructor(
    private readonly bus: ClusterBus,
    private readonly processRole: ProcessRoleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const { role } = this.processRole;
    const transports: ClusterTransport[] = [];
    if (role.workerIndex !== null) transports.push(new IpcTransport(process, (error) => this.logger.warn(`A cluster message did not reach the primary: ${error.message}`)));
    if (this.config.redisUrl) {
      const publisher = new Redis(this.config.redisUrl, { connectionName: 'jiesu-bus-pub' });
      const subscriber = new Redis(this.config.redisUrl, { connectionName: 'jiesu-bus-sub' });
      transports.push(new RedisTransport(publisher, subscriber, `${this.config.redisKeyPrefix}bus`, role.nodeId, this.logger));
    }
    if (transports.length === 0) return;
    this.transport = transports.length === 1 ? transports[0] : new CompositeTransport(transports);
    this.bus.useTransport(this.transport);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport?.close?.();
    this.transport = null;
  }
}
