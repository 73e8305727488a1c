import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../database/columns';
import type { UnitType } from './unit-type';

/** A unit (单位): the center, a district, a city bureau, a street office, a community, a grid or a utility. */
@Entity('units')
export class Unit extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_units_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  type: UnitType;

  @Index('IDX_units_parentId')
  @Column({ type: 'int', nullable: true })
  parentId: number | null;

  @ManyToOne(() => Unit, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parentId' })
  parent?: Unit | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** 领导审签: a handler's reply goes to the unit_admin for approval before it reaches the center. */
  @Column({ type: 'boolean', default: false })
  leaderSignOff: boolean;

}
