import { http } from './http';
import type { RevealedContact } from './models';

/**
 * 先行联系: the citizen's full name and phone for the lead unit's staff (`POST /api/work-orders/:id/reveal-contact`);
 * the server records each look in the order's timeline. 403 on a confidential order or for another unit.
 */
export function revealContact(workOrderId: number): Promise<RevealedContact> {
  return http.post<RevealedContact>(`/work-orders/${workOrderId}/reveal-contact`);
}
