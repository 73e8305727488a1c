import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import { ProcessRoleService, WORKER_HEADER } from '../cluster/process-role.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type SocketScaleOut, socketScaleOut } from './socket-scale-out';

/**
 * Whether a socket.io handshake may come from the page that sent it. Browsers always send Origin with a
 * WebSocket, and WebSockets are not bound by CORS, so the origin is checked here: the server's own host, or one
 * of CORS_ORIGIN. Requests without Origin (not from a browser page) pass; the access token still decides.
 */
export function isHandshakeOriginAllowed(request: Pick<IncomingMessage, 'headers'>, allowedOrigins: readonly string[] | null): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins?.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * socket.io with the HTTP API's CORS policy instead of echoing any origin: CORS_ORIGIN unset → same origin only
 * (no CORS headers); set → exactly those origins. Rooms reach the sockets of the other processes and nodes through
 * the adapter socketScaleOut picks (cluster or Redis).
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly scaleOuts: SocketScaleOut[] = [];

  constructor(
    private readonly application: INestApplicationContext,
    private readonly allowedOrigins: readonly string[] | null,
  ) {
    super(application);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { cors: _fromDecorator, ...rest } = options ?? {};
    const allowedOrigins = this.allowedOrigins;
    const logger = new Logger('Realtime');
    const { role } = this.application.get(ProcessRoleService, { strict: false });
    const scaleOut = socketScaleOut(this.application.get<AppConfig>(APP_CONFIG, { strict: false }), role, (message) => logger.warn(message));
    this.scaleOuts.push(scaleOut);
    if (scaleOut.adapterName !== 'in-memory') logger.log(`socket.io rooms span the processes through the ${scaleOut.adapterName} adapter`);
    const server = super.createIOServer(port, {
      ...rest,
      ...scaleOut.options,
      ...(allowedOrigins ? { cors: { origin: [...allowedOrigins] } } : {}),
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) =>
        callback(null, isHandshakeOriginAllowed(request, allowedOrigins)),
    }) as Server;
    // As on the HTTP API (main.ts): which worker holds this socket, on the WebSocket upgrade's response too.
    if (role.workerIndex !== null) {
      const index = String(role.workerIndex);
      server.engine.on('headers', (headers: Record<string, string>) => (headers[WORKER_HEADER] = index));
    }
    return server;
  }

  /** After the servers closed: the adapters' Redis connections. */
  override async dispose(): Promise<void> {
    await Promise.all(this.scaleOuts.splice(0).map((scaleOut) => scaleOut.close()));
    await super.dispose();
  }
}

/** CORS_ORIGIN as a list (comma-separated), or null when unset. */
export function corsOrigins(corsOrigin: string | null): string[] | null {
  const origins = (corsOrigin ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0);
  return origins.length > 0 ? origins : null;
}
