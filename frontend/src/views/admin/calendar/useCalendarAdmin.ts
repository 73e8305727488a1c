import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { computed, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  createCalendarOverride,
  deleteCalendarOverride,
  listCalendarDays,
  listCalendarOverrides,
  updateCalendarOverride,
} from '@/api/calendar';
import type { CalendarDay, CalendarOverride, DayKind } from '@/api/models';
import { centerYear, weekdayOf } from '@/utils/date';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import type { OverrideForm } from './rule';

export interface MonthGrid {
  month: number;
  /** Leading nulls pad the first week (weeks start on Monday). */
  cells: (CalendarDay | null)[];
}

/** 12 months of a year's days as calendar grids. */
export function monthGrids(days: readonly CalendarDay[]): MonthGrid[] {
  const months = new Map<number, CalendarDay[]>();
  for (const day of days) {
    const month = Number(day.date.slice(5, 7));
    months.set(month, [...(months.get(month) ?? []), day]);
  }
  return [...months.entries()].map(([month, list]) => {
    const lead = (weekdayOf(list[0].date) + 6) % 7;
    return { month, cells: [...Array<null>(lead).fill(null), ...list] };
  });
}

export function useCalendarAdmin() {
  const { t } = useI18n();
  const { message: errorText } = useApiErrorMessage();

  const year = ref(centerYear());
  const days = shallowRef<CalendarDay[]>([]);
  const overrides = shallowRef<CalendarOverride[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);

  const dialogOpen = ref(false);
  const editing = ref<CalendarOverride | null>(null);
  const saving = ref(false);
  const formError = ref<string | null>(null);
  const form = reactive<OverrideForm>({ date: '', kind: '', name: '', note: '' });

  const months = computed(() => monthGrids(days.value));

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      const [allDays, rows] = await Promise.all([
        listCalendarDays(`${year.value}-01-01`, `${year.value}-12-31`),
        listCalendarOverrides(year.value),
      ]);
      days.value = allDays;
      overrides.value = rows;
    } catch (error) {
      errorMessage.value = errorText(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function changeYear(next: number | undefined) {
    if (!next) return;
    year.value = next;
    void load();
  }

  function openDialog(override: CalendarOverride | null, date = '', kind: DayKind | '' = '') {
    editing.value = override;
    formError.value = null;
    Object.assign(form, {
      date: override?.date ?? date,
      kind: override?.kind ?? kind,
      name: override?.name ?? '',
      note: override?.note ?? '',
    });
    dialogOpen.value = true;
  }

  /** A click on a day: edit its override if it has one, else start one for that date. */
  function openDay(day: CalendarDay) {
    const existing = overrides.value.find((o) => o.date === day.date) ?? null;
    openDialog(existing, day.date, day.kind);
  }

  /** Validates the dialog's form (when given), then creates or updates; a refusal stays in the dialog. */
  async function save(formInstance?: FormInstance): Promise<void> {
    const valid = await formInstance?.validate().catch(() => false);
    if (valid === false) return;
    saving.value = true;
    formError.value = null;
    const body = { kind: form.kind as DayKind, name: form.name.trim() || null, note: form.note.trim() || null };
    try {
      if (editing.value) await updateCalendarOverride(editing.value.id, body);
      else await createCalendarOverride({ date: form.date, ...body });
      dialogOpen.value = false;
      ElMessage.success(t('common.saved'));
      await load();
    } catch (error) {
      formError.value = errorText(error);
    } finally {
      saving.value = false;
    }
  }

  async function remove(override: CalendarOverride): Promise<void> {
    try {
      await ElMessageBox.confirm(t('calendar.deleteConfirm', { date: override.date }), t('common.delete'), {
        type: 'warning',
        confirmButtonText: t('common.confirm'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    try {
      await deleteCalendarOverride(override.id);
      ElMessage.success(t('common.deleted'));
      await load();
    } catch (error) {
      errorMessage.value = errorText(error);
    }
  }

  void load();

  return {
    year,
    days,
    months,
    overrides,
    loading,
    loaded,
    errorMessage,
    dialogOpen,
    editing,
    saving,
    form,
    formError,
    load,
    changeYear,
    openDialog,
    openDay,
    save,
    remove,
  };
}
