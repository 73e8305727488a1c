import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['short1', /at least 10/],
    ['onlyletterslong', /letters and digits/],
    ['1234567890123', /letters and digits/],
    ['x1'.repeat(129), /at most 256/],
  ])('rejects %s', (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });

  it('accepts a long password with letters and digits', () => {
    expect(passwordProblem('Hotline12345center')).toBeNull();
  });
});
