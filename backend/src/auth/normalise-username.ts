/** The key failed logins and login rate limits are counted under: usernames differing only in case or surrounding blanks share one count. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}
