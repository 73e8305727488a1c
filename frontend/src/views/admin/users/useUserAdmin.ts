import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { createUser, listUsers, resetUserPassword, updateUser, type UpdateUserInput, type UserQuery, type UserWithOneTimePassword } from '@/api/admin';
import type { Role, UserAccount } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import type { UserForm } from './rule';

export interface UserFilters {
  keyword: string;
  role: Role | '';
  unitId: number | null;
}

export const USER_PAGE_SIZE = 20;

/** The list query for the filters; empty ones are left out. */
export function userQuery(filters: UserFilters, page: number, pageSize = USER_PAGE_SIZE): UserQuery {
  return {
    page,
    pageSize,
    ...(filters.keyword.trim() ? { keyword: filters.keyword.trim() } : {}),
    ...(filters.role ? { role: filters.role } : {}),
    ...(filters.unitId !== null ? { unitId: filters.unitId } : {}),
  };
}

/** Only what changed, so that an unchanged role or unit does not end the user's sessions. */
export function userChange(user: UserAccount, form: UserForm): UpdateUserInput {
  return {
    ...(form.displayName.trim() !== user.displayName ? { displayName: form.displayName.trim() } : {}),
    ...(form.role && form.role !== user.role ? { role: form.role } : {}),
    ...(form.unitId !== null && form.unitId !== user.unitId ? { unitId: form.unitId } : {}),
  };
}

export function useUserAdmin() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();

  const filters = reactive<UserFilters>({ keyword: '', role: '', unitId: null });
  const rows = shallowRef<UserAccount[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);

  const dialogOpen = ref(false);
  const editing = ref<UserAccount | null>(null);
  const saving = ref(false);
  const formError = ref<string | null>(null);
  const form = reactive<UserForm>({ username: '', displayName: '', role: '', unitId: null });
  /** The one-time password to show, once; dropped when its dialog closes. */
  const oneTimePassword = shallowRef<UserWithOneTimePassword | null>(null);
  const passwordWasReset = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      const answer = await listUsers(userQuery(filters, page.value));
      rows.value = answer.items;
      total.value = answer.total;
    } catch (error) {
      errorMessage.value = message(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  function search(): void {
    page.value = 1;
    void load();
  }

  function reset(): void {
    Object.assign(filters, { keyword: '', role: '', unitId: null });
    search();
  }

  function changePage(next: number): void {
    page.value = next;
    void load();
  }

  function openCreate(): void {
    editing.value = null;
    Object.assign(form, { username: '', displayName: '', role: '', unitId: null });
    formError.value = null;
    dialogOpen.value = true;
  }

  function openEdit(user: UserAccount): void {
    editing.value = user;
    Object.assign(form, { username: user.username, displayName: user.displayName, role: user.role, unitId: user.unitId });
    formError.value = null;
    dialogOpen.value = true;
  }

  async function save(formRef: FormInstance | undefined): Promise<void> {
    if (formRef && !(await formRef.validate().catch(() => false))) return;
    saving.value = true;
    formError.value = null;
    try {
      if (editing.value) {
        const change = userChange(editing.value, form);
        if (Object.keys(change).length > 0) await updateUser(editing.value.id, change);
        ElMessage.success(t('adminUsers.saved'));
      } else if (form.role && form.unitId !== null) {
        const created = await createUser({ username: form.username.trim(), displayName: form.displayName.trim(), role: form.role, unitId: form.unitId });
        passwordWasReset.value = false;
        oneTimePassword.value = created;
      }
      dialogOpen.value = false;
      await load();
    } catch (error) {
      formError.value = message(error);
    } finally {
      saving.value = false;
    }
  }

  async function confirm(text: string): Promise<boolean> {
    return ElMessageBox.confirm(text, t('adminUsers.confirmTitle'), { type: 'warning' }).then(
      () => true,
      () => false,
    );
  }

  async function toggleActive(user: UserAccount): Promise<void> {
    const enabling = !user.active;
    if (!(await confirm(t(enabling ? 'adminUsers.confirmEnable' : 'adminUsers.confirmDisable', { name: user.displayName })))) return;
    try {
      await updateUser(user.id, { active: enabling });
      ElMessage.success(t(enabling ? 'adminUsers.enabledDone' : 'adminUsers.disabledDone'));
      await load();
    } catch (error) {
      ElMessage.error(message(error));
    }
  }

  async function resetPassword(user: UserAccount): Promise<void> {
    if (!(await confirm(t('adminUsers.confirmReset', { name: user.displayName })))) return;
    try {
      passwordWasReset.value = true;
      oneTimePassword.value = await resetUserPassword(user.id);
      await load();
    } catch (error) {
      ElMessage.error(message(error));
    }
  }

  function closePassword(): void {
    oneTimePassword.value = null;
  }

  return {
    filters,
    rows,
    total,
    page,
    loading,
    loaded,
    errorMessage,
    dialogOpen,
    editing,
    saving,
    formError,
    form,
    oneTimePassword,
    passwordWasReset,
    load,
    search,
    reset,
    changePage,
    openCreate,
    openEdit,
    save,
    toggleActive,
    resetPassword,
    closePassword,
  };
}
