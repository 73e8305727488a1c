import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { fetchRecording, type CallDetail } from '@/api/calls';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { isAbort } from '@/utils/error-message';

/** Recordings up to this size load by themselves when the call opens; larger ones on a click (a WAV is ~1 MB/min). */
export const AUTO_LOAD_MAX_BYTES = 32 * 1024 * 1024;
/** After the call ended, this long without a recording means it is still being uploaded (the bridge uploads at the end). */
export const RECORDING_PENDING_MS = 10 * 60 * 1000;

/**
 * - `none`: the call has no recording (and will not get one);
 * - `inProgress`: the call goes on; its recording comes when it ends;
 * - `pending`: it ended a moment ago and its recording is not uploaded yet;
 * - `idle`: there is one, too large to load without asking;
 * - `loading`, `ready` (`url` plays it), `error`.
 */
export type RecordingState = 'none' | 'inProgress' | 'pending' | 'idle' | 'loading' | 'ready' | 'error';
const LOADED_STATES: readonly RecordingState[] = ['idle', 'loading', 'ready', 'error'];

/** What the call's record says about its recording, before anything is loaded. */
export function recordingAvailability(call: Pick<CallDetail, 'recording' | 'endedAt'>, now: number): 'available' | 'none' | 'inProgress' | 'pending' {
  if (call.recording) return 'available';
  if (!call.endedAt) return 'inProgress';
  return now - Date.parse(call.endedAt) < RECORDING_PENDING_MS ? 'pending' : 'none';
}

/**
 * The call's recording as an object URL for `<audio>`: the route needs the Bearer token, so the WAV is fetched through
 * the console's HTTP client as a Blob. The URL is revoked when the call (or its recording) changes and when the page
 * is left, so the audio does not stay in memory.
 */
export function useRecording(call: Ref<CallDetail | null>) {
  const { message } = useApiErrorMessage();
  const state = ref<RecordingState>('none');
  const url = ref<string | null>(null);
  const errorMessage = ref<string | null>(null);
  let controller: AbortController | null = null;

  function release(): void {
    controller?.abort();
    controller = null;
    if (url.value) URL.revokeObjectURL(url.value);
    url.value = null;
  }

  async function load(): Promise<void> {
    const current = call.value;
    if (!current?.recording) return;
    release();
    const own = new AbortController();
    controller = own;
    state.value = 'loading';
    errorMessage.value = null;
    try {
      const blob = await fetchRecording(current.id, own.signal);
      if (own.signal.aborted) return;
      // A server that sent no type still sent a WAV: say so, or the browser may refuse to play it.
      const audio = blob.type.startsWith('audio/') ? blob : new Blob([blob], { type: 'audio/wav' });
      url.value = URL.createObjectURL(audio);
      state.value = 'ready';
    } catch (error) {
      if (isAbort(error) || own.signal.aborted) return;
      errorMessage.value = message(error);
      state.value = 'error';
    } finally {
      if (controller === own) controller = null;
    }
  }

  // A new call, or a recording that arrived or was replaced (the bridge's replay): start again.
  watch(
    () => [call.value?.id, call.value?.recording?.uploadedAt ?? null, call.value?.endedAt ?? null] as const,
    ([id, uploadedAt], previous) => {
      const current = call.value;
      // The same recording (the record was only read again, e.g. after linking an order): keep what is there.
      if (previous && previous[0] === id && previous[1] === uploadedAt && uploadedAt !== null && LOADED_STATES.includes(state.value)) return;
      release();
      errorMessage.value = null;
      if (!current) {
        state.value = 'none';
        return;
      }
      const availability = recordingAvailability(current, Date.now());
      if (availability !== 'available') {
        state.value = availability;
        return;
      }
      if ((current.recording?.bytes ?? 0) <= AUTO_LOAD_MAX_BYTES) void load();
      else state.value = 'idle';
    },
    { immediate: true },
  );

  onBeforeUnmount(release);

  /** The file name a download gets. */
  const fileName = computed(() => (call.value ? `call-${call.value.id}.wav` : 'call.wav'));

  return { state, url, errorMessage, fileName, load };
}
