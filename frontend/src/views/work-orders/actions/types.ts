import type { Component } from 'vue';
import type { WorkOrderAction, WorkOrderDetail } from '@/api/models';

/**
 * An action's form, shown in the action dialog (WorkOrderActionHost) — the contract every form follows:
 * - props {@link ActionFormProps}: `order` (the order as last read; send `order.version` with the call) and `action`;
 * - emits {@link ActionFormEmits}: `done(order)` with the server's answer after a successful call, `cancel()`, and
 *   `stale()` when the server answered 409 (the host says "this order changed", reloads it and closes).
 * `useActionSubmit(props, emit)` (./useActionSubmit) does the call, the 409 and the error message for a form;
 * `<ActionFormFooter>` (./ActionFormFooter.vue) gives the cancel / submit buttons.
 * Register a form in unit/registry-unit.ts or center/registry-center.ts; an action without one gets the host's
 * generic note/reason form when its body has nothing else (see ./generic-fields.ts).
 */
export type ActionDialogs = Partial<Record<WorkOrderAction, Component>>;

export interface ActionFormProps {
  order: WorkOrderDetail;
  action: WorkOrderAction;
}

export interface ActionFormEmits {
  done: [order: WorkOrderDetail];
  cancel: [];
  stale: [];
}

/** What `<WorkOrderActionHost ref="host">` exposes (`host.value?.open(order, 'accept')`). */
export interface WorkOrderActionHostApi {
  /**
   * Opens the action's dialog for an order (fetched first when given its id). Resolves `false` without opening when
   * the order does not offer the action (`allowedActions`; a message says so) or cannot be read.
   */
  open(orderOrId: WorkOrderDetail | number, action: WorkOrderAction): Promise<boolean>;
  close(): void;
}

/** Which action is the main next step of an order, for the primary button (first one in the order's list wins). */
export const PRIMARY_ACTIONS: readonly WorkOrderAction[] = [
  'dispatch',
  'accept',
  'contact',
  'reply',
  'assist-reply',
  'unit-approve-reply',
  'approve-return',
  'approve-reply',
  'approve-extension',
  'callback',
  'resume',
];

export function primaryActionOf(allowed: readonly WorkOrderAction[]): WorkOrderAction | null {
  return PRIMARY_ACTIONS.find((action) => allowed.includes(action)) ?? null;
}
