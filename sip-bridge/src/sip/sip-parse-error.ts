/** Thrown for input that is not a usable SIP message; the message says what is wrong. */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
}

/** Quotes untrusted text for an error message: escaped, and cut short so garbage stays readable. */
export function quoteForError(text: string, maxLength = 80): string {
  return JSON.stringify(text.length > maxLength ? `${text.slice(0, maxLength)}…` : text);
}
