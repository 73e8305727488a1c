import { getTag, withTag } from './name-addr';

describe('getTag', () => {
  it.each([
    ['<sip:a@b>;tag=abc', 'abc'],
    ['"张三" <sip:13800138000@10.0.0.10>;tag=8f2a1c', '8f2a1c'],
    ['sip:a@b;tag=abc', 'abc'],
    ['<sip:a@b> ; TAG = abc ;x=1', 'abc'],
    ['<sip:a@b;tag=in-the-uri>', undefined],
    ['"Tricky >;tag=no" <sip:a@b>', undefined],
    ['<sip:a@b>;tagged=1', undefined],
  ])('%s -> %p', (value, expected) => {
    expect(getTag(value)).toBe(expected);
  });
});

describe('withTag', () => {
  it('appends a tag to a value without one', () => {
    expect(withTag('<sip:12345@10.0.0.20>', 'f00d')).toBe('<sip:12345@10.0.0.20>;tag=f00d');
  });

  it('leaves an existing tag alone', () => {
    expect(withTag('<sip:12345@10.0.0.20>;tag=314159', 'f00d')).toBe('<sip:12345@10.0.0.20>;tag=314159');
  });
});
