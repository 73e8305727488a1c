/**
 * A phone number as the hotline stores it: without the spaces and dashes people type, and without the country code
 * (+86 / 0086), so that the caller's earlier orders are found whichever way the number was written.
 */
export function normalizePhone(raw: string): string {
  const digits = raw.trim().replace(/[\s()-]/g, '');
  return digits.replace(/^(\+86|0086)/, '');
}
