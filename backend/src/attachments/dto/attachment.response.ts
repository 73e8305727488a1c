import { ApiProperty } from '@nestjs/swagger';
import type { AttachmentView } from '../attachments.service';

/** An uploaded file's record (the content itself is downloaded through its work order). */
export class AttachmentResponse implements AttachmentView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '现场照片.jpg' })
  fileName: string;

  @ApiProperty({ example: 'image/jpeg' })
  mimeType: string;

  @ApiProperty({ type: 'integer', description: 'Bytes' })
  size: number;

  @ApiProperty({ description: 'Hex SHA-256 of the content' })
  sha256: string;

  @ApiProperty({ type: String, nullable: true, example: 'register', description: 'The step that bound it to a work order (register, reply); null while unbound' })
  purpose: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;
}
