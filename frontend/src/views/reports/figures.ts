/** How the reports page writes its figures. Rates are fractions 0…1, null = no data (its denominator was 0). */

/** A rate as a percentage with one decimal (0.9234 → "92.3%"); `none` when there is no data. */
export function formatRate(rate: number | null | undefined, none: string): string {
  return rate === null || rate === undefined ? none : `${(rate * 100).toFixed(1)}%`;
}

/** A score (points 0…100) or working days with one decimal; `none` when there is none. */
export function formatDecimal(value: number | null | undefined, none: string): string {
  return value === null || value === undefined ? none : value.toFixed(1);
}

export type RankMove = 'up' | 'down' | 'same' | 'new';

/**
 * The change of a unit's rank from the previous period (previousRank − rank, positive = moved up): the arrow it
 * shows and by how many places. `new` = no rank to compare with (no score then or now).
 */
export function rankMove(change: number | null): { move: RankMove; places: number } {
  if (change === null) return { move: 'new', places: 0 };
  if (change > 0) return { move: 'up', places: change };
  if (change < 0) return { move: 'down', places: -change };
  return { move: 'same', places: 0 };
}

/** The text of a rank change: ↑2, ↓1, – (unchanged), and `none` without a previous rank. */
export function rankChangeText(change: number | null, none: string): string {
  const { move, places } = rankMove(change);
  if (move === 'up') return `↑${places}`;
  if (move === 'down') return `↓${places}`;
  return move === 'same' ? '–' : none;
}
