import { describe, expect, it } from 'vitest';
import { callStatusTag, formatCallTime, formatClock, formatDuration, secondsSince, surveyMessage } from '../format';

describe('call formatting', () => {
  it('writes durations as a call timer: m:ss, h:mm:ss from an hour on; null stays null', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(21)).toBe('0:21');
    expect(formatDuration(171)).toBe('2:51');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3725.4)).toBe('1:02:05');
    expect(formatDuration(-3)).toBe('0:00');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(Number.NaN)).toBeNull();
  });

  it('shows instants to the second in the center’s time, whatever the browser’s zone', () => {
    expect(formatCallTime('2026-12-02T01:00:21.000Z')).toBe('2026-12-02 09:00:21');
    expect(formatCallTime('2026-12-31T16:30:00Z')).toBe('2027-01-01 00:30:00');
    expect(formatCallTime(null)).toBeNull();
    expect(formatClock('2026-12-02T01:00:21.000Z')).toBe('09:00:21');
  });

  it('counts seconds since an instant, never negative', () => {
    const now = Date.parse('2026-12-02T01:01:00.000Z');
    expect(secondsSince('2026-12-02T01:00:21.000Z', now)).toBe(39);
    expect(secondsSince('2026-12-02T01:02:00.000Z', now)).toBe(0);
    expect(secondsSince(null, now)).toBeNull();
  });

  it('names the survey’s rating, another key, or none', () => {
    expect(surveyMessage({ digit: '2', rating: 'basically_satisfied' })).toEqual({ key: 'calls.survey.basically_satisfied' });
    expect(surveyMessage({ digit: '#', rating: null })).toEqual({ key: 'calls.survey.otherKey', values: { digit: '#' } });
    expect(surveyMessage(null)).toEqual({ key: 'calls.survey.none' });
    expect(callStatusTag('missed')).toBe('danger');
    expect(callStatusTag('answered')).toBe('success');
  });
});
