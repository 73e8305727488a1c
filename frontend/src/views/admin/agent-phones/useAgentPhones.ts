import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { computed, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/api-error';
import { deleteAgentPhone, listAgentPhones, listAgentUsers, putAgentPhone, type AgentPhone, type PutAgentPhoneInput } from '@/api/agent-phones';
import type { UserAccount } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import type { AgentPhoneForm } from './rule';

/** The PUT body for the form: the password only when one was typed (an existing extension keeps its own). */
export function phoneInput(form: AgentPhoneForm): PutAgentPhoneInput {
  if (form.userId === null) throw new Error('The form has no agent');
  return form.password ? { userId: form.userId, password: form.password } : { userId: form.userId };
}

/** 坐席分机: the list, the create/change dialog (agents looked up by name), removing with confirmation. */
export function useAgentPhones() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();

  const phones = shallowRef<AgentPhone[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const errorMessage = ref<string | null>(null);

  const dialogOpen = ref(false);
  /** The extension being changed; null while creating one. */
  const editing = ref<AgentPhone | null>(null);
  const saving = ref(false);
  const formError = ref<string | null>(null);
  const form = reactive<AgentPhoneForm>({ extension: '', userId: null, password: '' });

  const agents = shallowRef<UserAccount[]>([]);
  const searchingAgents = ref(false);
  let agentSearch: AbortController | null = null;

  async function load(): Promise<void> {
    loading.value = true;
    errorMessage.value = null;
    try {
      phones.value = await listAgentPhones();
    } catch (error) {
      errorMessage.value = message(error);
    } finally {
      loading.value = false;
      loaded.value = true;
    }
  }

  /** The agents matching what is typed in the agent picker (remote search; the first 100 without a keyword). */
  async function searchAgents(keyword = ''): Promise<void> {
    agentSearch?.abort();
    const own = new AbortController();
    agentSearch = own;
    searchingAgents.value = true;
    try {
      agents.value = await listAgentUsers(keyword, own.signal);
    } catch {
      if (!own.signal.aborted) agents.value = [];
    } finally {
      if (agentSearch === own) {
        agentSearch = null;
        searchingAgents.value = false;
      }
    }
  }

  /** Which extension each agent has (the picker says so: one extension per agent). */
  const extensionOf = computed(() => new Map(phones.value.map((phone) => [phone.userId, phone.extension])));

  /** The picker's options: the search's agents, and the current agent of the extension being changed. */
  const agentOptions = computed(() => {
    const options = agents.value.map((user) => ({ id: user.id, label: `${user.displayName} (${user.username})`, extension: extensionOf.value.get(user.id) ?? null }));
    const current = editing.value;
    if (current && !options.some((option) => option.id === current.userId)) {
      options.unshift({ id: current.userId, label: `${current.displayName} (${current.username})`, extension: current.extension });
    }
    return options;
  });

  function openCreate(): void {
    editing.value = null;
    Object.assign(form, { extension: '', userId: null, password: '' });
    formError.value = null;
    dialogOpen.value = true;
    void searchAgents();
  }

  function openEdit(phone: AgentPhone): void {
    editing.value = phone;
    Object.assign(form, { extension: phone.extension, userId: phone.userId, password: '' });
    formError.value = null;
    dialogOpen.value = true;
    void searchAgents();
  }

  async function save(formRef: FormInstance | undefined): Promise<void> {
    if (formRef && !(await formRef.validate().catch(() => false))) return;
    if (form.userId === null) return;
    saving.value = true;
    formError.value = null;
    const extension = form.extension.trim();
    try {
      await putAgentPhone(extension, phoneInput(form));
      ElMessage.success(t('adminAgentPhones.saved', { extension }));
      dialogOpen.value = false;
      form.password = '';
      await load();
    } catch (error) {
      formError.value = errorText(error, extension, 'save');
    } finally {
      saving.value = false;
    }
  }

  async function remove(phone: AgentPhone): Promise<void> {
    const confirmed = await ElMessageBox.confirm(
      t('adminAgentPhones.confirmRemove', { extension: phone.extension, name: phone.displayName || phone.username }),
      t('adminAgentPhones.confirmTitle'),
      { type: 'warning' },
    ).then(
      () => true,
      () => false,
    );
    if (!confirmed) return;
    try {
      await deleteAgentPhone(phone.extension);
      ElMessage.success(t('adminAgentPhones.removed', { extension: phone.extension }));
    } catch (error) {
      ElMessage.error(errorText(error, phone.extension, 'remove'));
    }
    await load();
  }

  /** The API's refusals in the console's words (its own message for anything else). */
  function errorText(error: unknown, extension: string, action: 'save' | 'remove'): string {
    if (error instanceof ApiError && error.kind === 'server') {
      if (error.statusCode === 409) return t(action === 'save' ? 'adminAgentPhones.error.agentHasPhone' : 'adminAgentPhones.error.inCall');
      if (error.statusCode === 422) return t('adminAgentPhones.error.notAnAgent');
      if (error.statusCode === 404) return t('adminAgentPhones.error.notFound', { extension });
    }
    return message(error);
  }

  return {
    phones,
    loading,
    loaded,
    errorMessage,
    dialogOpen,
    editing,
    saving,
    formError,
    form,
    agentOptions,
    searchingAgents,
    load,
    searchAgents,
    openCreate,
    openEdit,
    save,
    remove,
  };
}
