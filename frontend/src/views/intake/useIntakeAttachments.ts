import { ElMessage, type UploadFile, type UploadProgressEvent, type UploadRequestOptions, type UploadUserFile } from 'element-plus';
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ATTACHMENT_ACCEPT, ATTACHMENT_MAX_BYTES, uploadAttachment } from '@/api/attachments';
import type { Attachment } from '@/api/models';
import { useApiErrorMessage } from '@/composables/useApiErrorMessage';
import { INTAKE_LIMITS } from './rule';

function attachmentOf(file: UploadUserFile): Attachment | null {
  const response = file.response as Partial<Attachment> | undefined;
  return file.status === 'success' && response && typeof response.id === 'string' ? (response as Attachment) : null;
}

/**
 * The optional files of the order being registered: each is uploaded at once (`POST /api/attachments`, with
 * progress) and its id named when registering. The list lives in the page only (never in the draft: the files are
 * on the server, unbound, and are cleaned up there if never used).
 */
export function useIntakeAttachments() {
  const { t } = useI18n();
  const { message } = useApiErrorMessage();
  const items = ref<UploadUserFile[]>([]);

  const ids = computed(() => items.value.map(attachmentOf).filter((a): a is Attachment => a !== null).map((a) => a.id));
  const uploading = computed(() => items.value.some((file) => file.status === 'uploading' || file.status === 'ready'));

  /** el-upload's `http-request`: our HTTP client (with the session's token) instead of its own XHR. */
  function request(options: UploadRequestOptions): Promise<Attachment> {
    return uploadAttachment(options.file, (percent) => options.onProgress({ percent } as UploadProgressEvent));
  }

  function onError(error: Error, file: UploadFile): void {
    ElMessage.error(t('intake.form.uploadFailed', { name: file.name, message: message(error) }));
  }

  /** Refuses a file over the server's size limit before sending it (the server would answer 413). */
  function beforeUpload(file: File): boolean {
    if (file.size <= ATTACHMENT_MAX_BYTES) return true;
    ElMessage.error(t('intake.form.fileTooLarge', { name: file.name, max: Math.round(ATTACHMENT_MAX_BYTES / 1024 / 1024) }));
    return false;
  }

  function onExceed(): void {
    ElMessage.warning(t('intake.form.tooManyFiles', { max: INTAKE_LIMITS.attachments }));
  }

  function clear(): void {
    items.value = [];
  }

  return { items, ids, uploading, request, beforeUpload, onError, onExceed, clear, limit: INTAKE_LIMITS.attachments, accept: ATTACHMENT_ACCEPT };
}
