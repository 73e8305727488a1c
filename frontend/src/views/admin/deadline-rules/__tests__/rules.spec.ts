import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { getDeadlineRules, replaceDeadlineRules } from '@/api/deadlines';
import type { DeadlineRule } from '@/api/models';
import { mountView } from '@/testing/mount-view';
import RulesView from '../index.vue';

vi.mock('@/api/deadlines', () => ({ getDeadlineRules: vi.fn(), replaceDeadlineRules: vi.fn() }));

function rule(overrides: Partial<DeadlineRule> = {}): DeadlineRule {
  const wd = (amount: number) => ({ amount, unit: 'working_days' as const });
  return {
    requestType: 'complaint',
    urgency: 'normal',
    categoryId: null,
    limits: {
      dispatch: { amount: 24, unit: 'calendar_hours' },
      accept: { amount: 2, unit: 'working_hours' },
      contact: wd(1),
      reply: wd(5),
      reopen: wd(3),
      returnWindow: wd(2),
      extensionCap: wd(10),
    },
    ...overrides,
  };
}

async function mountRules() {
  const mounted = await mountView({ routes: [{ path: '/admin/deadline-rules', component: RulesView }], path: '/admin/deadline-rules' });
  await flushPromises();
  return mounted;
}

describe('time-limit rules page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getDeadlineRules).mockReset().mockResolvedValue({ items: [rule(), rule({ urgency: 'urgent' })] });
    vi.mocked(replaceDeadlineRules).mockReset();
  });

  it('shows the table and PUTs the whole of it with the edits', async () => {
    vi.mocked(replaceDeadlineRules).mockImplementation((items) => Promise.resolve({ items }));
    const { wrapper } = await mountRules();
    expect(wrapper.find('[data-test="rules-table"]').text()).toContain('投诉');

    const reply = wrapper.find('[data-test="limit-reply"][data-row="0"] input');
    await reply.setValue('7');
    await reply.trigger('blur');
    await wrapper.find('[data-test="rules-save"]').trigger('click');
    await flushPromises();

    const sent = vi.mocked(replaceDeadlineRules).mock.calls[0][0];
    expect(sent).toHaveLength(2);
    expect(sent[0].limits.reply).toEqual({ amount: 7, unit: 'working_days' });
    expect(sent[1].urgency).toBe('urgent');
  });

  it('says the server refused the rules, in the page’s language, and keeps the edits', async () => {
    vi.mocked(replaceDeadlineRules).mockRejectedValue(
      new ApiError('items[0] (complaint/normal) limits.reply: working_days must be a whole number from 1 to 3650, got 1.5', {
        kind: 'server',
        statusCode: 422,
        code: 'UNPROCESSABLE',
      }),
    );
    const { wrapper } = await mountRules();
    await wrapper.find('[data-test="rules-save"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="rules-error"]').text()).toContain('当前情况下不能执行此操作');
  });
});
