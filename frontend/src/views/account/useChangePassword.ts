import { ElMessage, type FormInstance } from 'element-plus';
import { computed, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ApiError } from '@/api/api-error';
import * as authApi from '@/api/auth';
import { LOGIN } from '@/router/guard';
import { useUserStore } from '@/store/modules/user';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { type ChangePasswordForm, createChangePasswordRules } from './rule';

export function useChangePassword() {
  const { t } = useI18n();
  const { message: errorText } = useApiErrorMessage();
  const router = useRouter();
  const userStore = useUserStore();

  const formRef = useTemplateRef<FormInstance>('formRef');
  const form = reactive<ChangePasswordForm>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const rules = computed(() => createChangePasswordRules(form, t));
  const submitting = ref(false);
  const errorMessage = ref<string | null>(null);
  /** A one-time password: nothing else opens until it is changed, so the page offers logging out instead of going back. */
  const mustChange = computed(() => userStore.user?.mustChangePassword === true);

  async function submit(): Promise<void> {
    if (submitting.value) return;
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;

    errorMessage.value = null;
    submitting.value = true;
    try {
      await authApi.changePassword({ currentPassword: form.currentPassword, newPassword: form.newPassword });
    } catch (error) {
      errorMessage.value =
        error instanceof ApiError && error.statusCode === 422 && error.kind === 'server'
          ? t('account.currentWrong')
          : errorText(error);
      submitting.value = false;
      return;
    }
    // The server has ended every session of the user, this one included: forget the tokens as logging out does.
    userStore.logout();
    ElMessage.success(t('account.changed'));
    submitting.value = false;
    await router.replace({ name: LOGIN });
  }

  async function cancel(): Promise<void> {
    if (mustChange.value) {
      await userStore.signOut();
      await router.replace({ name: LOGIN });
    } else {
      await router.replace({ path: '/' });
    }
  }

  return { form, rules, submitting, errorMessage, mustChange, submit, cancel };
}
