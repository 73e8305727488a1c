import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../database/columns';
import { Unit } from '../units/unit.entity';
import type { RequestType } from '../work-orders/work-order.enums';

/** 事项分类: a three-level subject tree; each leaf carries a default lead unit and request type. */
@Entity('categories')
export class Category extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_categories_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'int' })
  level: number;

  @Index('IDX_categories_parentId')
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  @ManyToOne(() => Category, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parentId' })
  parent?: Category | null;

  @Column({ type: 'int', nullable: true })
  defaultLeadUnitId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'defaultLeadUnitId' })
  defaultLeadUnit?: Unit | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  defaultRequestType: RequestType | null;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

}
