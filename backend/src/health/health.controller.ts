import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { HealthResponse } from './health.response';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database check (503 when the database does not answer)' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiErrorResponses(503)
  async check(): Promise<HealthResponse> {
    const started = Date.now();
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('The database does not answer');
    }
    return { status: 'ok', database: { engine: this.dataSource.options.type, status: 'up', latencyMs: Date.now() - started } };
  }
}
