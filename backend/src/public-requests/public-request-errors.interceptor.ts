import { BadRequestException, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { PublicRateLimitException } from './public-rate-limits';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from './public-requests.service';

/**
 * Outermost on the portal's routes: sets Retry-After on its 429 answers (the global exception filter writes the body),
 * and says in the portal's words what multer's limits refused ("File too large", "Unexpected file field").
 */
@Injectable()
export class PublicRequestErrorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PublicRateLimitException) {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
        } else if (error instanceof PayloadTooLargeException && /file too large/i.test(error.message)) {
          return throwError(() => new PayloadTooLargeException(`A photo may have at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`));
        } else if (error instanceof BadRequestException && /too many files|unexpected file field/i.test(error.message)) {
          return throwError(() => new BadRequestException(`Send at most ${MAX_PHOTOS} photos, in the multipart field "photos"`));
        }
        return throwError(() => error);
      }),
    );
  }
}
