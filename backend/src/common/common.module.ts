import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { BodyErrorMiddleware } from './body-parsing';
import { Clock } from './clock';
import { WorkAfterAnswer } from './work-after-answer';

@Global()
@Module({ providers: [Clock, WorkAfterAnswer], exports: [Clock, WorkAfterAnswer] })
export class CommonModule implements NestModule {
  /**
   * A body that could not be read is refused here rather than in the parser, because this module's
   * middleware runs after the request logger's (both are global; AppModule imports the logger first).
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyErrorMiddleware).forRoutes('{*path}');
  }
}
