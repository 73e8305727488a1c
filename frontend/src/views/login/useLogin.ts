import type { FormInstance } from 'element-plus';
import { computed, reactive, ref, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import type { LoginRequest } from '@/api/types';
import { safeRedirect } from '@/router/guard';
import { useUserStore } from '@/store/modules/user';
import { describeError } from '@/utils/error-message';
import { createLoginRules } from './rule';

export function useLogin() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const userStore = useUserStore();

  const formRef = useTemplateRef<FormInstance>('formRef');
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
      errorMessage.value = describeError(error, t);
    } finally {
      submitting.value = false;
    }
  }

  return { form, rules, submitting, errorMessage, submit };
}
