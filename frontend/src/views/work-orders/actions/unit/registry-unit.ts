import type { ActionDialogs } from '../types';
import AssignForm from './AssignForm.vue';
import ContactForm from './ContactForm.vue';
import ReplyForm from './ReplyForm.vue';
import RequestExtensionForm from './RequestExtensionForm.vue';
import ReturnForm from './ReturnForm.vue';
import SubDispatchForm from './SubDispatchForm.vue';

/**
 * The units' action forms, by action. Accept, the leader's sign-off (unit-approve-reply / unit-reject-reply) and a
 * parent unit's decisions on its child orders carry only a note or a reason: the host's generic form does them.
 */
export const unitActionDialogs: ActionDialogs = {
  return: ReturnForm,
  contact: ContactForm,
  'sub-dispatch': SubDispatchForm,
  'request-extension': RequestExtensionForm,
  reply: ReplyForm,
  'assist-reply': ReplyForm,
  assign: AssignForm,
};
