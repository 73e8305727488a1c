import type { AxiosProgressEvent } from 'axios';
import { http } from './http';
import type { Attachment } from './models';

/** The backend's limits on one upload and on the files one reply may carry (ATTACHMENT_MAX_BYTES default, ReplyDto). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_ACTION = 20;
/** What the file picker offers (the backend checks the content of each). */
export const ATTACHMENT_ACCEPT =
  '.jpg,.jpeg,.png,.gif,.webp,.pdf,.txt,.doc,.docx,.xls,.xlsx,.mp3,.wav,.amr,.mp4';

/**
 * Uploads one file (`POST /api/attachments`, multipart field `file`); the answer's id is then named by the action that
 * binds it to an order (reply, assist-reply, register). `onProgress` gets the share sent so far, 0–100.
 */
export function uploadAttachment(file: File, onProgress?: (percent: number) => void, signal?: AbortSignal): Promise<Attachment> {
  const data = new FormData();
  data.append('file', file, file.name);
  return http.request<Attachment>(
    {
      method: 'POST',
      url: '/attachments',
      data,
      onUploadProgress: (event: AxiosProgressEvent) => {
        if (!onProgress) return;
        const total = event.total ?? file.size;
        onProgress(total > 0 ? Math.min(100, Math.round((event.loaded / total) * 100)) : 0);
      },
    },
    { signal },
  );
}

/** The content of an order's attachment (`GET /api/work-orders/:id/attachments/:attachmentId`, with the session's token). */
export function downloadAttachment(workOrderId: number, attachmentId: string, signal?: AbortSignal): Promise<Blob> {
  return http.request<Blob>({ method: 'GET', url: `/work-orders/${workOrderId}/attachments/${attachmentId}`, responseType: 'blob' }, { signal });
}

/** Saves a blob under a file name through a temporary link (the browser's download). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function isImage(mimeType: string): boolean {
  return mimeType.startsWith('image/');
}
