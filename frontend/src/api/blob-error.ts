import { ApiError } from './api-error';
import { toApiError } from './http';

/** An ApiError whose answer was a blob (a download's): the same error rebuilt from the JSON error body inside it. */
export async function readErrorBlob(error: unknown): Promise<unknown> {
  if (!(error instanceof ApiError) || error.kind !== 'http') return error;
  const cause = error.cause as { response?: { data?: unknown } } | undefined;
  const data = cause?.response?.data;
  if (!cause?.response || typeof Blob === 'undefined' || !(data instanceof Blob)) return error;
  try {
    cause.response.data = JSON.parse(await blobText(data)) as unknown;
  } catch {
    return error;
  }
  return toApiError(cause);
}

/** A blob's text: Blob.text() where there is one, else a FileReader (older browsers, jsdom). */
function blobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('The blob could not be read'));
    reader.readAsText(blob);
  });
}
