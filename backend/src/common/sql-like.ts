/**
 * LIKE with a literal match on both engines. SQLite has no default escape character and MySQL's is a
 * backslash written differently in each dialect's string literals, so '!' is named explicitly.
 */
export const LIKE_ESCAPE = "ESCAPE '!'";

export function containsPattern(value: string): string {
  return `%${value.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Starts with `value` literally: a range on an index over the column. */
export function prefixPattern(value: string): string {
  return `${value.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
