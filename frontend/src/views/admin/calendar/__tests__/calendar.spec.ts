import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import {
  createCalendarOverride,
  deleteCalendarOverride,
  listCalendarDays,
  listCalendarOverrides,
  updateCalendarOverride,
} from '@/api/calendar';
import type { CalendarDay, CalendarOverride } from '@/api/models';
import { mountView } from '@/testing/mount-view';
import { monthGrids } from '../useCalendarAdmin';
import CalendarView from '../index.vue';

vi.mock('@/api/calendar', () => ({
  listCalendarDays: vi.fn(),
  listCalendarOverrides: vi.fn(),
  createCalendarOverride: vi.fn(),
  updateCalendarOverride: vi.fn(),
  deleteCalendarOverride: vi.fn(),
}));

const days: CalendarDay[] = [
  { date: '2026-09-30', kind: 'workday', name: null, source: 'builtin' },
  { date: '2026-10-01', kind: 'holiday', name: '国庆节', source: 'builtin' },
  { date: '2026-10-02', kind: 'holiday', name: '国庆节', source: 'builtin' },
  { date: '2026-10-10', kind: 'makeup_workday', name: '国庆节', source: 'builtin' },
  { date: '2026-10-11', kind: 'weekend', name: null, source: 'override' },
];

const override: CalendarOverride = {
  id: 7,
  date: '2026-10-11',
  kind: 'weekend',
  name: '本地安排',
  note: null,
  createdById: 1,
  updatedById: 1,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-01T00:00:00.000Z',
};

const q = (selector: string) => document.body.querySelector<HTMLElement>(selector);

async function mountCalendar() {
  const mounted = await mountView({ routes: [{ path: '/admin/calendar', component: CalendarView }], path: '/admin/calendar' });
  await flushPromises();
  return mounted;
}

describe('calendar overrides page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listCalendarDays).mockReset().mockResolvedValue(days);
    vi.mocked(listCalendarOverrides).mockReset().mockResolvedValue([override]);
    vi.mocked(createCalendarOverride).mockReset();
    vi.mocked(updateCalendarOverride).mockReset();
    vi.mocked(deleteCalendarOverride).mockReset();
  });

  it('lays out a year of days by month with their kinds, and lists the overrides', async () => {
    const { wrapper } = await mountCalendar();
    const year = vi.mocked(listCalendarDays).mock.calls[0];
    expect(year[0]).toMatch(/^\d{4}-01-01$/);
    expect(year[1]).toMatch(/^\d{4}-12-31$/);

    const national = wrapper.find('[data-test="calendar-day"][data-date="2026-10-01"]');
    expect(national.attributes('data-kind')).toBe('holiday');
    expect(national.classes()).toContain('is-holiday');
    expect(national.attributes('title')).toContain('国庆节');
    expect(wrapper.find('[data-date="2026-10-10"]').classes()).toContain('is-makeup_workday');
    expect(wrapper.find('[data-date="2026-10-11"]').classes()).toContain('is-override');
    expect(wrapper.find('[data-test="override-table"]').text()).toContain('本地安排');
    expect(wrapper.find('[data-test="calendar-admin"]').attributes('data-state')).toBe('loaded');
  });

  it('puts October 1st 2026 (a Thursday) under Thursday in a Monday-first grid', () => {
    const october = monthGrids(days).find((m) => m.month === 10)!;
    expect(october.cells.slice(0, 3)).toEqual([null, null, null]);
    expect(october.cells[3]?.date).toBe('2026-10-01');
  });

  it('checks the form before sending, then shows the server’s refusal in the dialog', async () => {
    vi.mocked(createCalendarOverride).mockRejectedValue(
      new ApiError('There is already an override for 2026-10-02', { kind: 'server', statusCode: 409, code: 'DUPLICATE' }),
    );
    const { wrapper } = await mountCalendar();
    await wrapper.find('[data-test="calendar-add"]').trigger('click');
    await flushPromises();
    q('[data-test="override-save"]')!.click();
    await flushPromises();
    await vi.waitFor(() => expect(document.body.textContent).toContain('请选择日期'));
    expect(createCalendarOverride).not.toHaveBeenCalled();

    // Clicking a day fills the date and its kind.
    await wrapper.find('[data-date="2026-10-02"]').trigger('click');
    await flushPromises();
    q('[data-test="override-save"]')!.click();
    await flushPromises();
    expect(createCalendarOverride).toHaveBeenCalledWith({ date: '2026-10-02', kind: 'holiday', name: null, note: null });
    await vi.waitFor(() => expect(q('[data-test="override-error"]')?.textContent).toContain('已存在相同的记录'));
  });

  it('edits an override by its id and reloads the year', async () => {
    vi.mocked(updateCalendarOverride).mockResolvedValue({ ...override, name: '调整' });
    const { wrapper } = await mountCalendar();
    await wrapper.find('[data-test="override-edit"]').trigger('click');
    await flushPromises();
    q('[data-test="override-save"]')!.click();
    await flushPromises();
    expect(updateCalendarOverride).toHaveBeenCalledWith(7, { kind: 'weekend', name: '本地安排', note: null });
    expect(listCalendarDays).toHaveBeenCalledTimes(2);
  });

  it('deletes after confirmation', async () => {
    vi.mocked(deleteCalendarOverride).mockResolvedValue(undefined);
    const { wrapper } = await mountCalendar();
    await wrapper.find('[data-test="override-delete"]').trigger('click');
    await vi.waitFor(() => expect(q('.el-message-box__btns .el-button--primary')).not.toBeNull());
    q('.el-message-box__btns .el-button--primary')!.click();
    await vi.waitFor(() => expect(deleteCalendarOverride).toHaveBeenCalledWith(7));
  });
});
