import type { MigrationInterface } from 'typeorm';
import { Initial1795319323563 } from './1795319323563-Initial';

/** Every migration, in order. `npm run migration:generate -w backend -- Name` writes new ones to add here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795319323563];
