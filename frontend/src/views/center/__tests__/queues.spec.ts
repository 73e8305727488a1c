import { describe, expect, it } from 'vitest';
import { workOrder } from '@/views/work-orders/__tests__/fixtures';
import { CENTER_QUEUES, countQuery, queueByKey, queueQuery, rowActions, visibleQueues } from '../queues';

const keys = (role: Parameters<typeof visibleQueues>[0]) => visibleQueues(role).map((queue) => queue.key);
const queue = (key: string) => queueByKey(key)!;

describe('center queues', () => {
  it('shows each role the queues it acts on; supervisors and admins see all', () => {
    expect(keys('dispatcher')).toEqual(['dispatch', 'returns', 'extensions']);
    expect(keys('reviewer')).toEqual(['replies']);
    expect(keys('callback_agent')).toEqual(['callbacks']);
    expect(keys('supervisor')).toEqual(CENTER_QUEUES.map((q) => q.key));
    expect(keys('admin')).toEqual(CENTER_QUEUES.map((q) => q.key));
    expect(keys('handler')).toEqual([]);
    expect(keys(undefined)).toEqual([]);
  });

  it('asks the list API for each queue’s status, oldest first, one page at a time', () => {
    expect(queueQuery(queue('dispatch'), 2, 20)).toEqual({ status: 'registered', sortBy: 'createdAt', sortOrder: 'ASC', page: 2, pageSize: 20 });
    expect(queueQuery(queue('returns'), 1, 20)).toMatchObject({ status: 'return_requested' });
    expect(queueQuery(queue('replies'), 1, 20)).toMatchObject({ status: 'reply_review' });
    expect(queueQuery(queue('callbacks'), 1, 20)).toMatchObject({ status: 'callback_pending' });
  });

  it('counts with a one-row page', () => {
    expect(countQuery(queue('replies'))).toEqual({ status: 'reply_review', sortBy: 'updatedAt', sortOrder: 'ASC', page: 1, pageSize: 1 });
  });

  it('lists pending extension requests and open supervised orders with the list API’s own filters', () => {
    expect(queueQuery(queue('extensions'), 3, 20)).toEqual({ extensionRequested: true, sortBy: 'replyDueAt', sortOrder: 'ASC', page: 3, pageSize: 20 });
    expect(queueQuery(queue('supervised'), 1, 20)).toEqual({ supervised: true, open: true, sortBy: 'replyDueAt', sortOrder: 'ASC', page: 1, pageSize: 20 });
  });

  it('offers quick actions only to the roles the backend lets act, never on child orders', () => {
    const top = workOrder({ parentId: null });
    expect(rowActions(queue('dispatch'), top, 'dispatcher')).toEqual(['dispatch']);
    expect(rowActions(queue('dispatch'), top, 'admin')).toEqual([]);
    expect(rowActions(queue('replies'), top, 'reviewer')).toEqual(['approve-reply', 'reject-reply']);
    expect(rowActions(queue('callbacks'), top, 'callback_agent')).toEqual(['callback', 'callback-attempt']);
    expect(rowActions(queue('supervised'), top, 'supervisor')).toEqual(['remind', 'supervise']);
    expect(rowActions(queue('returns'), workOrder({ parentId: 7 }), 'dispatcher')).toEqual([]);
  });
});
