import { ApiProperty } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response';
import type { TokenResponse } from '../auth.service';

/** The answer to logging in and to refreshing: a new token pair and the user it belongs to. */
export class AuthTokensResponse implements TokenResponse {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <token>"' })
  accessToken: string;

  @ApiProperty({ description: 'Trade once for a new pair at POST /api/auth/refresh (a second use revokes the login); logging out revokes it' })
  refreshToken: string;

  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
