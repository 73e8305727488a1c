import { defineAsyncComponent } from 'vue';
import type { ActionDialogs } from '../types';

// Loaded when a dialog first opens.
const MarkRepeatForm = defineAsyncComponent(() => import('./MarkRepeatForm.vue'));
const UnmarkRepeatForm = defineAsyncComponent(() => import('./UnmarkRepeatForm.vue'));
const RuleForm = defineAsyncComponent(() => import('./RuleForm.vue'));

/** The forms of the actions on repeats and disputes: 标记重复件, 取消重复件标记, 裁定. */
export const repeatActionDialogs: ActionDialogs = {
  'mark-repeat': MarkRepeatForm,
  'unmark-repeat': UnmarkRepeatForm,
  rule: RuleForm,
};
