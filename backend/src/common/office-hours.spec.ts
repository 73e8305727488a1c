import { describeOfficeHours, parseOfficeHours } from './office-hours';

describe('parseOfficeHours', () => {
  it('defaults to 08:30-12:00 and 13:30-17:30, 7.5 hours a day', () => {
    const sut = parseOfficeHours();
    expect(describeOfficeHours(sut)).toEqual(['08:30-12:00', '13:30-17:30']);
    expect(sut.msPerDay).toBe(7.5 * 3_600_000);
  });

  it('reads a comma-separated string as an environment variable gives it', () => {
    expect(describeOfficeHours(parseOfficeHours(' 09:00-12:00 , 14:00-18:00 '))).toEqual(['09:00-12:00', '14:00-18:00']);
  });

  it('allows a period ending at 24:00 and a round-the-clock day', () => {
    expect(parseOfficeHours(['00:00-24:00']).msPerDay).toBe(86_400_000);
    expect(describeOfficeHours(parseOfficeHours(['20:00-24:00']))).toEqual(['20:00-24:00']);
  });

  it.each([
    [[], /at least one period/],
    [['8:30-12:00'], /HH:MM-HH:MM/],
    [['08:30–12:00'], /HH:MM-HH:MM/],
    [['08:60-12:00'], /out of range/],
    [['08:30-24:30'], /out of range/],
    [['24:00-24:00'], /out of range/],
    [['12:00-08:30'], /must start before it ends/],
    [['08:30-08:30'], /must start before it ends/],
    [['13:30-17:30', '08:30-12:00'], /must start after the previous one \(13:30-17:30\)/],
    [['08:30-12:00', '11:00-17:30'], /without overlap/],
    [['08:30-12:00', '12:00-17:30'], /merge touching ones/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseOfficeHours(spec)).toThrow(RangeError);
    expect(() => parseOfficeHours(spec)).toThrow(message);
  });
});
