import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable, of } from 'rxjs';
import { ClusterBus } from './cluster-bus';

/**
 * Holds an answer until the cluster messages published while handling it have left the process (ClusterBus.settled,
 * at most a quarter second). Without it a client could send its next request to another process before that process
 * heard "this cache is stale", and read the old category name or pass with the disabled account's token.
 * Answers that published nothing are not delayed.
 */
@Injectable()
export class ClusterBusSettledInterceptor implements NestInterceptor {
  constructor(private readonly bus: ClusterBus) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(mergeMap((value: unknown) => (this.bus.sending ? from(this.bus.settled().then(() => value)) : of(value))));
  }
}
