import { nextTick, onUpdated, watch, type Ref } from 'vue';

const ROW = 'tr.el-table__row';

/**
 * Makes el-table's rows keyboard-reachable: each row takes Tab focus (el-table renders plain <tr>s and offers no
 * attribute hook for them), Enter or Space opens it, and the arrow keys move between rows. The focus outline is in
 * styles/index.css.
 */
export function useRowKeyboard<T>(container: Ref<HTMLElement | null>, rows: Ref<readonly T[]>, open: (row: T) => unknown) {
  function rowElements(): HTMLElement[] {
    return Array.from(container.value?.querySelectorAll<HTMLElement>(ROW) ?? []);
  }

  function markRows(): void {
    for (const element of rowElements()) if (element.tabIndex !== 0) element.tabIndex = 0;
  }

  watch([rows, container], () => void nextTick(markRows), { flush: 'post', immediate: true });
  onUpdated(markRows);

  function onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (!target?.matches(ROW)) return;
    const elements = rowElements();
    const index = elements.indexOf(target);
    if (index < 0) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const row = rows.value[index];
      if (row !== undefined) void open(row);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      elements[index + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
    }
  }

  return { onKeydown, markRows };
}
