import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Whether the viewport is at most `maxWidth` pixels wide (a phone), following resizes. */
export function useNarrowScreen(maxWidth = 768): Ref<boolean> {
  const narrow = ref(false);
  let query: MediaQueryList | null = null;
  const update = () => (narrow.value = query?.matches ?? false);
  onMounted(() => {
    if (typeof window.matchMedia !== 'function') return;
    query = window.matchMedia(`(max-width: ${maxWidth}px)`);
    update();
    query.addEventListener('change', update);
  });
  onBeforeUnmount(() => query?.removeEventListener('change', update));
  return narrow;
}
