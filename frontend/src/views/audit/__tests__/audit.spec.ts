import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type AuditEvent, listAuditEvents } from '@/api/audit';
import { ApiError } from '@/api/api-error';
import { mountView } from '@/testing/mount-view';
import AuditView from '../index.vue';

function event(id: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    at: '2026-12-01T02:00:00.000Z',
    actorId: 7,
    actorName: '系统管理员',
    actorRole: 'admin',
    action: 'user.create',
    targetType: 'user',
    targetId: String(100 + id),
    details: { after: { username: `u${id}` } },
    correlationId: `corr-${id}`,
    ...overrides,
  };
}

vi.mock('@/api/audit', async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), listAuditEvents: vi.fn() }));

async function mountAudit() {
  const mounted = await mountView({ routes: [{ path: '/audit', component: AuditView }], path: '/audit' });
  await flushPromises();
  return mounted;
}

describe('the audit log page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listAuditEvents).mockReset();
  });

  it('shows the newest rows and loads more with the server’s cursor, keeping the filters', async () => {
    vi.mocked(listAuditEvents)
      .mockResolvedValueOnce({ items: [event(1)], nextCursor: null })
      .mockResolvedValueOnce({ items: [event(3), event(2)], nextCursor: 'next-1' })
      .mockResolvedValueOnce({ items: [event(1, { action: 'user.update' })], nextCursor: null });
    const { wrapper } = await mountAudit();
    expect(vi.mocked(listAuditEvents).mock.calls[0]?.[0]).toEqual({ pageSize: 50 });

    await wrapper.find('input[data-test="audit-action"]').setValue('user.');
    await wrapper.find('input[data-test="audit-actor"]').setValue('7');
    await wrapper.find('[data-test="audit-search"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(listAuditEvents).mock.calls[1]?.[0]).toEqual({ pageSize: 50, action: 'user.', actorId: 7 });
    expect(wrapper.find('[data-test="audit-table"]').text()).toContain('user.create');

    await wrapper.find('[data-test="audit-more"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(listAuditEvents).mock.calls[2]?.[0]).toEqual({ pageSize: 50, action: 'user.', actorId: 7, cursor: 'next-1' });
    expect(wrapper.findAll('[data-test="audit-table"] tbody tr')).toHaveLength(3);
    expect(wrapper.find('[data-test="audit-more"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="audit-end"]').exists()).toBe(true);
  }, 20_000);

  it('says in the page’s language that the filters were refused', async () => {
    vi.mocked(listAuditEvents).mockRejectedValue(new ApiError('from must be before to', { kind: 'server', statusCode: 400, code: 'BAD_REQUEST', correlationId: 'c-1' }));
    const { wrapper } = await mountAudit();
    expect(wrapper.find('[data-test="audit-error"]').text()).toContain('提交的内容有误，请检查后重试');
  });
});
