import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AppEventBus } from './app-events';

@Global()
@Module({ imports: [EventEmitterModule.forRoot()], providers: [AppEventBus], exports: [AppEventBus] })
export class EventsModule {}
