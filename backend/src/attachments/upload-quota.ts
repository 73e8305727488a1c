import { HttpException, HttpStatus } from '@nestjs/common';
import type { RecentUpload } from './attachments.repository';

/** 413 when an upload would take the user past a quota; details name the quota, its limit and what is used. */
export class UploadQuotaExceededException extends HttpException {
  constructor(message: string, details: { quota: 'unbound' | 'daily'; limitBytes: number; usedBytes: number; fileBytes: number }) {
    super({ message, details }, HttpStatus.PAYLOAD_TOO_LARGE);
  }
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export interface UploadQuota {
  unboundBytes: number;
  dailyBytes: number;
}

/**
 * Throws when a new file of `fileBytes` would take the user past a quota. `recent` is the user's uploads
 * of the last 24 hours (older unbound ones have expired and no longer count).
 */
export function checkUploadQuota(quota: UploadQuota, recent: RecentUpload[], fileBytes: number): void {
  const daily = recent.reduce((sum, a) => sum + a.size, 0);
  const unbound = recent.filter((a) => a.workOrderId === null).reduce((sum, a) => sum + a.size, 0);
  if (unbound + fileBytes > quota.unboundBytes) {
    throw new UploadQuotaExceededException(
      `Upload quota reached: files not yet attached to a work order may total ${formatBytes(quota.unboundBytes)} per user, ` +
        `you hold ${formatBytes(unbound)} and this file has ${formatBytes(fileBytes)}. Attach your uploads to an order first (unattached ones expire 24 hours after upload)`,
      { quota: 'unbound', limitBytes: quota.unboundBytes, usedBytes: unbound, fileBytes },
    );
  }
  if (daily + fileBytes > quota.dailyBytes) {
    throw new UploadQuotaExceededException(
      `Daily upload quota reached: a user may upload ${formatBytes(quota.dailyBytes)} in 24 hours, ` +
        `you uploaded ${formatBytes(daily)} and this file has ${formatBytes(fileBytes)}. Try again later`,
      { quota: 'daily', limitBytes: quota.dailyBytes, usedBytes: daily, fileBytes },
    );
  }
}
