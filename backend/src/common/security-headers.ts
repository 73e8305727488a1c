import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Request, Response } from 'express';

/** A year, the usual minimum for HSTS preload lists. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * Security headers for the API, the console served at / and the Swagger UI at /api/docs.
 * The console is a Vue + Element Plus build: its scripts are files of its own origin, Element Plus sets inline
 * styles, images may be data: or blob: URLs (previews of attachments), call recordings are played from blob: URLs (the
 * recording route needs the Bearer token, so the console fetches the WAV and plays an object URL), and socket.io talks to the same origin
 * (CSP 3 lets 'self' cover ws:/wss: of the same host). The Swagger UI of @nestjs/swagger fits the same policy:
 * its scripts are files and its styles are inline.
 */
export function useSecurityHeaders(app: NestExpressApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Explicit directives only: helmet's defaults add upgrade-insecure-requests, which breaks a console
        // reached over plain HTTP on a closed government network.
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      // Sent below, and only over TLS: on plain HTTP the header is meaningless and pins nothing.
      strictTransportSecurity: false,
    }),
  );
  // req.secure honours X-Forwarded-Proto only from a trusted proxy ('trust proxy' is 'loopback').
  app.use((request: Request, response: Response, next: () => void) => {
    if (request.secure) response.setHeader('Strict-Transport-Security', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`);
    next();
  });
}
