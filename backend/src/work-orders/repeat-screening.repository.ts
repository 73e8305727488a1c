import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkOrder } from './entities/work-order.entity';

/** The queries of repeat complaints (重复件) beside those of WorkOrdersRepository. */
@Injectable()
export class RepeatOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The orders marked as repeats of the original, oldest first, with their lead unit (summaries). */
  repeatsOf(originalId: number): Promise<WorkOrder[]> {
    return this.dataSource.manager.find(WorkOrder, { where: { repeatOfId: originalId }, relations: { leadUnit: true }, order: { id: 'ASC' } });
  }
}
