import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { computed, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { createCategory, updateCategory, type UpdateCategoryInput } from '@/api/admin';
import type { CategoryTreeNode } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useOrganisationStore } from '@/store/modules/organisation';
import type { CategoryForm } from './rule';

/** Only what changed (a PATCH needs at least one field). */
export function categoryChange(category: CategoryTreeNode, form: CategoryForm): UpdateCategoryInput {
  const type = form.defaultRequestType || null;
  return {
    ...(form.name.trim() !== category.name ? { name: form.name.trim() } : {}),
    ...(form.defaultLeadUnitId !== category.defaultLeadUnitId ? { defaultLeadUnitId: form.defaultLeadUnitId } : {}),
    ...(type !== category.defaultRequestType ? { defaultRequestType: type } : {}),
    ...(form.active !== category.active ? { active: form.active } : {}),
  };
}

export function useCategoryAdmin() {
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
  const parent = ref<CategoryTreeNode | null>(null);
  const editing = ref<CategoryTreeNode | null>(null);
  const form = reactive<CategoryForm>({ code: '', name: '', defaultLeadUnitId: null, defaultRequestType: '', sortOrder: 0, active: true });

  const tree = computed(() => organisation.categories ?? []);

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      await Promise.all([organisation.loadCategories(true), organisation.loadUnits()]);
    } catch (error) {
      errorMessage.value = message(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function openCreate(under: CategoryTreeNode | null): void {
    parent.value = under;
    editing.value = null;
    Object.assign(form, {
      code: '',
      name: '',
      defaultLeadUnitId: under?.defaultLeadUnitId ?? null,
      defaultRequestType: under?.defaultRequestType ?? '',
      sortOrder: 0,
      active: true,
    });
    formError.value = null;
    dialogOpen.value = true;
  }

  function openEdit(category: CategoryTreeNode): void {
    parent.value = null;
    editing.value = category;
    Object.assign(form, {
      code: category.code,
      name: category.name,
      defaultLeadUnitId: category.defaultLeadUnitId,
      defaultRequestType: category.defaultRequestType ?? '',
      sortOrder: 0,
      active: category.active,
    });
    formError.value = null;
    dialogOpen.value = true;
  }

  async function save(formRef: FormInstance | undefined): Promise<void> {
    if (formRef && !(await formRef.validate().catch(() => false))) return;
    saving.value = true;
    formError.value = null;
    try {
      if (editing.value) {
        const change = categoryChange(editing.value, form);
        if (Object.keys(change).length > 0) await updateCategory(editing.value.id, change);
        ElMessage.success(t('adminCategories.saved'));
      } else {
        await createCategory({
          code: form.code.trim(),
          name: form.name.trim(),
          parentId: parent.value?.id ?? null,
          defaultLeadUnitId: form.defaultLeadUnitId,
          defaultRequestType: form.defaultRequestType || null,
          sortOrder: form.sortOrder,
        });
        ElMessage.success(t('adminCategories.created'));
      }
      dialogOpen.value = false;
      await load();
    } catch (error) {
      formError.value = message(error);
    } finally {
      saving.value = false;
    }
  }

  async function toggleActive(category: CategoryTreeNode): Promise<void> {
    if (category.active) {
      const sure = await ElMessageBox.confirm(t('adminCategories.confirmDeactivate', { name: category.name }), t('adminCategories.confirmTitle'), { type: 'warning' }).then(
        () => true,
        () => false,
      );
      if (!sure) return;
    }
    try {
      await updateCategory(category.id, { active: !category.active });
      ElMessage.success(t('adminCategories.saved'));
      await load();
    } catch (error) {
      ElMessage.error(message(error));
    }
  }

  return { tree, loading, loaded, errorMessage, search, dialogOpen, saving, formError, parent, editing, form, load, openCreate, openEdit, save, toggleActive };
}
