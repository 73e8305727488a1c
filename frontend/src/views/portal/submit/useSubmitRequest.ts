import { ElMessage, type FormInstance, type UploadFile, type UploadUserFile } from 'element-plus';
import { computed, onMounted, reactive, ref, useTemplateRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { type CaptchaChallenge, fetchCaptcha, fetchFormOptions, type PortalFormOptions, submitRequest } from '@/api/portal';
import { isCaptchaError, usePortalError } from '../usePortalError';
import { createPortalRules, photoProblem, type PortalForm } from './rule';
import { shrinkPhoto } from './shrink-photo';

export type LoadState = 'loading' | 'loaded' | 'error';

export function emptyPortalForm(): PortalForm {
  return {
    requestType: '',
    categoryId: null,
    content: '',
    title: '',
    address: '',
    districtUnitId: null,
    streetUnitId: null,
    citizenName: '',
    citizenPhone: '',
    citizenConfidential: false,
    captchaAnswer: '',
  };
}

/** 我要反映: the form's options, its state, the photos, the captcha, and sending it all. */
export function useSubmitRequest() {
  const { t } = useI18n();
  const router = useRouter();
  const { portalMessage } = usePortalError();

  const formRef = useTemplateRef<FormInstance>('formRef');
  const form = reactive<PortalForm>(emptyPortalForm());
  const options = ref<PortalFormOptions | null>(null);
  const state = ref<LoadState>('loading');
  const captcha = ref<CaptchaChallenge | null>(null);
  const photos = ref<UploadUserFile[]>([]);
  const submitting = ref(false);
  const errorMessage = ref('');
  const rules = createPortalRules((key, named) => t(key, named ?? {}), { categoryRequired: () => options.value?.categoryRequired ?? true });

  const streets = computed(() => options.value?.districts.find((d) => d.id === form.districtUnitId)?.streets ?? []);
  watch(
    () => form.districtUnitId,
    () => {
      if (!streets.value.some((s) => s.id === form.streetUnitId)) form.streetUnitId = null;
    },
  );

  async function refreshCaptcha(): Promise<void> {
    form.captchaAnswer = '';
    try {
      captcha.value = await fetchCaptcha();
    } catch (error) {
      captcha.value = null;
      errorMessage.value = portalMessage(error);
    }
  }

  async function load(): Promise<void> {
    state.value = 'loading';
    try {
      options.value = await fetchFormOptions();
      state.value = 'loaded';
    } catch {
      state.value = 'error';
      return;
    }
    await refreshCaptcha();
  }

  /**
   * el-upload's on-change: a large photo is made smaller first (shrink-photo.ts); one the portal cannot send is taken
   * off the list, with the reason.
   */
  async function onPhotoChange(file: UploadFile, list: UploadFile[]): Promise<void> {
    if (!options.value || !file.raw) return;
    const others = list.filter((f) => f.uid !== file.uid).length;
    const translate = (key: string, named?: Record<string, unknown>) => t(key, named ?? {});
    let problem = photoProblem({ name: file.name, size: 0, type: file.raw.type }, others, options.value, translate);
    if (!problem) {
      const shrunk = await shrinkPhoto(file.raw);
      if (shrunk !== file.raw) {
        const entry = photos.value.find((f) => f.uid === file.uid);
        if (entry) Object.assign(entry, { raw: Object.assign(shrunk, { uid: file.uid }), size: shrunk.size });
      }
      problem = photoProblem(shrunk, others, options.value, translate);
    }
    if (problem) {
      photos.value = photos.value.filter((f) => f.uid !== file.uid);
      ElMessage.warning(problem);
    }
  }

  function onPhotoExceed(): void {
    ElMessage.warning(t('portal.rules.photoCount', { max: options.value?.maxPhotos ?? 3 }));
  }

  async function submit(): Promise<void> {
    if (submitting.value || !formRef.value || !captcha.value) return;
    errorMessage.value = '';
    const valid = await formRef.value.validate().catch(() => false);
    if (!valid || !form.requestType) return;
    submitting.value = true;
    try {
      const files = photos.value.map((p) => p.raw).filter((raw): raw is NonNullable<typeof raw> => raw !== undefined);
      const sent = await submitRequest(
        {
          requestType: form.requestType,
          categoryId: form.categoryId ?? undefined,
          content: form.content.trim(),
          title: form.title.trim() || undefined,
          address: form.address.trim(),
          districtUnitId: form.districtUnitId ?? undefined,
          streetUnitId: form.streetUnitId ?? undefined,
          citizenName: form.citizenName.trim() || undefined,
          citizenPhone: form.citizenPhone.trim(),
          citizenConfidential: form.citizenConfidential,
          captchaToken: captcha.value.token,
          captchaAnswer: form.captchaAnswer.trim(),
        },
        files,
      );
      Object.assign(form, emptyPortalForm());
      photos.value = [];
      await router.push({ name: 'portal-submitted', params: { number: sent.number }, query: { phone: sent.phoneHint } });
    } catch (error) {
      errorMessage.value = portalMessage(error);
      // Any try uses the captcha up: a new question for the next one.
      await refreshCaptcha();
      formRef.value?.clearValidate('captchaAnswer');
      if (isCaptchaError(error)) document.querySelector<HTMLInputElement>('[data-test="portal-captcha-answer"]')?.focus();
    } finally {
      submitting.value = false;
    }
  }

  onMounted(load);

  return { form, rules, options, state, captcha, photos, streets, submitting, errorMessage, load, refreshCaptcha, onPhotoChange, onPhotoExceed, submit };
}
