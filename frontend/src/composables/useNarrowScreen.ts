import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Below this width the console is laid out for a phone: drawer menu, condensed header, lists as cards. */
export const NARROW_MAX_WIDTH = 767;
export const NARROW_MEDIA_QUERY = `(max-width: ${NARROW_MAX_WIDTH}px)`;

/** Whether the window is phone-narrow, following resizes and rotation. Without matchMedia (tests): wide. */
export function useNarrowScreen(): Ref<boolean> {
  const media = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(NARROW_MEDIA_QUERY) : null;
  const narrow = ref(media?.matches ?? false);
  if (media) {
    const update = (event: MediaQueryListEvent) => (narrow.value = event.matches);
    media.addEventListener('change', update);
    onBeforeUnmount(() => media.removeEventListener('change', update));
  }
  return narrow;
}
