import {
  compoundFileHasStream,
  describeContent,
  isAmr,
  isGif,
  isJpeg,
  isMp3,
  isMp4,
  isPdf,
  isPng,
  isWav,
  isWebp,
  looksLikeMarkup,
  officeOpenXmlKind,
  utf8Text,
  zipEntryNames,
  type OfficeOpenXmlKind,
} from './file-signatures';

interface AttachmentType {
  mimeTypes: readonly string[];
  /** What the file should be, for messages. */
  label: string;
  /** Whether the bytes really are such a file. */
  matches: (content: Buffer) => boolean;
}

const officeOpenXml = (kind: OfficeOpenXmlKind) => (b: Buffer) => {
  const names = zipEntryNames(b);
  return names !== null && officeOpenXmlKind(names) === kind;
};
const plainText = (b: Buffer) => {
  const text = utf8Text(b);
  return text !== null && !looksLikeMarkup(text);
};

const JPEG: AttachmentType = { mimeTypes: ['image/jpeg'], label: 'JPEG image', matches: isJpeg };

/** The file types a 12345 center accepts (photos, documents, audio recordings and short videos), each with its content check. */
const TYPES: Record<string, AttachmentType> = {
  '.jpg': JPEG,
  '.jpeg': JPEG,
  '.png': { mimeTypes: ['image/png'], label: 'PNG image', matches: isPng },
  '.gif': { mimeTypes: ['image/gif'], label: 'GIF image', matches: isGif },
  '.webp': { mimeTypes: ['image/webp'], label: 'WebP image', matches: isWebp },
  '.pdf': { mimeTypes: ['application/pdf'], label: 'PDF document', matches: isPdf },
  '.txt': { mimeTypes: ['text/plain'], label: 'UTF-8 plain text without markup', matches: plainText },
  '.doc': { mimeTypes: ['application/msword'], label: 'Word 97–2003 document', matches: (b) => compoundFileHasStream(b, 'WordDocument') },
  '.docx': { mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], label: 'Word document', matches: officeOpenXml('word') },
  '.xls': {
    mimeTypes: ['application/vnd.ms-excel'],
    label: 'Excel 97–2003 workbook',
    matches: (b) => compoundFileHasStream(b, 'Workbook') || compoundFileHasStream(b, 'Book'),
  },
  '.xlsx': { mimeTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], label: 'Excel workbook', matches: officeOpenXml('excel') },
  '.mp3': { mimeTypes: ['audio/mpeg'], label: 'MP3 audio', matches: isMp3 },
  '.wav': { mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/wave'], label: 'WAV audio', matches: isWav },
  '.amr': { mimeTypes: ['audio/amr'], label: 'AMR audio', matches: isAmr },
  '.mp4': { mimeTypes: ['video/mp4'], label: 'MP4 video', matches: isMp4 },
};

/** Accepted extensions and the MIME types each may be sent as (the first is the one stored when the client sends another). */
export const ALLOWED_ATTACHMENT_TYPES: Record<string, readonly string[]> = Object.fromEntries(Object.entries(TYPES).map(([extension, type]) => [extension, type.mimeTypes]));

/**
 * Null when the content really is a file of the (whitelisted) extension; otherwise a sentence for the 415
 * answer naming the declared type and what the content looks like.
 */
export function contentMismatch(extension: string, content: Buffer): string | null {
  const type = TYPES[extension];
  if (!type) return `"${extension}" is not an accepted type`;
  if (type.matches(content)) return null;
  return `declared as ${extension} (${type.mimeTypes[0]}, a ${type.label}), but the content looks like ${describeContent(content)}`;
}
