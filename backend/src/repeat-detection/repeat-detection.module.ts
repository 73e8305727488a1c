import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CategoriesModule } from '../categories/categories.module';
import { UnitsModule } from '../units/units.module';
import { Hotspot } from './entities/hotspot.entity';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { MatterKey } from './entities/matter-key.entity';
import { HotspotsController } from './hotspots.controller';
import { HotspotsRepository } from './hotspots.repository';
import { HotspotsService } from './hotspots.service';
import { MatterIndexRepository } from './matter-index.repository';
import { RepeatDetector } from './repeat-detector';

/**
 * 重复件 and 多人反映: the repeat detector and its index, and the hotspots (GET /api/hotspots). What registration does
 * with the detector's answer (marking repeats, notifying units) is the work-order module's RepeatScreening.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MatterFingerprint, MatterKey, Hotspot]), UnitsModule, CategoriesModule],
  controllers: [HotspotsController],
  providers: [MatterIndexRepository, RepeatDetector, HotspotsRepository, HotspotsService],
  exports: [RepeatDetector, HotspotsService],
})
export class RepeatDetectionModule {}
