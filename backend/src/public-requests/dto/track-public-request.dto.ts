import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class TrackPublicRequestQueryDto {
  @ApiProperty({ example: '13812341234', description: 'The phone number given with the request (spaces, dashes and +86 do not matter)' })
  @IsString({ message: 'phone is required: the phone number given with the request' })
  @MinLength(3, { message: 'phone is required: the phone number given with the request' })
  @MaxLength(32)
  phone: string;
}
