import { defineAsyncComponent } from 'vue';
import type { ActionDialogs } from '../types';

// Loaded when a dialog first opens: the pages that host actions need not carry every form.
const DispatchForm = defineAsyncComponent(() => import('./forms/DispatchForm.vue'));
const RecallForm = defineAsyncComponent(() => import('./forms/RecallForm.vue'));
const DecisionForm = defineAsyncComponent(() => import('./forms/DecisionForm.vue'));
const CallbackForm = defineAsyncComponent(() => import('./forms/CallbackForm.vue'));
const CallbackAttemptForm = defineAsyncComponent(() => import('./forms/CallbackAttemptForm.vue'));
const SuperviseForm = defineAsyncComponent(() => import('./forms/SuperviseForm.vue'));
const RemindForm = defineAsyncComponent(() => import('./forms/RemindForm.vue'));
const InvalidateForm = defineAsyncComponent(() => import('./forms/InvalidateForm.vue'));
const ResolveDirectlyForm = defineAsyncComponent(() => import('./forms/ResolveDirectlyForm.vue'));
const TargetOrderForm = defineAsyncComponent(() => import('./forms/TargetOrderForm.vue'));

/**
 * The center's action forms (dispatch, review, callback, supervision…), by action. Rulings on a unit's request share
 * one form that shows the request (DecisionForm); restore and unmerge take only a reason / note (the host's generic form).
 */
export const centerActionDialogs: ActionDialogs = {
  dispatch: DispatchForm,
  recall: RecallForm,
  'approve-return': DecisionForm,
  'reject-return': DecisionForm,
  'approve-extension': DecisionForm,
  'refuse-extension': DecisionForm,
  'approve-reply': DecisionForm,
  'reject-reply': DecisionForm,
  callback: CallbackForm,
  'callback-attempt': CallbackAttemptForm,
  supervise: SuperviseForm,
  remind: RemindForm,
  invalidate: InvalidateForm,
  'resolve-directly': ResolveDirectlyForm,
  merge: TargetOrderForm,
  link: TargetOrderForm,
};
