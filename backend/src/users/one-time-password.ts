import { randomInt } from 'node:crypto';
import { passwordProblem } from './password-policy';

/** Letters and digits without the look-alikes (0/O, 1/l/I), so a password read out over the phone survives. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const LENGTH = 16;

/** A random one-time password that meets the password policy (16 characters from 56: about 93 bits). */
export function oneTimePassword(): string {
  for (;;) {
    let password = '';
    for (let i = 0; i < LENGTH; i++) password += ALPHABET[randomInt(ALPHABET.length)];
    if (passwordProblem(password) === null) return password;
  }
}
