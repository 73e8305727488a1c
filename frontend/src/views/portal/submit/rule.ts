import type { FormItemRule, FormRules } from 'element-plus';
import type { RequestType } from '@/api/models';

/** The form as the citizen fills it in (the photos are kept apart, as files). */
export interface PortalForm {
  requestType: RequestType | '';
  categoryId: number | null;
  content: string;
  title: string;
  address: string;
  districtUnitId: number | null;
  streetUnitId: number | null;
  citizenName: string;
  citizenPhone: string;
  citizenConfidential: boolean;
  captchaAnswer: string;
}

/** The backend's rule (SubmitPublicRequestDto): a mainland mobile, optionally +86, or a landline with its area code. */
export const CITIZEN_PHONE_PATTERN = /^(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}$|^0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}(?:-\d{1,6})?$/;
export const CONTENT_MIN_LENGTH = 5;

export function isCitizenPhone(value: string): boolean {
  return CITIZEN_PHONE_PATTERN.test(value.trim());
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

export function createPortalRules(t: Translate, options: { categoryRequired: () => boolean }): FormRules<PortalForm> {
  const phoneFormat: FormItemRule = {
    validator: (_rule, value: string, callback) => (value && !isCitizenPhone(value) ? callback(new Error(t('portal.rules.phoneFormat'))) : callback()),
    trigger: 'blur',
  };
  const category: FormItemRule = {
    validator: (_rule, value: number | null, callback) => (options.categoryRequired() && !value ? callback(new Error(t('portal.rules.category'))) : callback()),
    trigger: 'change',
  };
  return {
    requestType: [{ required: true, message: t('portal.rules.requestType'), trigger: 'change' }],
    categoryId: [category],
    content: [
      { required: true, whitespace: true, message: t('portal.rules.content'), trigger: 'blur' },
      { min: CONTENT_MIN_LENGTH, message: t('portal.rules.content'), trigger: 'blur' },
    ],
    address: [{ required: true, whitespace: true, message: t('portal.rules.address'), trigger: 'blur' }],
    citizenPhone: [{ required: true, whitespace: true, message: t('portal.rules.phone'), trigger: 'blur' }, phoneFormat],
    captchaAnswer: [{ required: true, whitespace: true, message: t('portal.rules.captcha'), trigger: 'blur' }],
  };
}

export interface PhotoLimits {
  maxPhotos: number;
  maxPhotoBytes: number;
  photoTypes: readonly string[];
}

/** Why a chosen photo cannot be sent (null: it can), checked before it is added to the list. */
export function photoProblem(file: Pick<File, 'name' | 'size' | 'type'>, alreadyChosen: number, limits: PhotoLimits, t: Translate): string | null {
  if (alreadyChosen >= limits.maxPhotos) return t('portal.rules.photoCount', { max: limits.maxPhotos });
  if (!limits.photoTypes.includes(file.type)) return t('portal.rules.photoType', { name: file.name });
  if (file.size > limits.maxPhotoBytes) return t('portal.rules.photoSize', { name: file.name, size: megabytes(limits.maxPhotoBytes) });
  return null;
}

export function megabytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
