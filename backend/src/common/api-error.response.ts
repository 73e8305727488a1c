import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type ApiErrorBody, ERROR_CODES } from './api-error';

/** The body of every error answer, as AllExceptionsFilter writes it. */
export class ApiErrorResponse implements ApiErrorBody {
  @ApiProperty({ type: 'integer', example: 409, description: 'The HTTP status, repeated in the body' })
  statusCode: number;

  @ApiProperty({ example: 'Conflict', description: 'The standard reason phrase of the status' })
  error: string;

  @ApiProperty({ description: 'What went wrong, for people; a validation failure lists every problem, separated by "; "' })
  message: string;

  @ApiProperty({ example: '6f1c2a7e-3b0d-4c55-9f8e-2a1d0c9b7e41', description: 'Also sent in the X-Correlation-Id header; quote it when reporting a problem' })
  correlationId: string;

  @ApiProperty({
    example: 'VERSION_CONFLICT',
    description: `The machine-readable reason; clients choose their message by it. Specific: ${ERROR_CODES.slice(0, ERROR_CODES.indexOf('BAD_REQUEST')).join(', ')}; otherwise the status's own: ${ERROR_CODES.slice(ERROR_CODES.indexOf('BAD_REQUEST')).join(', ')}. VALIDATION_FAILED names the fields in details.fields [{ field, constraints }].`,
  })
  code: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Facts a client can act on. A validation failure (400 VALIDATION_FAILED): fields, each { field, constraints }. A stale version (409 VERSION_CONFLICT): currentVersion and status. An action not allowed now (409, or 403 for the wrong role or unit): status and allowedActions.',
  })
  details?: Record<string, unknown>;
}
