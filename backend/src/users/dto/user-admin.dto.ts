import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { UserResponse } from './user.response';
import { ROLES, type Role } from '../role';

/** Usernames: 2–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit; stored in lower case (login ignores case). */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

/** The field may be left out, but null is no value for it (IsOptional would let null through to the service). */
const IsAbsentOrValid = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

export class CreateUserDto {
  @ApiProperty({ example: 'dc_cy_handler2', description: 'Unique regardless of case (409); stored in lower case' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 2 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  username: string;

  @ApiProperty({ example: '朝阳街道承办人李娜', maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Center roles belong to the center unit, unit roles (handler, unit_admin) to an active unit below it (422)' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiProperty({ type: 'integer' })
  @IsInt({ message: 'unitId must be a whole number' })
  @Min(1)
  unitId: number;
}

/** Every field is optional, at least one is needed. The username does not change. */
export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsAbsentOrValid()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role', description: 'Ends the user’s sessions. An administrator cannot demote themselves (422)' })
  @IsAbsentOrValid()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ type: 'integer', description: 'Ends the user’s sessions' })
  @IsAbsentOrValid()
  @IsInt({ message: 'unitId must be a whole number' })
  @Min(1)
  unitId?: number;

  @ApiPropertyOptional({ description: 'false disables the account: its tokens and sockets stop working at once. An administrator cannot disable themselves (422)' })
  @IsAbsentOrValid()
  @IsBoolean()
  active?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ description: 'At least 10 characters with letters and digits, at most 256; not the current one' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  newPassword: string;
}

/** A user account with its one-time password, shown once: the user must change it at the first login. */
export class UserWithOneTimePasswordResponse {
  @ApiProperty({ type: UserResponse })
  user: UserResponse;

  @ApiProperty({ example: 'h7KqT3mZx9PwR2cD', description: 'Shown only in this answer; good for logging in once and changing it (POST /api/auth/change-password)' })
  oneTimePassword: string;
}
