import type { FormInstance, InputInstance } from 'element-plus';
import { computed, nextTick, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import { ApiError } from '@/api/api-error';
import type { LoginRequest } from '@/api/models';
import { safeRedirect } from '@/router/guard';
import { useUserStore } from '@/store/modules/user';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { createLoginRules } from './rule';

/**
 * The code a refused login means when the server sent none: elsewhere a 401 says "your session expired", but on the
 * login form itself it can only mean wrong credentials, and a 423 a locked account.
 */
const LOGIN_STATUS_CODES: Record<number, string> = { 401: 'INVALID_CREDENTIALS', 423: 'ACCOUNT_LOCKED' };

function asLoginError(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.code || !LOGIN_STATUS_CODES[error.statusCode]) return error;
  return new ApiError(error.message, {
    kind: error.kind,
    statusCode: error.statusCode,
    error: error.error,
    code: LOGIN_STATUS_CODES[error.statusCode],
    correlationId: error.correlationId,
    details: error.details,
  });
}

export function useLogin() {
  const { t } = useI18n();
  const { message: errorText } = useApiErrorMessage();
  const route = useRoute();
  const router = useRouter();
  const userStore = useUserStore();

  const formRef = useTemplateRef<FormInstance>('formRef');
  const passwordRef = useTemplateRef<InputInstance>('passwordRef');
  const form = reactive<LoginRequest>({ username: '', password: '' });
  const rules = computed(() => createLoginRules(t));
  const submitting = ref(false);
  const errorMessage = ref<string | null>(null);

  async function submit(): Promise<void> {
    if (submitting.value) return;
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;

    errorMessage.value = null;
    submitting.value = true;
    try {
      await userStore.login({ username: form.username.trim(), password: form.password });
      await router.replace(safeRedirect(route.query.redirect));
    } catch (error) {
      errorMessage.value = errorText(asLoginError(error));
      // A refused password is never left in the field: the username stays, the cursor waits for a new password.
      form.password = '';
      await nextTick();
      formRef.value?.clearValidate('password');
      passwordRef.value?.focus();
    } finally {
      submitting.value = false;
    }
  }

  return { form, rules, submitting, errorMessage, submit };
}
