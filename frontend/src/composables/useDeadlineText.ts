import { useI18n } from 'vue-i18n';
import type { WorkOrderDeadline } from '@/api/models';

/** Hours with at most one decimal: 90 minutes → "1.5", 120 → "2". */
export function hoursOf(minutes: number): string {
  return String(Math.round((Math.abs(minutes) / 60) * 10) / 10);
}

/** How the console words remaining and overdue time: "剩余 2 工作小时", "已超期 1.5 工作小时". */
export function useDeadlineText() {
  const { t } = useI18n();

  const duration = (minutes: number, clock: WorkOrderDeadline['clock']) => {
    const hours = hoursOf(minutes);
    // English says "1 working hour" but "1.5 working hours"; the Chinese message has one form.
    return t(clock === 'working' ? 'deadline.workingHours' : 'deadline.calendarHours', { hours }, hours === '1' ? 1 : 2);
  };

  function countdown(deadline: WorkOrderDeadline): string {
    if (!deadline.running) return t('deadline.stopped');
    const time = duration(deadline.remainingWorkingMinutes, deadline.clock);
    return deadline.level === 'red' || deadline.remainingWorkingMinutes < 0
      ? t('deadline.overdue', { time })
      : t('deadline.remaining', { time });
  }

  return { duration, countdown };
}
