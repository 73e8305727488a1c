const FILE_SIZE_UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** Byte counts as shown next to attachments: 1 decimal above bytes, e.g. `12.5 KB`. */
export function formatFileSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < FILE_SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${FILE_SIZE_UNITS[0]}` : `${value.toFixed(1)} ${FILE_SIZE_UNITS[unit]}`;
}
