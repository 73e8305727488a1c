import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { findSimilarDrafts, type SimilarDraftRequest, type SimilarOrder } from '@/api/repeats';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { isAbort } from '@/utils/error-message';
import { rankCandidates } from '@/views/work-orders/actions/repeats/reasons';
import { isMainlandPhone, normalizePhone, type IntakeForm } from './rule';

/** Candidates are looked up this long after the last change to the fields they depend on. */
export const SIMILAR_LOOKUP_DELAY_MS = 400;
/** Title and details together need this many characters before a lookup is worth it. */
export const SIMILAR_MIN_TEXT = 6;

export type CandidatesState = 'idle' | 'loading' | 'loaded' | 'error';

/** The lookup's body for the form as it stands, or null while there is too little to compare (no category, little text). */
export function similarDraftOf(form: Readonly<IntakeForm>): SimilarDraftRequest | null {
  const title = form.title.trim();
  const content = form.content.trim();
  if (form.categoryId === null || title.length + content.length < SIMILAR_MIN_TEXT) return null;
  const phone = isMainlandPhone(form.citizenPhone) ? normalizePhone(form.citizenPhone) : '';
  return {
    title,
    content,
    address: form.address.trim(),
    categoryId: form.categoryId,
    ...(phone ? { citizenPhone: phone } : {}),
    ...(form.districtUnitId !== null ? { districtUnitId: form.districtUnitId } : {}),
    ...(form.streetUnitId !== null ? { streetUnitId: form.streetUnitId } : {}),
    ...(form.requestType ? { requestType: form.requestType } : {}),
  };
}

/**
 * Live candidates while the agent types (before registering): debounced, and only the latest answer shows — an
 * earlier request still running is cancelled and its late answer dropped. `enabled` false (registered, or a role
 * that cannot register) stops the lookups.
 */
export function useSimilarCandidates(form: Readonly<IntakeForm>, enabled: () => boolean = () => true) {
  const { message } = useApiErrorMessage();
  const state = ref<CandidatesState>('idle');
  const candidates = shallowRef<SimilarOrder[]>([]);
  const errorMessage = ref<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let controller: AbortController | null = null;
  /** The body of the answer shown (or being fetched): the same form twice is not asked again. */
  let asked: string | null = null;

  const draft = computed(() => (enabled() ? similarDraftOf(form) : null));
  const key = computed(() => (draft.value ? JSON.stringify(draft.value) : null));

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function reset(): void {
    clearTimer();
    controller?.abort();
    controller = null;
    asked = null;
    state.value = 'idle';
    candidates.value = [];
    errorMessage.value = null;
  }

  async function lookup(): Promise<void> {
    clearTimer();
    const body = draft.value;
    if (!body) return reset();
    controller?.abort();
    const current = new AbortController();
    controller = current;
    asked = JSON.stringify(body);
    state.value = 'loading';
    errorMessage.value = null;
    try {
      const answer = await findSimilarDrafts(body, current.signal);
      if (controller !== current) return;
      candidates.value = rankCandidates(answer);
      state.value = 'loaded';
    } catch (error) {
      if (controller !== current || isAbort(error)) return;
      candidates.value = [];
      errorMessage.value = message(error);
      state.value = 'error';
      asked = null;
    } finally {
      if (controller === current) controller = null;
    }
  }

  watch(key, (next) => {
    clearTimer();
    if (next === null) return reset();
    if (next === asked) return;
    // The form changed: whatever is in flight answers an older form; only the next lookup's answer may show.
    controller?.abort();
    controller = null;
    asked = null;
    timer = setTimeout(() => void lookup(), SIMILAR_LOOKUP_DELAY_MS);
  });

  onBeforeUnmount(() => {
    clearTimer();
    controller?.abort();
  });

  return { state, candidates, errorMessage, retry: lookup, reset };
}
