import { removeSqliteTemplate } from './server';

export default function globalTeardown(): void {
  removeSqliteTemplate();
}
