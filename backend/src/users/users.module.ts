import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OwnPasswordController } from './own-password.controller';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UserAccountsService } from './user-accounts.service';
import { UserWritesSubscriber } from './user-writes.subscriber';
import { UsersAdminService } from './users-admin.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), AuditModule],
  controllers: [UsersController, OwnPasswordController],
  providers: [UsersRepository, UsersService, UserAccountsService, UserWritesSubscriber, UsersAdminService, PasswordHasher],
  exports: [UsersService, UserAccountsService, PasswordHasher],
})
export class UsersModule {}
