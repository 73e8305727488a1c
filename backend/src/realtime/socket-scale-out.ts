import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import type { ProcessRole } from '../cluster/process-role.service';

/** How socket.io reaches the sockets of the other processes, and what to close with the server. */
export interface SocketScaleOut {
  /** Merged into socket.io's server options. */
  options: Partial<Pick<ServerOptions, 'adapter' | 'transports'>>;
  /** For the start-up log: which adapter is in use. */
  adapterName: 'in-memory' | 'cluster' | 'redis';
  close(): Promise<void>;
}

/**
 * Rooms across processes. With REDIS_URL the Redis adapter (every process of every node subscribes, sibling workers
 * included); otherwise, in a worker of `npm start` with WORKERS > 1, the node:cluster adapter (messages relayed by
 * the primary, which calls setupPrimary); otherwise the in-memory adapter of one process.
 *
 * Workers of one node share the port and the primary hands each TCP connection to any of them, so the HTTP requests
 * of socket.io's long-polling transport would land on workers that do not know the session: a worker accepts
 * WebSocket connections only (the console uses nothing else). A polling handshake is answered 400
 * "Transport unknown".
 */
export function socketScaleOut(config: Pick<AppConfig, 'redisUrl' | 'redisKeyPrefix'>, role: ProcessRole, warn: (message: string) => void): SocketScaleOut {
  const transports: Pick<ServerOptions, 'transports'> | object = role.workerIndex !== null ? { transports: ['websocket'] } : {};
  if (config.redisUrl) {
    const publisher = new Redis(config.redisUrl, { connectionName: 'jiesu-socket.io-pub' });
    const subscriber = publisher.duplicate({ connectionName: 'jiesu-socket.io-sub' });
    let unreachable = false;
    for (const connection of [publisher, subscriber]) {
      connection.on('error', (error: Error) => {
        if (unreachable) return;
        unreachable = true;
        warn(`Redis at REDIS_URL does not answer (${error.message}): socket.io events reach only the sockets of this process until it does`);
      });
      connection.on('ready', () => (unreachable = false));
    }
    return {
      options: {
        ...transports,
        adapter: createRedisAdapter(publisher, subscriber, { key: `${config.redisKeyPrefix}socket.io`, publishOnSpecificResponseChannel: true }),
      },
      adapterName: 'redis',
      close: async () => {
        await Promise.all([publisher, subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
      },
    };
  }
  if (role.workerIndex !== null) return { options: { ...transports, adapter: createClusterAdapter() }, adapterName: 'cluster', close: () => Promise.resolve() };
  return { options: {}, adapterName: 'in-memory', close: () => Promise.resolve() };
}
