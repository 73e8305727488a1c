import type { FormInstance, FormRules } from 'element-plus';
import { onMounted, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import { type TrackedRequest, trackRequest } from '@/api/portal';
import { usePortalError } from '../usePortalError';
import { isCitizenPhone } from '../submit/rule';

export type TrackState = 'idle' | 'loading' | 'loaded' | 'error';
export const REQUEST_NUMBER_PATTERN = /^\d{13,14}$/;

export interface TrackForm {
  number: string;
  phone: string;
}

export function createTrackRules(t: (key: string) => string): FormRules<TrackForm> {
  return {
    number: [
      { required: true, whitespace: true, message: t('portal.track.numberRequired'), trigger: 'blur' },
      { pattern: REQUEST_NUMBER_PATTERN, message: t('portal.track.numberFormat'), trigger: 'blur' },
    ],
    phone: [
      { required: true, whitespace: true, message: t('portal.track.phoneRequired'), trigger: 'blur' },
      {
        validator: (_rule, value: string, callback) => (value && !isCitizenPhone(value) ? callback(new Error(t('portal.rules.phoneFormat'))) : callback()),
        trigger: 'blur',
      },
    ],
  };
}

/** 进度查询: the number (prefilled from the success page) and the phone → the request's public view. */
export function useTrackRequest() {
  const { t } = useI18n();
  const route = useRoute();
  const { portalMessage } = usePortalError();
  const formRef = useTemplateRef<FormInstance>('formRef');
  const form = reactive<TrackForm>({ number: typeof route.query.number === 'string' ? route.query.number : '', phone: '' });
  const rules = createTrackRules((key) => t(key));
  const state = ref<TrackState>('idle');
  const result = ref<TrackedRequest | null>(null);
  const errorMessage = ref('');
  let pending: AbortController | null = null;

  async function lookUp(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    pending?.abort();
    pending = new AbortController();
    state.value = 'loading';
    errorMessage.value = '';
    try {
      result.value = await trackRequest(form.number.trim(), form.phone.trim(), pending.signal);
      state.value = 'loaded';
    } catch (error) {
      if (error instanceof Error && error.name === 'CanceledError') return;
      result.value = null;
      errorMessage.value = portalMessage(error, { notFound: true });
      state.value = 'error';
    }
  }

  onMounted(() => {
    if (form.number) document.querySelector<HTMLInputElement>('[data-test="portal-track-phone"]')?.focus();
  });

  return { form, rules, state, result, errorMessage, lookUp };
}
