import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Below this width the console is laid out for a phone: drawer menu, condensed header, lists as cards. */
export const NARROW_MAX_WIDTH = 767;
export const NARROW_MEDIA_QUERY = `(max-width: ${NARROW_MAX_WIDTH}px)`;

/**
 * Whether the window is at most `maxWidth` px wide (default: phone-narrow), following resizes and rotation.
 * Without matchMedia (tests): wide.
 */
export function useNarrowScreen(maxWidth = NARROW_MAX_WIDTH): Ref<boolean> {
  const query = maxWidth === NARROW_MAX_WIDTH ? NARROW_MEDIA_QUERY : `(max-width: ${maxWidth}px)`;
  const media = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(query) : null;
  const narrow = ref(media?.matches ?? false);
  if (media) {
    const update = (event: MediaQueryListEvent) => (narrow.value = event.matches);
    media.addEventListener('change', update);
    onBeforeUnmount(() => media.removeEventListener('change', update));
  }
  return narrow;
}
