import { ApiProperty } from '@nestjs/swagger';

/** One row of the audit trail as the auditor reads it. */
export class AuditEventResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: String, format: 'date-time' })
  at: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The acting user; null for the system (a scheduler, the command line) and for failed logins' })
  actorId: number | null;

  @ApiProperty({ description: 'The actor’s display name when it acted; `system`; for a failed login the username as typed (normalised)' })
  actorName: string;

  @ApiProperty({ description: 'The actor’s role when it acted; `system` or `anonymous`' })
  actorRole: string;

  @ApiProperty({ example: 'auth.login' })
  action: string;

  @ApiProperty({ example: 'user' })
  targetType: string;

  @ApiProperty({ example: '7' })
  targetId: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What happened: before/after images, client ip and user agent, filters…' })
  details: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'The request’s correlation id, to find its log lines' })
  correlationId: string | null;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'Newest first' })
  items: AuditEventResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next, older page; null on the last page' })
  nextCursor: string | null;
}
