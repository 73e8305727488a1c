import { ElMessage, ElMessageBox, type FormInstance } from 'element-plus';
import { computed, nextTick, onBeforeUnmount, onMounted, reactive, ref, shallowRef, useTemplateRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/api-error';
import { registerWorkOrder } from '@/api/intake';
import type { Role, WorkOrderDetail } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { useOrganisationStore } from '@/store/modules/organisation';
import { useUserStore } from '@/store/modules/user';
import { categoryOptions, placesOf, streetsOf, type Places } from './options';
import { createIntakeRules, emptyIntakeForm, INTAKE_FIELDS, isMainlandPhone, normalizePhone, toRegisterRequest, type IntakeForm } from './rule';
import { useIncomingCall, type ActiveCall } from './useIncomingCall';
import { useIntakeAttachments } from './useIntakeAttachments';
import { useIntakeDraft } from './useIntakeDraft';

/** Who may register (the backend's `POST /api/work-orders`); others see the page (and the caller history) only. */
export const REGISTER_ROLES: readonly Role[] = ['agent', 'dispatcher', 'supervisor'];

/** A typed phone is looked up this long after the last keystroke. */
export const HISTORY_LOOKUP_DELAY_MS = 300;

/** The order just registered, with the lead unit its category suggests (preselected for dispatch). */
export interface RegisteredOrder {
  order: WorkOrderDetail;
  suggestedLeadUnitId: number | null;
  /** The call on the desk when it was registered: a telephony call's record gets the order linked. */
  call: ActiveCall | null;
}

/** What takes the focus inside a form item: its input (text, select, radio, switch) or text area. */
const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), [tabindex="0"]';

/** The key event behind an input's `keydown` (Element Plus types it as `Event | KeyboardEvent`). */
function keyEvent(event: Event): KeyboardEvent | null {
  return 'key' in event ? (event as KeyboardEvent) : null;
}

/** Whether Enter was pressed on its own (no modifier), not while an input method composes Chinese text. */
export function isPlainEnter(event: Event): boolean {
  const key = keyEvent(event);
  return (
    key !== null && key.key === 'Enter' && !key.isComposing && key.keyCode !== 229 && !key.shiftKey && !key.altKey && !key.ctrlKey && !key.metaKey
  );
}

/** Whether Ctrl+Enter (⌘+Enter on a Mac) was pressed: submits from a text area, where Enter is a new line. */
export function isSubmitChord(event: Event): boolean {
  const key = keyEvent(event);
  return key !== null && key.key === 'Enter' && !key.isComposing && (key.ctrlKey || key.metaKey);
}

/**
 * The intake form of `/intake` (受理登记): its state, rules and options, the keyboard (Enter in a single-line field
 * and Ctrl+Enter in the content submit), the draft kept while typing, the incoming call that fills the phone, and
 * registration.
 */
export function useIntakeForm() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  const organisation = useOrganisationStore();
  const userStore = useUserStore();
  const { call, end: endCall } = useIncomingCall();
  /** The call the registered order came from: "继续登记" ends it, but not one that came in meanwhile. */
  let registeredCall: number | null = null;

  const formRef = useTemplateRef<FormInstance>('formRef');
  const formRoot = useTemplateRef<HTMLElement>('formRoot');
  const form = reactive<IntakeForm>(emptyIntakeForm());
  const rules = computed(() => createIntakeRules(t));
  const submitting = ref(false);
  const registered = shallowRef<RegisteredOrder | null>(null);
  const loadError = ref<string | null>(null);
  const optionsLoaded = ref(false);
  const draftRestored = ref(false);
  const canRegister = computed(() => {
    const role = userStore.user?.role;
    return role !== undefined && REGISTER_ROLES.includes(role);
  });

  const userId = computed(() => userStore.user?.id ?? null);
  const draft = useIntakeDraft(form, userId);
  const attachments = useIntakeAttachments();

  // ---- Options ----
  const categories = computed(() => categoryOptions(organisation.categories ?? []));
  const places = computed<Places>(() => placesOf(organisation.units ?? []));
  const streets = computed(() => streetsOf(places.value, form.districtUnitId));

  async function loadOptions(): Promise<void> {
    loadError.value = null;
    try {
      await Promise.all([organisation.loadCategories(), organisation.loadUnits()]);
      optionsLoaded.value = true;
    } catch (error) {
      loadError.value = t('intake.form.loadFailed', { message: message(error) });
    }
  }

  /** The agent chose a category: its default request type is the likely one (they may change it). */
  function onCategoryChange(): void {
    const category = organisation.findCategory(form.categoryId);
    if (category?.defaultRequestType) form.requestType = category.defaultRequestType;
    // After choosing from the search list the focus stays on the picker, so that Tab goes on to the next field.
    void nextTick(() => focusField('categoryId'));
  }

  function onDistrictChange(): void {
    if (form.streetUnitId === null) return;
    const street = places.value.streets.find((s) => s.id === form.streetUnitId);
    if (!street || street.districtId !== form.districtUnitId) form.streetUnitId = null;
  }

  /** A street belongs to one district: choosing it chooses that district too. */
  function onStreetChange(): void {
    const street = places.value.streets.find((s) => s.id === form.streetUnitId);
    if (street?.districtId != null) form.districtUnitId = street.districtId;
  }

  // ---- The caller ----
  /** The number whose earlier orders are shown: the form's phone once it is a valid number. */
  const historyPhone = ref('');
  let historyTimer: ReturnType<typeof setTimeout> | null = null;
  function phoneForHistory(): string {
    return isMainlandPhone(form.citizenPhone) ? normalizePhone(form.citizenPhone) : '';
  }
  watch(
    () => form.citizenPhone,
    () => {
      if (historyTimer !== null) clearTimeout(historyTimer);
      historyTimer = setTimeout(() => {
        historyTimer = null;
        historyPhone.value = phoneForHistory();
      }, HISTORY_LOOKUP_DELAY_MS);
    },
  );
  onBeforeUnmount(() => {
    if (historyTimer !== null) clearTimeout(historyTimer);
  });

  /** A call came in: its number is the citizen's phone, the channel is the phone; the agent starts with the category. */
  watch(
    () => call.value?.sequence,
    () => {
      const current = call.value;
      if (!current || registered.value) return;
      form.citizenPhone = current.phone;
      form.channel = 'phone';
      historyPhone.value = current.phone && isMainlandPhone(current.phone) ? current.phone : '';
      void nextTick(() => focusFirstField());
    },
  );

  // ---- Focus ----
  function focusable(field: string): HTMLElement | null {
    const item = formRoot.value?.querySelector<HTMLElement>(`[data-field="${field}"]`);
    return item?.querySelector<HTMLElement>(FOCUSABLE) ?? null;
  }

  function focusField(field: string): void {
    focusable(field)?.focus();
  }

  function focusFirstField(): void {
    focusField(INTAKE_FIELDS[0]);
  }

  /** The first field (in tab order) that shows an error gets the focus, so that the agent can fix it at once. */
  async function focusFirstInvalid(fields: readonly string[] = []): Promise<void> {
    await nextTick();
    const root = formRoot.value;
    if (!root) return;
    const withError = root.querySelector<HTMLElement>('.el-form-item.is-error');
    const field = withError?.dataset.field ?? INTAKE_FIELDS.find((name) => fields.includes(name));
    if (!field) return;
    const target = focusable(field);
    target?.scrollIntoView?.({ block: 'center' });
    target?.focus();
  }

  // ---- Keyboard ----
  /** Enter in a single-line field submits (not while an input method is composing). */
  function onFieldEnter(event: Event): void {
    if (!isPlainEnter(event)) return;
    event.preventDefault();
    void submit();
  }

  /** Ctrl+Enter (⌘+Enter) in the content submits; a plain Enter is a new line. */
  function onContentKeydown(event: Event): void {
    if (!isSubmitChord(event)) return;
    event.preventDefault();
    void submit();
  }

  // ---- Submit ----
  /** Field names a 400 from the server names in `details.fields`. */
  function fieldsOf(error: unknown): string[] {
    if (!(error instanceof ApiError) || !error.details) return [];
    const fields = (error.details as { fields?: unknown }).fields;
    if (!Array.isArray(fields)) return [];
    return fields
      .map((entry: unknown) => (typeof entry === 'object' && entry !== null ? (entry as { field?: unknown }).field : entry))
      .filter((field): field is string => typeof field === 'string');
  }

  async function submit(): Promise<void> {
    if (submitting.value || registered.value || !canRegister.value) return;
    if (attachments.uploading.value) {
      ElMessage.warning(t('intake.form.stillUploading'));
      return;
    }
    const valid = await (formRef.value?.validate().catch(() => false) ?? Promise.resolve(false));
    if (!valid) {
      await focusFirstInvalid();
      return;
    }
    submitting.value = true;
    const suggestedLeadUnitId = organisation.findCategory(form.categoryId)?.defaultLeadUnitId ?? null;
    try {
      const order = await registerWorkOrder(toRegisterRequest(form, attachments.ids.value));
      registered.value = { order, suggestedLeadUnitId, call: call.value };
      registeredCall = call.value?.sequence ?? null;
      draft.discard();
      ElMessage.success(t('intake.result.registered', { number: order.number }));
    } catch (error) {
      ElMessage.error(message(error));
      await focusFirstInvalid(fieldsOf(error));
    } finally {
      submitting.value = false;
    }
  }

  /** Empties the form (and its draft) for the next call. */
  function reset(): void {
    Object.assign(form, emptyIntakeForm());
    attachments.clear();
    draft.discard();
    draftRestored.value = false;
    historyPhone.value = '';
    void nextTick(() => formRef.value?.clearValidate());
  }

  /** "清空表单": asks first when anything has been entered. */
  async function clearForm(): Promise<void> {
    const blank = JSON.stringify(form) === JSON.stringify(emptyIntakeForm()) && attachments.items.value.length === 0;
    if (!blank) {
      try {
        await ElMessageBox.confirm(t('intake.form.clearConfirm'), t('intake.form.clear'), { type: 'warning' });
      } catch {
        return;
      }
    }
    reset();
    // The call (and its number) stays: clearing is about what was typed.
    if (call.value && !registered.value) {
      form.citizenPhone = call.value.phone;
      historyPhone.value = phoneForHistory();
    }
    ElMessage.info(t('intake.form.cleared'));
    await nextTick();
    focusFirstField();
  }

  /**
   * "继续登记": the registered order is done with and its call is over; an empty form waits for the next call — or
   * takes the one that came in meanwhile (the telephony does not wait). True when such a call is waiting.
   * `sameCall`: the caller has another request — the call stays on the desk for a second order (linked to it too).
   */
  function startNext(sameCall = false): boolean {
    registered.value = null;
    reset();
    const waiting = call.value;
    if (!waiting || (waiting.sequence === registeredCall && !sameCall)) {
      endCall();
      return false;
    }
    form.citizenPhone = waiting.phone;
    historyPhone.value = phoneForHistory();
    void nextTick(() => focusFirstField());
    return true;
  }

  onMounted(async () => {
    draftRestored.value = draft.restore();
    if (draftRestored.value) historyPhone.value = phoneForHistory();
    // A call that came in while the page was elsewhere (the telephony pushes calls to the console, not the page).
    if (call.value && !draftRestored.value) {
      form.citizenPhone = call.value.phone;
      historyPhone.value = phoneForHistory();
    }
    await loadOptions();
    await nextTick();
    if (!registered.value) focusFirstField();
  });

  return {
    form,
    rules,
    submitting,
    registered,
    loadError,
    optionsLoaded,
    draftRestored,
    canRegister,
    categories,
    places,
    streets,
    historyPhone,
    attachments,
    loadOptions,
    onCategoryChange,
    onDistrictChange,
    onStreetChange,
    onFieldEnter,
    onContentKeydown,
    focusFirstField,
    submit,
    clearForm,
    startNext,
  };
}
