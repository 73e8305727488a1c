import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Unit } from './unit.entity';
import { UnitsAdminService } from './units-admin.service';
import { UnitsController } from './units.controller';
import { UnitsRepository } from './units.repository';
import { UnitsService } from './units.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Unit]), AuditModule],
  controllers: [UnitsController],
  providers: [UnitsRepository, UnitsService, UnitsAdminService],
  exports: [UnitsRepository, UnitsService],
})
export class UnitsModule {}
