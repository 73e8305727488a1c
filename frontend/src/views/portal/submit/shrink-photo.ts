/** Photos at or below this size are sent as they are. */
const SMALL_ENOUGH_BYTES = 800 * 1024;
const MAX_SIDE = 1920;
const QUALITY = 0.85;

/**
 * A phone's photo, made smaller before it is sent: at most 1920 px on its longer side, as JPEG. Citizens on mobile
 * data send a few hundred KB instead of several MB, the portal's shared upload quota lasts longer, and the EXIF data
 * (the GPS position among it) is left behind. Where the browser cannot draw it, or the result would not be smaller,
 * the original is kept (the server checks the size either way).
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (file.size <= SMALL_ENOUGH_BYTES || typeof createImageBitmap !== 'function' || typeof document === 'undefined') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext('2d');
    if (!context) return file;
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.[^.]+$/, '') || 'photo'}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  }
}
