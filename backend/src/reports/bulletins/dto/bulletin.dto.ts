import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { BULLETIN_STATUSES } from '../bulletin.entity';
import type { BulletinView } from '../../report-views';

/** POST /api/reports/bulletins: generate the bulletin of a month that is over. */
export class GenerateBulletinDto {
  @ApiProperty({ example: '2026-11', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'The month, YYYY-MM; it must be over (center time)' })
  @IsString({ message: 'month must be a month as YYYY-MM' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month as YYYY-MM, e.g. 2026-11' })
  month: string;
}

// `implements` the view the service builds, so a field added to the view fails to compile until it is described here.
export class BulletinResponse implements BulletinView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '2026-11', description: 'The month reported on, YYYY-MM' })
  month: string;

  @ApiProperty({ enum: BULLETIN_STATUSES, enumName: 'BulletinStatus', description: 'generating → ready, or failed (with the error); a failed month may be generated again' })
  status: BulletinView['status'];

  @ApiProperty({ enum: ['schedule', 'manual'], enumName: 'BulletinTrigger', description: 'The monthly job (first working day) or a supervisor' })
  trigger: BulletinView['trigger'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the PDF was finished (null until ready)' })
  generatedAt: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The PDF size in bytes (null until ready)' })
  sizeBytes: number | null;

  @ApiProperty({ type: String, nullable: true, example: '/api/reports/bulletins/1/download', description: 'GET this to download the PDF (null until ready)' })
  downloadUrl: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed (status failed)' })
  error: string | null;
}
