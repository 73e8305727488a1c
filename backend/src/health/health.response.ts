import { ApiProperty } from '@nestjs/swagger';

export class HealthDatabaseResponse {
  @ApiProperty({ example: 'better-sqlite3', description: 'The TypeORM driver type (better-sqlite3, mysql, mariadb)' })
  engine: string;

  @ApiProperty({ enum: ['up'] })
  status: 'up';

  @ApiProperty({ type: 'integer', description: 'How long SELECT 1 took' })
  latencyMs: number;
}

/** The answer when the service and its database are up (otherwise 503). */
export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ type: HealthDatabaseResponse })
  database: HealthDatabaseResponse;
}
