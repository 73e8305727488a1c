import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

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
 * (no CORS headers); set → exactly those origins.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: readonly string[] | null,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { cors: _fromDecorator, ...rest } = options ?? {};
    const allowedOrigins = this.allowedOrigins;
    return super.createIOServer(port, {
      ...rest,
      ...(allowedOrigins ? { cors: { origin: [...allowedOrigins] } } : {}),
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) =>
        callback(null, isHandshakeOriginAllowed(request, allowedOrigins)),
    }) as Server;
  }
}

/** CORS_ORIGIN as a list (comma-separated), or null when unset. */
export function corsOrigins(corsOrigin: string | null): string[] | null {
  const origins = (corsOrigin ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0);
  return origins.length > 0 ? origins : null;
}
