import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Whether the viewport is at most `maxWidth` px wide, kept current (phones get one-column layouts and cards). */
export function useNarrowScreen(maxWidth = 767): Ref<boolean> {
  const narrow = ref(typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(`(max-width: ${maxWidth}px)`).matches : false);
  let query: MediaQueryList | null = null;
  const update = () => (narrow.value = query?.matches ?? false);
  onMounted(() => {
    if (typeof window.matchMedia !== 'function') return;
    query = window.matchMedia(`(max-width: ${maxWidth}px)`);
    update();
    query.addEventListener?.('change', update);
  });
  onBeforeUnmount(() => query?.removeEventListener?.('change', update));
  return narrow;
}
