import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { consoleStaticHeaders } from './common/console-delivery';
import { LoggerModule } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { ThrottlingModule } from './auth/throttling/throttling.module';
import { CategoriesModule } from './categories/categories.module';
import { assignCorrelationId } from './common/correlation-id';
import { LOG_SERIALIZERS } from './common/log-redaction';
import { ClusterModule } from './cluster/cluster.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CtiModule } from './cti/cti.module';
import { DatabaseModule } from './database/database.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DemoDataModule } from './demo-data/demo-data.module';
import { EscalationModule } from './escalation/escalation.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PublicRequestsModule } from './public-requests/public-requests.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ReportsModule } from './reports/reports.module';
import { ShirkingModule } from './shirking/shirking.module';
import { UnitsModule } from './units/units.module';
import { UsersModule } from './users/users.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';

/** Where the built console is: CONSOLE_DIR, else frontend/dist next to the backend package. */
export function consoleDirectory(config: AppConfig): string | null {
  const directory = config.consoleDirectory ? resolve(config.consoleDirectory) : join(__dirname, '..', '..', 'frontend', 'dist');
  return existsSync(join(directory, 'index.html')) ? directory : null;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const consoleDir = consoleDirectory(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (request, response) => (request as { id?: string }).id ?? assignCorrelationId(request, response),
            customProps: (request) => ({ correlationId: request.id }),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (request) => request.url === '/api/health' },
            // Never a citizen's phone number or search text, nor a statement's parameters (log-redaction.ts).
            serializers: LOG_SERIALIZERS,
          },
          exclude: [],
          forRoutes: ['{*path}'],
        }),
        CommonModule,
        ClusterModule,
        EventsModule,
        DatabaseModule,
        UnitsModule,
        UsersModule,
        AuthModule,
        ThrottlingModule,
        CategoriesModule,
        CalendarModule,
        DeadlinesModule,
        AttachmentsModule,
        WorkOrdersModule,
        PublicRequestsModule,
        KnowledgeModule,
        DashboardModule,
        ShirkingModule,
        ReportsModule,
        CtiModule,
        EscalationModule,
        NotificationsModule,
        RealtimeModule,
        HealthModule,
        DemoDataModule,
        ...(consoleDir
          ? [
              ServeStaticModule.forRoot({
                rootPath: consoleDir,
                exclude: ['/api/{*path}', '/socket.io/{*path}'],
                // Hashed assets are answered before this (common/console-delivery.ts); the rest is revalidated.
                serveStaticOptions: { setHeaders: consoleStaticHeaders },
              }),
            ]
          : []),
      ],
    };
  }
}

