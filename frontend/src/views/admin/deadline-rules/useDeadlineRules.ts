import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { getDeadlineRules, replaceDeadlineRules } from '@/api/deadlines';
import { LIMIT_NAMES, type DeadlineRule } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';

/** Rows the admin edits in place; a deep copy, so a failed save leaves the table as typed. */
function copy(rules: readonly DeadlineRule[]): DeadlineRule[] {
  return rules.map((rule) => ({ ...rule, limits: structuredClone(rule.limits) }));
}

/** Whether every amount is a number above 0 (the server checks the rest and answers 422). */
export function amountsValid(rules: readonly DeadlineRule[]): boolean {
  return rules.every((rule) =>
    LIMIT_NAMES.every((name) => Number.isFinite(rule.limits[name].amount) && rule.limits[name].amount > 0),
  );
}

export function useDeadlineRules() {
  const { t } = useI18n();
  const { message: errorText } = useApiErrorMessage();
  const rows = ref<DeadlineRule[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const saving = ref(false);
  const errorMessage = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      rows.value = copy((await getDeadlineRules()).items);
    } catch (error) {
      errorMessage.value = errorText(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  /** PUT the whole table; the server's 422 message (e.g. a fractional number of working days) is shown as it is. */
  async function save(): Promise<void> {
    if (!amountsValid(rows.value)) {
      errorMessage.value = t('deadlineRules.amountInvalid');
      return;
    }
    saving.value = true;
    errorMessage.value = null;
    try {
      rows.value = copy((await replaceDeadlineRules(rows.value)).items);
      ElMessage.success(t('common.saved'));
    } catch (error) {
      errorMessage.value = errorText(error);
    } finally {
      saving.value = false;
    }
  }

  void load();

  return { rows, loading, loaded, saving, errorMessage, load, save };
}
