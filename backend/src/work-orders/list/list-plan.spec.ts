import fc from 'fast-check';
import { afterCursorCondition, decodeListCursor, encodeListCursor, isAfterCursor, planFor, type ListRowValues } from './list-plan';

describe('list plans', () => {
  it('reads time sorts as one segment and number like registration time', () => {
    expect(planFor('createdAt', 'DESC').segments).toEqual([{ condition: null, params: {}, column: 'createdAt', direction: 'DESC', dense: true, admits: expect.any(Function) }]);
    expect(planFor('number', 'ASC').segments).toEqual(planFor('createdAt', 'ASC').segments);
    expect(planFor('number', 'ASC').key).not.toBe(planFor('createdAt', 'ASC').key);
  });

  it('puts orders without the deadline last in both directions', () => {
    for (const direction of ['ASC', 'DESC'] as const) {
      const [withDeadline, without] = planFor('replyDueAt', direction).segments;
      expect(withDeadline).toMatchObject({ condition: 'wo.replyDueAt IS NOT NULL', column: 'replyDueAt', direction });
      expect(without).toMatchObject({ condition: 'wo.replyDueAt IS NULL', column: null });
    }
  });

  it('reads status in lifecycle order and urgency by rank, newest first within each', () => {
    const statuses = planFor('status', 'ASC').segments.map((s) => Object.values(s.params)[0]);
    expect(statuses.slice(0, 4)).toEqual(['registered', 'dispatched', 'return_requested', 'processing']);
    expect(planFor('status', 'DESC').segments.map((s) => Object.values(s.params)[0])).toEqual([...statuses].reverse());
    expect(planFor('urgency', 'DESC').segments.map((s) => Object.values(s.params)[0])).toEqual(['critical', 'urgent', 'normal']);
    expect(planFor('urgency', 'ASC').segments.every((s) => s.direction === 'DESC' && s.column === 'createdAt')).toBe(true);
  });
});

describe('segments as tests of a row (rows read apart from the index ranges)', () => {
  const row = (values: Partial<ListRowValues>): ListRowValues => ({
    id: 1,
    status: 'processing',
    urgency: 'normal',
    createdAt: 0,
    updatedAt: 0,
    replyDueAt: null,
    acceptDueAt: null,
    ...values,
  });

  it('admits what the condition of each segment selects', () => {
    const [withDeadline, without] = planFor('acceptDueAt', 'ASC').segments;
    expect(withDeadline.admits(row({ acceptDueAt: 5 }))).toBe(true);
    expect(withDeadline.admits(row({ acceptDueAt: null, replyDueAt: 5 }))).toBe(false);
    expect(without.admits(row({ acceptDueAt: null }))).toBe(true);
    const byStatus = planFor('status', 'ASC').segments;
    expect(byStatus.filter((s) => s.admits(row({ status: 'dispatched' }))).map((s) => Object.values(s.params)[0])).toEqual(['dispatched']);
    const byUrgency = planFor('urgency', 'DESC').segments;
    expect(byUrgency.filter((s) => s.admits(row({ urgency: 'urgent' }))).map((s) => Object.values(s.params)[0])).toEqual(['urgent']);
    expect(planFor('updatedAt', 'DESC').segments[0].admits(row({}))).toBe(true);
  });

  it('puts a row after the cursor exactly when the sort puts it after the row of the cursor', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'ASC' | 'DESC'>('ASC', 'DESC'),
        fc.boolean(),
        fc.record({ id: fc.integer({ min: 1, max: 20 }), value: fc.integer({ min: 0, max: 5 }) }),
        fc.record({ id: fc.integer({ min: 1, max: 20 }), value: fc.integer({ min: 0, max: 5 }) }),
        (direction, byColumn, last, candidate) => {
          const segment = planFor('replyDueAt', direction).segments[byColumn ? 0 : 1];
          const cursor = { key: 'x', segment: 0, value: segment.column ? last.value : null, id: last.id };
          const key = { id: candidate.id, value: segment.column ? candidate.value : null };
          const sign = segment.direction === 'ASC' ? 1 : -1;
          const order = key.value !== null && cursor.value !== null && key.value !== cursor.value ? sign * (key.value - cursor.value) : sign * (key.id - cursor.id);
          expect(isAfterCursor(segment, cursor, key)).toBe(order > 0);
        },
      ),
    );
  });
});

describe('list cursors', () => {
  it('round-trip whatever the values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('createdAt.DESC', 'replyDueAt.ASC', 'kw.id', 'kw.rel'),
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
        fc.integer({ min: 0, max: 2_147_483_647 }),
        (key, segment, value, id) => {
          const cursor = { key, segment, value, id };
          expect(decodeListCursor(encodeListCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  it('refuses anything it did not hand out', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const cursor = decodeListCursor(text);
        if (cursor) expect(encodeListCursor(cursor)).toBeTruthy();
      }),
    );
    for (const text of ['', 'not-a-cursor', Buffer.from('createdAt.DESC~0~1~').toString('base64url'), Buffer.from('x~0~1~99999999999').toString('base64url'), 'A'.repeat(81)]) {
      expect(decodeListCursor(text)).toBeNull();
    }
  });

  it('continues after the last row: strictly after it in the segment direction, ties broken by id', () => {
    const [segment] = planFor('createdAt', 'DESC').segments;
    const after = afterCursorCondition(segment, { key: 'createdAt.DESC', segment: 0, value: Date.UTC(2026, 0, 1), id: 7 });
    expect(after.sql).toBe('(wo.createdAt < :cursorValue OR (wo.createdAt = :cursorValue AND wo.id < :cursorId))');
    expect(after.params).toEqual({ cursorValue: new Date(Date.UTC(2026, 0, 1)), cursorId: 7 });
    const nullSegment = planFor('replyDueAt', 'ASC').segments[1];
    expect(afterCursorCondition(nullSegment, { key: 'replyDueAt.ASC', segment: 1, value: null, id: 9 }).sql).toBe('wo.id < :cursorId');
  });
});
