import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { CHANNELS, REQUEST_TYPES, URGENCIES } from '@/api/models';
import { emptyIntakeForm, type IntakeForm } from './rule';

/** localStorage key of a user's unsent intake form: one draft per user, so colleagues sharing a PC keep theirs apart. */
export const DRAFT_KEY_PREFIX = 'jiesu.intake.draft.';
/** Typing is saved this long after the last keystroke. */
export const DRAFT_SAVE_DELAY_MS = 400;

interface StoredDraft {
  savedAt: string;
  form: IntakeForm;
}

export function draftKey(userId: number): string {
  return `${DRAFT_KEY_PREFIX}${userId}`;
}

/** Whether the form holds nothing the agent typed or chose (the defaults are not worth a draft). */
export function isBlankForm(form: IntakeForm): boolean {
  return JSON.stringify(form) === JSON.stringify(emptyIntakeForm());
}

const isId = (value: unknown): value is number | null => value === null || (Number.isInteger(value) && (value as number) > 0);
const isText = (value: unknown): value is string => typeof value === 'string';
const oneOf =
  <T>(values: readonly T[]) =>
  (value: unknown): value is T =>
    values.includes(value as T);

/** What each field may hold; a stored value that does not fit (an older console, a hand-edited entry) is dropped. */
const FIELD_CHECKS: { [K in keyof IntakeForm]: (value: unknown) => value is IntakeForm[K] } = {
  categoryId: isId,
  requestType: (value): value is IntakeForm['requestType'] => value === null || oneOf(REQUEST_TYPES)(value),
  urgency: oneOf(URGENCIES),
  channel: oneOf(CHANNELS),
  citizenName: isText,
  citizenPhone: isText,
  citizenConfidential: (value): value is boolean => typeof value === 'boolean',
  districtUnitId: isId,
  streetUnitId: isId,
  address: isText,
  title: isText,
  content: isText,
};

/** The user's saved draft, each field checked, or null when there is none. */
export function readDraft(storage: Storage, userId: number): IntakeForm | null {
  const raw = storage.getItem(draftKey(userId));
  if (!raw) return null;
  let stored: Partial<StoredDraft>;
  try {
    stored = JSON.parse(raw) as Partial<StoredDraft>;
  } catch {
    return null;
  }
  if (typeof stored.form !== 'object' || stored.form === null) return null;
  const source = stored.form as unknown as Record<string, unknown>;
  const form = emptyIntakeForm();
  for (const key of Object.keys(FIELD_CHECKS) as (keyof IntakeForm)[]) {
    const value = source[key];
    if (FIELD_CHECKS[key](value)) (form as unknown as Record<string, unknown>)[key] = value;
  }
  return isBlankForm(form) ? null : form;
}

export function writeDraft(storage: Storage, userId: number, form: IntakeForm): void {
  if (isBlankForm(form)) {
    storage.removeItem(draftKey(userId));
    return;
  }
  const draft: StoredDraft = { savedAt: new Date().toISOString(), form: { ...form } };
  try {
    storage.setItem(draftKey(userId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled (private mode): the form still works, only the draft is lost on reload.
  }
}

export function removeDraft(storage: Storage, userId: number): void {
  storage.removeItem(draftKey(userId));
}

/**
 * Keeps the intake form in localStorage while the agent types (debounced), so that a reload or a crash in the middle
 * of a call loses nothing. `restore()` puts the saved draft back into the form; `discard()` forgets it (after
 * registering, or "clear form"). A pending save is written at once when the page is left or reloaded.
 */
export function useIntakeDraft(form: IntakeForm, userId: Ref<number | null>, storage: Storage = localStorage) {
  let timer: ReturnType<typeof setTimeout> | null = null;

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function save(): void {
    cancel();
    if (userId.value !== null) writeDraft(storage, userId.value, form);
  }

  function flush(): void {
    if (timer !== null) save();
  }

  watch(
    () => ({ ...form }),
    () => {
      cancel();
      timer = setTimeout(save, DRAFT_SAVE_DELAY_MS);
    },
  );

  /** Fills the form with the saved draft; true when there was one. */
  function restore(): boolean {
    if (userId.value === null) return false;
    const draft = readDraft(storage, userId.value);
    if (!draft) return false;
    Object.assign(form, draft);
    return true;
  }

  function discard(): void {
    cancel();
    if (userId.value !== null) removeDraft(storage, userId.value);
  }

  onMounted(() => window.addEventListener('pagehide', flush));
  onBeforeUnmount(() => {
    window.removeEventListener('pagehide', flush);
    flush();
  });

  return { restore, discard, flush };
}
