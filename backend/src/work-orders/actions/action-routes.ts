import { applyDecorators, BadRequestException, ParseIntPipe } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrorResponses, type ApiErrorStatus } from '../../common/api-error-responses';
import { WorkOrderDetailResponse } from '../dto/work-order.response';

/** The `:id` of a work order in a route: a whole number, or 400. */
export const workOrderId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The work-order id must be a whole number') });

/** Every lifecycle action answers the order afterwards, or 409 (stale version, wrong status) / 403 (wrong role or unit) with details. */
export const ApiActionResponses = (...alsoAnswers: ApiErrorStatus[]) =>
  applyDecorators(
    ApiOkResponse({ type: WorkOrderDetailResponse, description: 'The order after the action, as the caller may see it now' }),
    ApiErrorResponses(400, 403, 404, 409, 413, ...alsoAnswers),
  );
