import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/api-error';
import { createUnit, updateUnit } from '@/api/admin';
import type { UnitTreeNode } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useOrganisationStore } from '@/store/modules/organisation';
import { defaultLeaderSignOff, type UnitForm } from './rule';

/** The open work orders a 409 on deactivation names (details.openWorkOrders), or null for another error. */
export function openOrdersOf(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.statusCode !== 409) return null;
  const details = error.details as { openWorkOrders?: unknown } | null;
  return details && typeof details.openWorkOrders === 'number' ? details.openWorkOrders : null;
}

/** Whether a unit or any unit below it matches the search (by name or code, case-insensitive). */
export function unitMatches(unit: Pick<UnitTreeNode, 'name' | 'code'>, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || unit.name.toLowerCase().includes(needle) || unit.code.toLowerCase().includes(needle);
}

export function useUnitAdmin() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  const organisation = useOrganisationStore();

  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);
  const search = ref('');

  const dialogOpen = ref(false);
  const saving = ref(false);
  const formError = ref<string | null>(null);
  const parent = ref<UnitTreeNode | null>(null);
  const editing = ref<UnitTreeNode | null>(null);
  const form = reactive<UnitForm>({ code: '', name: '', type: '', leaderSignOff: false, active: true });
  /** Units opened in the tree besides the roots: the parent of a unit just created, so it shows at once. */
  const expandedIds = ref<number[]>([]);

  const tree = computed(() => organisation.units ?? []);

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      await organisation.loadUnits(true);
    } catch (error) {
      errorMessage.value = message(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function openCreate(under: UnitTreeNode): void {
    parent.value = under;
    editing.value = null;
    Object.assign(form, { code: '', name: '', type: '', leaderSignOff: false, active: true });
    formError.value = null;
    dialogOpen.value = true;
  }

  function openEdit(unit: UnitTreeNode): void {
    parent.value = null;
    editing.value = unit;
    Object.assign(form, { code: unit.code, name: unit.name, type: unit.type, leaderSignOff: unit.leaderSignOff, active: unit.active });
    formError.value = null;
    dialogOpen.value = true;
  }

  function typeChanged(): void {
    if (!editing.value) form.leaderSignOff = defaultLeaderSignOff(form.type);
  }

  async function save(formRef: FormInstance | undefined): Promise<void> {
    if (formRef && !(await formRef.validate().catch(() => false))) return;
    saving.value = true;
    formError.value = null;
    try {
      if (editing.value) {
        const unit = editing.value;
        await updateUnit(unit.id, {
          ...(form.name.trim() !== unit.name ? { name: form.name.trim() } : {}),
          ...(form.leaderSignOff !== unit.leaderSignOff ? { leaderSignOff: form.leaderSignOff } : {}),
          ...(form.active !== unit.active ? { active: form.active } : {}),
        });
        ElMessage.success(t('adminUnits.saved'));
      } else if (parent.value && form.type) {
        await createUnit({ code: form.code.trim(), name: form.name.trim(), type: form.type, parentId: parent.value.id, leaderSignOff: form.leaderSignOff });
        expandedIds.value = [...new Set([...expandedIds.value, parent.value.id])];
        ElMessage.success(t('adminUnits.created'));
      }
      dialogOpen.value = false;
      await load();
    } catch (error) {
      const open = openOrdersOf(error);
      if (open !== null) {
        await ElMessageBox.alert(t('adminUnits.deactivateBlocked', { count: open }), t('adminUnits.deactivateBlockedTitle'), { type: 'warning' }).catch(() => undefined);
        form.active = true;
      } else formError.value = message(error);
    } finally {
      saving.value = false;
    }
  }

  return { tree, expandedIds, loading, loaded, errorMessage, search, dialogOpen, saving, formError, parent, editing, form, load, openCreate, openEdit, typeChanged, save };
}
