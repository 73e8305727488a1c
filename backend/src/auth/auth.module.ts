import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { resolveJwtSecret } from '../config/jwt-secret';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginFailure } from './entities/login-failure.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { LoginFailuresRepository } from './login-failures.repository';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionService } from './session.service';
import { RateLimitGuard } from './throttling/rate-limit.guard';
import { TOKEN_ALGORITHM, TokenService } from './token.service';

@Module({
  imports: [
    UsersModule,
    AuditModule,
    TypeOrmModule.forFeature([LoginFailure, RefreshToken]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: resolveJwtSecret(config),
        signOptions: { algorithm: TOKEN_ALGORITHM },
        verifyOptions: { algorithms: [TOKEN_ALGORITHM] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    SessionService,
    LoginFailuresRepository,
    RefreshTokensRepository,
    // Global guards run in this order: rate limits first (so floods with bad tokens are limited too), then login.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, SessionService],
})
export class AuthModule {}
