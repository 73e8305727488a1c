import { describe, expect, it } from 'vitest';
import {
  callbackBody,
  dispatchBody,
  INVALID_REASON_CODES,
  invalidateBody,
  noteBody,
  reasonBody,
  recallBody,
  remindBody,
  singleUnit,
  superviseBody,
  targetBody,
  targetSearchKeyword,
  unitList,
} from '../bodies';
import { decisionOf } from '../decisions';
import { formatFileSize, pendingReturn, replyAttachments } from '../context';
import { workOrderDetail } from '../../../__tests__/fixtures';

describe('dispatch body (DispatchDto)', () => {
  it('sends the lead unit and leaves out what was not filled in', () => {
    expect(dispatchBody({ leadUnitId: 5, assistingUnitIds: [], assistDueAt: '2099-01-02 10:00:00', note: '  ' })).toEqual({ leadUnitId: 5 });
  });

  it('sends assisting units without the lead, their due date as center time with an offset, and the trimmed note', () => {
    expect(dispatchBody({ leadUnitId: 5, assistingUnitIds: [7, 5, 8], assistDueAt: '2099-01-02 10:00:00', note: ' 请尽快 ' })).toEqual({
      leadUnitId: 5,
      assistingUnitIds: [7, 8],
      assistDueAt: '2099-01-02T10:00:00+08:00',
      note: '请尽快',
    });
  });
});

describe('recall body (RecallDto)', () => {
  const base = { reason: '', redispatch: false, leadUnitId: null, assistingUnitIds: [], assistDueAt: null, note: '' };

  it('is empty for a plain recall before acceptance', () => {
    expect(recallBody(base)).toEqual({});
  });

  it('carries the reason and, when re-dispatching, the new lead and assisting units', () => {
    expect(recallBody({ ...base, reason: ' 职责调整 ', redispatch: true, leadUnitId: 9, assistingUnitIds: [3], assistDueAt: '2099-03-04 09:30:00' })).toEqual({
      reason: '职责调整',
      leadUnitId: 9,
      assistingUnitIds: [3],
      assistDueAt: '2099-03-04T09:30:00+08:00',
    });
  });

  it('ignores the unit pickers when not re-dispatching', () => {
    expect(recallBody({ ...base, reason: '收回', leadUnitId: 9 })).toEqual({ reason: '收回' });
  });
});

describe('callback body (CallbackDto) from the script answers', () => {
  it('resolved and satisfied', () => {
    expect(callbackBody({ accepts: true, resolved: true, satisfaction: 'satisfied', note: '' })).toEqual({ outcome: 'resolved', satisfaction: 'satisfied' });
  });

  it('not resolved, dissatisfied, with the citizen’s words', () => {
    expect(callbackBody({ accepts: true, resolved: false, satisfaction: 'dissatisfied', note: ' 路灯仍不亮 ' })).toEqual({
      outcome: 'unresolved',
      satisfaction: 'dissatisfied',
      note: '路灯仍不亮',
    });
  });

  it('declined: no satisfaction is sent, whatever was picked before', () => {
    expect(callbackBody({ accepts: false, resolved: true, satisfaction: 'satisfied', note: '' })).toEqual({ outcome: 'declined' });
  });
});

describe('other center bodies', () => {
  it('supervise: trimmed instruction and the new deadline with the center offset', () => {
    expect(superviseBody({ instruction: ' 限期办结 ', replyDueAt: '2099-05-06 18:00:00' })).toEqual({
      instruction: '限期办结',
      replyDueAt: '2099-05-06T18:00:00+08:00',
    });
  });

  it('remind: the message only when written', () => {
    expect(remindBody('  ')).toEqual({});
    expect(remindBody(' 请加快 ')).toEqual({ message: '请加快' });
  });

  it('invalidate: code and reason', () => {
    expect(invalidateBody({ reasonCode: 'prank', reason: ' 骚扰 ' })).toEqual({ reasonCode: 'prank', reason: '骚扰' });
    expect(INVALID_REASON_CODES).toEqual(['test_call', 'prank', 'no_content', 'duplicate_call', 'other']);
  });

  it('merge / link: the target and an optional note', () => {
    expect(targetBody({ targetId: 12, note: '' })).toEqual({ targetId: 12 });
    expect(targetBody({ targetId: 12, note: ' 同一事项 ' })).toEqual({ targetId: 12, note: '同一事项' });
  });

  it('decisions: a note when approving, a reason when refusing', () => {
    expect(noteBody('')).toEqual({});
    expect(noteBody(' 同意 ')).toEqual({ note: '同意' });
    expect(reasonBody(' 理由不足 ')).toEqual({ reason: '理由不足' });
    expect(decisionOf('approve-return')).toMatchObject({ subject: 'return', approves: true });
    expect(decisionOf('refuse-extension')).toMatchObject({ subject: 'extension', approves: false });
    expect(decisionOf('reject-reply')).toMatchObject({ subject: 'reply', approves: false });
    expect(decisionOf('dispatch')).toBeNull();
  });

  it('unit picker values', () => {
    expect(singleUnit([4, 5])).toBe(4);
    expect(singleUnit(null)).toBeNull();
    expect(unitList(3)).toEqual([3]);
    expect(unitList(null)).toEqual([]);
  });
});

describe('target order search', () => {
  it('digits are a number prefix from 6 on (separators dropped), other text a keyword from 2 characters', () => {
    expect(targetSearchKeyword('20251')).toBeNull();
    expect(targetSearchKeyword(' 202512 ')).toBe('202512');
    expect(targetSearchKeyword('20251202-0007')).toBe('202512020007');
    expect(targetSearchKeyword('路')).toBeNull();
    expect(targetSearchKeyword('路灯')).toBe('路灯');
  });
});

describe('review context', () => {
  it('finds the undecided return request, the newest one', () => {
    const request = (id: number, requestedAt: string, decision: 'approved' | 'rejected' | null) => ({
      id,
      unit: null,
      reasonCode: 'other' as const,
      reason: 'x',
      suggestedUnit: null,
      requestedAt,
      decision,
      decidedAt: null,
    });
    const order = workOrderDetail({ returns: [request(1, '2025-01-01T00:00:00Z', 'rejected'), request(2, '2025-01-03T00:00:00Z', null)] });
    expect(pendingReturn(order)?.id).toBe(2);
    expect(pendingReturn(workOrderDetail())).toBeNull();
  });

  it('shows the reply’s files, and sizes readably', () => {
    const file = (id: string, purpose: string | null) => ({ id, fileName: `${id}.png`, mimeType: 'image/png', size: 10, sha256: '', purpose, createdAt: '' });
    expect(replyAttachments(workOrderDetail({ attachments: [file('a', 'reply'), file('b', 'assist-reply'), file('c', null)] })).map((f) => f.id)).toEqual(['a']);
    expect(replyAttachments(workOrderDetail({ attachments: [file('c', null)] })).map((f) => f.id)).toEqual(['c']);
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(2048)).toBe('2.0 KB');
    expect(formatFileSize(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
