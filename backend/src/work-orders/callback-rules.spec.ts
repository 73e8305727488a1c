import * as sut from './callback-rules';
import type { CallbackRules } from './callback-rules';

const HOUR = 3_600_000;
const rules: CallbackRules = { unreachableAttempts: 3, attemptGapSeconds: 2 * 3600, notRequiredTypes: ['praise'], dissatisfied: 'reopen' };
const at = new Date('2026-03-04T02:00:00Z');
const later = (hours: number) => new Date(at.getTime() + hours * HOUR);
const state = (callbackAttemptCount: number, lastCallbackAttemptAt: Date | null = callbackAttemptCount ? at : null) => ({ callbackAttemptCount, lastCallbackAttemptAt });

describe('callback rules', () => {
  describe('callbackRequired', () => {
    it('praise needs no callback by default, every other type does', () => {
      expect(sut.callbackRequired({ requestType: 'praise' }, rules)).toBe(false);
      expect(sut.callbackRequired({ requestType: 'complaint' }, rules)).toBe(true);
      expect(sut.callbackRequired({ requestType: 'complaint' }, { ...rules, notRequiredTypes: ['praise', 'complaint'] })).toBe(false);
    });
  });

  describe('unanswered attempts', () => {
    it('the first attempt always counts', () => {
      expect(sut.attemptCounts(state(0), at, rules)).toBe(true);
      expect(sut.nextCountingAttemptFrom(state(0), rules)).toBeNull();
    });

    it('a later one counts only at least the gap after the last counted one', () => {
      expect(sut.attemptCounts(state(1), later(1.99), rules)).toBe(false);
      expect(sut.attemptCounts(state(1), later(2), rules)).toBe(true);
      expect(sut.nextCountingAttemptFrom(state(1), rules)).toEqual(later(2));
    });

    it('the counted attempt that reaches the limit is the last; an early one never is', () => {
      expect(sut.nextAttemptIsLast(state(1), later(2), rules)).toBe(false);
      expect(sut.nextAttemptIsLast(state(2), later(2), rules)).toBe(true);
      expect(sut.nextAttemptIsLast(state(2), later(1), rules)).toBe(false);
      expect(sut.nextAttemptIsLast(state(0), at, { ...rules, unreachableAttempts: 1 })).toBe(true);
    });
  });

  describe('callback answers', () => {
    it('maps the older resolved flag to an answer', () => {
      expect(sut.callbackAnswerOf({ resolved: true })).toBe('resolved');
      expect(sut.callbackAnswerOf({ resolved: false })).toBe('unresolved');
      expect(sut.callbackAnswerOf({ outcome: 'declined' })).toBe('declined');
    });

    it.each([
      ['resolved', 'satisfied', 'reopen', { outcome: 'resolved', reopens: false, resolved: true }],
      ['resolved', 'basically_satisfied', 'reopen', { outcome: 'resolved', reopens: false, resolved: true }],
      ['resolved', 'dissatisfied', 'reopen', { outcome: 'dissatisfied', reopens: true, resolved: true }],
      ['resolved', 'dissatisfied', 'close', { outcome: 'dissatisfied', reopens: false, resolved: true }],
      ['unresolved', 'satisfied', 'close', { outcome: 'unresolved', reopens: true, resolved: false }],
      ['unresolved', 'dissatisfied', 'reopen', { outcome: 'unresolved', reopens: true, resolved: false }],
      ['declined', null, 'reopen', { outcome: 'declined', reopens: false, resolved: null }],
    ] as const)('%s, %s, dissatisfied rule %s → %o', (answer, satisfaction, dissatisfied, verdict) => {
      expect(sut.callbackVerdict(answer, satisfaction, { ...rules, dissatisfied })).toEqual(verdict);
    });
  });
});
