/** Passwords of real accounts: at least 10 characters with letters and digits. Returns what is wrong, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'The password must have at least 10 characters';
  if (password.length > 256) return 'The password must have at most 256 characters';
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'The password must contain letters and digits';
  return null;
}
