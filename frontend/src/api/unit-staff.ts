import { http } from './http';
import type { UserAccount, UserPage } from './models';

/**
 * The active handlers and unit admins of a unit, for 分派 (assign): `GET /api/users?unitId=`, which a unit admin may
 * call for their own unit. Should it fail (another unit, an older server), the assign form falls back to a user number.
 */
export async function listUnitStaff(unitId: number, signal?: AbortSignal): Promise<UserAccount[]> {
  const page = await http.get<UserPage>('/users', { params: { unitId, pageSize: 100 }, signal });
  return page.items.filter((user) => user.active && (user.role === 'handler' || user.role === 'unit_admin'));
}
