import type { FormItemRule, FormRules } from 'element-plus';
import {
  CHANNELS,
  REQUEST_TYPES,
  URGENCIES,
  type Channel,
  type RegisterWorkOrderRequest,
  type RequestType,
  type Urgency,
} from '@/api/models';
import { normalizePhone } from './phone';

/** The intake form (受理登记), as the agent fills it in; `toRegisterRequest` turns it into the API's body. */
export interface IntakeForm {
  categoryId: number | null;
  requestType: RequestType | null;
  urgency: Urgency;
  channel: Channel;
  citizenName: string;
  citizenPhone: string;
  citizenConfidential: boolean;
  districtUnitId: number | null;
  streetUnitId: number | null;
  address: string;
  title: string;
  content: string;
}

/** The backend's limits (backend/src/work-orders/dto/register-work-order.dto.ts and action.dto.ts). */
export const INTAKE_LIMITS = {
  citizenName: 64,
  address: 255,
  title: 200,
  content: 10000,
  attachments: 20,
  answer: 4000,
} as const;

/** The form's fields in tab order: the first invalid one of them gets the focus. */
export const INTAKE_FIELDS = [
  'categoryId',
  'requestType',
  'urgency',
  'channel',
  'citizenName',
  'citizenPhone',
  'citizenConfidential',
  'districtUnitId',
  'streetUnitId',
  'address',
  'title',
  'content',
] as const satisfies readonly (keyof IntakeForm)[];

export function emptyIntakeForm(): IntakeForm {
  return {
    categoryId: null,
    requestType: null,
    urgency: 'normal',
    channel: 'phone',
    citizenName: '',
    citizenPhone: '',
    citizenConfidential: false,
    districtUnitId: null,
    streetUnitId: null,
    address: '',
    title: '',
    content: '',
  };
}

// In a module of its own: the call desk (useIncomingCall, in the console's entry) needs it without the form's rules.
export { normalizePhone };

/** Mobile: 1[3-9] + 9 digits. */
const MOBILE = /^1[3-9]\d{9}$/;
/** Landline with its area code (010 12345678, 0571-1234567). */
const LANDLINE = /^0[1-9]\d{1,2}[2-9]\d{6,7}$/;
/** A local landline without area code (the city's own numbers). */
const LOCAL_LANDLINE = /^[2-9]\d{6,7}$/;

/**
 * Whether `raw` is a mainland China phone number: a mobile, or a landline with or without its area code; spaces,
 * dashes, brackets and a +86 / 0086 prefix are allowed.
 */
export function isMainlandPhone(raw: string): boolean {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return false;
  const number = normalizePhone(trimmed);
  return MOBILE.test(number) || LANDLINE.test(number) || LOCAL_LANDLINE.test(number);
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/**
 * A rule that fails with the message of `problem` when it answers a locale key. `required` only marks the field
 * (the asterisk): the validator decides, with the console's own message.
 */
function check<T>(problem: (value: T) => string | null, t: Translate, trigger: FormItemRule['trigger'] = 'blur', required = false): FormItemRule {
  return {
    trigger,
    required,
    validator: (_rule, value: T, callback) => {
      const key = problem(value);
      callback(key ? new Error(t(key, INTAKE_LIMITS)) : undefined);
    },
  };
}

const required = (value: string | null | undefined) => typeof value === 'string' && value.trim() !== '';

/** Rules mirroring the backend's, so that it rarely has to refuse (it stays the authority: 400/422 are shown too). */
export function createIntakeRules(t: Translate): FormRules<IntakeForm> {
  const maxLength = (field: 'citizenName' | 'address' | 'title' | 'content') =>
    check<string>((value) => ((value ?? '').trim().length > INTAKE_LIMITS[field] ? `intake.rules.${field}TooLong` : null), t);
  return {
    categoryId: [check<number | null>((value) => (value ? null : 'intake.rules.categoryRequired'), t, 'change', true)],
    requestType: [
      check<RequestType | null>((value) => (value && REQUEST_TYPES.includes(value) ? null : 'intake.rules.requestTypeRequired'), t, 'change', true),
    ],
    urgency: [check<Urgency>((value) => (URGENCIES.includes(value) ? null : 'intake.rules.urgencyRequired'), t, 'change')],
    channel: [check<Channel>((value) => (CHANNELS.includes(value) ? null : 'intake.rules.channelRequired'), t, 'change')],
    citizenName: [maxLength('citizenName')],
    citizenPhone: [check<string>((value) => (!required(value) || isMainlandPhone(value) ? null : 'intake.rules.phoneInvalid'), t)],
    address: [check<string>((value) => (required(value) ? null : 'intake.rules.addressRequired'), t, 'blur', true), maxLength('address')],
    title: [check<string>((value) => (required(value) ? null : 'intake.rules.titleRequired'), t, 'blur', true), maxLength('title')],
    content: [check<string>((value) => (required(value) ? null : 'intake.rules.contentRequired'), t, 'blur', true), maxLength('content')],
  };
}

/** The body of `POST /api/work-orders`: trimmed, empty optional fields left out, the phone normalised. */
export function toRegisterRequest(form: IntakeForm, attachmentIds: readonly string[] = []): RegisterWorkOrderRequest {
  if (form.categoryId === null) throw new Error('A category is required to register an order');
  const name = form.citizenName.trim();
  const phone = normalizePhone(form.citizenPhone);
  return {
    categoryId: form.categoryId,
    ...(form.requestType ? { requestType: form.requestType } : {}),
    urgency: form.urgency,
    channel: form.channel,
    ...(name ? { citizenName: name } : {}),
    ...(phone ? { citizenPhone: phone } : {}),
    citizenConfidential: form.citizenConfidential,
    ...(form.districtUnitId !== null ? { districtUnitId: form.districtUnitId } : {}),
    ...(form.streetUnitId !== null ? { streetUnitId: form.streetUnitId } : {}),
    address: form.address.trim(),
    title: form.title.trim(),
    content: form.content.trim(),
    ...(attachmentIds.length ? { attachmentIds: [...attachmentIds] } : {}),
  };
}
