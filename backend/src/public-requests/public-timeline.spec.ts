import type { CategoryTreeNode } from '../categories/categories.service';
import type { TimelineAction, WorkOrderStatus } from '../work-orders/work-order.enums';
import { canonicalPhone, CITIZEN_PHONE_PATTERN } from './dto/submit-public-request.dto';
import { maskPhone } from './public-request.view';
import { catchAllLeaf, publicCategories, titleFrom } from './public-requests.service';
import { publicStatus, publicTimeline } from './public-timeline';
import type { TrackedEvent } from './public-requests.repository';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 1, minute));
const event = (action: TimelineAction, fromStatus: WorkOrderStatus | null, toStatus: WorkOrderStatus | null, minute: number, payload: Record<string, unknown> | null = null): TrackedEvent => ({
  action,
  fromStatus,
  toStatus,
  payload,
  createdAt: at(minute),
});

describe('publicTimeline', () => {
  const departments = new Map([[7, '云川市城市管理局']]);
  const sut = (events: TrackedEvent[]) => publicTimeline(events, (id) => departments.get(id) ?? null).map((e) => [e.step, e.department]);

  it('keeps the citizen-facing steps and drops everything inside the units', () => {
    expect(
      sut([
        event('register', null, 'registered', 0),
        event('dispatch', 'registered', 'dispatched', 1, { leadUnitId: 7, leadUnitName: '城管局执法一队' }),
        event('accept', 'dispatched', 'processing', 2),
        event('contact', 'processing', 'processing', 3),
        event('sub-dispatch', 'processing', 'processing', 4),
        event('reply', 'processing', 'reply_review', 5),
        event('reject-reply', 'reply_review', 'processing', 6),
        event('reply', 'processing', 'reply_review', 7),
        event('approve-reply', 'reply_review', 'callback_pending', 8),
        event('callback', 'callback_pending', 'processing', 9),
        event('reply', 'processing', 'reply_review', 10),
        event('approve-reply', 'reply_review', 'callback_pending', 11),
        event('callback', 'callback_pending', 'closed', 12),
      ]),
    ).toEqual([
      ['submitted', null],
      ['dispatched', '云川市城市管理局'],
      ['replied', null],
      ['reopened', null],
      ['replied', null],
      ['closed', null],
    ]);
  });

  it('shows a direct answer as replied and closed, an unknown department as null, a repeated dispatch to it once', () => {
    expect(sut([event('register', null, 'registered', 0), event('resolve-directly', 'registered', 'closed', 1)])).toEqual([
      ['submitted', null],
      ['replied', null],
      ['closed', null],
    ]);
    expect(
      sut([
        event('register', null, 'registered', 0),
        event('dispatch', 'registered', 'dispatched', 1, { leadUnitId: 99 }),
        event('recall', 'dispatched', 'registered', 2),
        event('dispatch', 'registered', 'dispatched', 3, { leadUnitId: 99 }),
        event('invalidate', 'registered', 'invalid', 4),
      ]),
    ).toEqual([
      ['submitted', null],
      ['dispatched', null],
      ['not_accepted', null],
    ]);
  });
});

describe('publicStatus', () => {
  it.each([
    ['registered', false, 'received'],
    ['registered', true, 'in_progress'],
    ['dispatched', true, 'in_progress'],
    ['return_requested', true, 'in_progress'],
    ['suspended', true, 'in_progress'],
    ['unit_review', true, 'in_progress'],
    ['reply_review', true, 'in_progress'],
    ['callback_pending', true, 'replied'],
    ['closed', true, 'closed'],
    ['merged', false, 'merged'],
    ['invalid', false, 'not_accepted'],
  ] as const)('%s (dispatched before: %s) → %s', (status, dispatched, expected) => {
    expect(publicStatus(status, dispatched)).toBe(expected);
  });
});

describe('phones', () => {
  it.each(['13812341234', '138 1234 1234', '138-1234-1234', '+8613812341234', '+86 138 1234 1234', '008613812341234', '010-12345678', '0755-1234-5678', '021 1234 5678', '010-12345678-123'])(
    'accepts %s',
    (phone) => expect(CITIZEN_PHONE_PATTERN.test(phone)).toBe(true),
  );
  it.each(['12812341234', '1381234123', '138123412345', '+1 415 555 0100', '12345', '010-123', 'abc'])('refuses %s', (phone) => expect(CITIZEN_PHONE_PATTERN.test(phone)).toBe(false));
  it('files a mobile without +86 and a landline as digits', () => {
    expect(canonicalPhone('+86 138-1234-1234')).toBe('13812341234');
    expect(canonicalPhone('010-12345678')).toBe('01012345678');
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

describe('form helpers', () => {
  const node = (id: number, name: string, level: number, children: CategoryTreeNode[] = [], active = true): CategoryTreeNode => ({
    id,
    code: `C${id}`,
    name,
    level,
    path: name,
    defaultLeadUnitId: null,
    defaultRequestType: null,
    active,
    children,
  });

  it('offers active branches that lead to an active leaf, and finds the catch-all leaf 其他', () => {
    const tree = [
      node(1, '城乡建设', 1, [node(2, '市政设施', 2, [node(3, '路灯', 3), node(4, '旧分类', 3, [], false)]), node(5, '空分支', 2, [node(6, '停用', 3, [], false)])]),
      node(7, '其他', 1, [node(8, '其他', 2, [node(9, '其他', 3)])]),
      node(10, '停用的', 1, [node(11, '其他', 2, [node(12, '其他', 3)])], false),
    ];
    expect(publicCategories(tree)).toEqual([
      { id: 1, name: '城乡建设', children: [{ id: 2, name: '市政设施', children: [{ id: 3, name: '路灯', children: [] }] }] },
      { id: 7, name: '其他', children: [{ id: 8, name: '其他', children: [{ id: 9, name: '其他', children: [] }] }] },
    ]);
    expect(catchAllLeaf(tree)?.id).toBe(9);
    expect(catchAllLeaf(tree.slice(0, 1))).toBeNull();
  });

  it('titles a request without a title by the first 30 characters of its content, on one line', () => {
    expect(titleFrom('  路灯不亮\n请修理  ')).toBe('路灯不亮 请修理');
    expect(titleFrom('一'.repeat(31))).toBe(`${'一'.repeat(30)}…`);
  });
});
