import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it } from 'vitest';
import type { WorkOrderDeadline } from '@/api/models';
import { createAppI18n } from '@/locales';
import DeadlineCountdown from '../DeadlineCountdown.vue';

function deadline(overrides: Partial<WorkOrderDeadline>): WorkOrderDeadline {
  return {
    kind: 'reply',
    dueAt: '2026-03-10T09:00:00.000Z',
    running: true,
    clock: 'working',
    remainingWorkingMinutes: 600,
    level: 'none',
    ...overrides,
  };
}

function render(value: WorkOrderDeadline, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const wrapper = mount(DeadlineCountdown, {
    props: { deadline: value },
    global: { plugins: [createAppI18n(locale), ElementPlus] },
  });
  const tag = wrapper.find('[data-test="deadline-countdown"]');
  return { text: tag.text(), level: tag.attributes('data-level'), classes: tag.classes() };
}

describe('DeadlineCountdown', () => {
  it('shows working time left in green while on time', () => {
    const shown = render(deadline({ remainingWorkingMinutes: 600 }));
    expect(shown.text).toBe('剩余 10 工作小时');
    expect(shown.level).toBe('none');
    expect(shown.classes).toContain('el-tag--success');
  });

  it('turns yellow near the end', () => {
    const shown = render(deadline({ remainingWorkingMinutes: 90, level: 'yellow' }));
    expect(shown.text).toBe('剩余 1.5 工作小时');
    expect(shown.classes).toContain('el-tag--warning');
  });

  it('says how long it is overdue, in red', () => {
    const shown = render(deadline({ remainingWorkingMinutes: -150, level: 'red' }));
    expect(shown.text).toBe('已超期 2.5 工作小时');
    expect(shown.level).toBe('red');
    expect(shown.classes).toContain('el-tag--danger');
  });

  it('counts plain hours for calendar-hour limits, and greys out a deadline that does not run', () => {
    expect(render(deadline({ clock: 'calendar', remainingWorkingMinutes: 30, level: 'yellow' })).text).toBe('剩余 0.5 小时');
    const stopped = render(deadline({ running: false }));
    expect(stopped.text).toBe('未计时');
    expect(stopped.classes).toContain('el-tag--info');
    expect(render(deadline({ remainingWorkingMinutes: -60, level: 'red' }), 'en').text).toBe('Overdue by 1 working hour');
    expect(render(deadline({ remainingWorkingMinutes: -90, level: 'red' }), 'en').text).toBe('Overdue by 1.5 working hours');
  });
});
