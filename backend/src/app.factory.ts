import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, consoleDirectory } from './app.module';
import { consoleAssets } from './common/console-delivery';
import { corsOrigins, RealtimeIoAdapter } from './realtime/realtime-io.adapter';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { useBodyParsers } from './common/body-parsing';
import { assignCorrelationId, CORRELATION_HEADER } from './common/correlation-id';
import { useSecurityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { createOpenApiDocument } from './common/openapi-document';
import type { AppConfig } from './config/app-config';

/** Builds the configured application (without listening), for main.ts and the tests alike. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  // Body parsers are added by hand so that the correlation id is assigned before a body can fail to parse.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false });
  app.use((request: IncomingMessage & { id?: string }, response: ServerResponse, next: () => void) => {
    request.id = assignCorrelationId(request, response);
    next();
  });
  useSecurityHeaders(app);
  // The console's hashed assets, pre-compressed and cached for a year (before the static module and the API).
  const consoleDir = consoleDirectory(config);
  if (consoleDir) app.use(consoleAssets(consoleDir));
  useBodyParsers(app);
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  if (config.corsOrigin) app.enableCors({ origin: config.corsOrigin.split(','), exposedHeaders: [CORRELATION_HEADER] });
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, corsOrigins(config.corsOrigin)));
  app.enableShutdownHooks();

  // API_DOCS=off: neither the document nor its UI is served (both paths answer 404 like any unknown route).
  if (config.apiDocs) serveApiDocs(app);
  return app;
}

/** The OpenAPI document at /api/docs-json and its Swagger UI at /api/docs. */
function serveApiDocs(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    // No badge from validator.swagger.io: the UI must not call out of the center's network (and the CSP forbids it).
    swaggerOptions: { validatorUrl: null },
  });
}
