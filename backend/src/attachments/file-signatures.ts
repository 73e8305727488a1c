/**
 * Recognises what a file really is from its bytes, so that a renamed executable or web page is not stored
 * as a photo, a document or a text file. Each recogniser looks at the structure a real reader would need
 * first (magic numbers, the ZIP central directory, the OLE stream names, a valid UTF-8 text), not at the
 * name or the declared MIME type.
 */

const ZIP_LOCAL_FILE = 0x04034b50;
const ZIP_CENTRAL_FILE = 0x02014b50;
const ZIP_END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const ascii = (b: Buffer, start: number, end: number): string => b.subarray(start, end).toString('latin1');

export const isJpeg = (b: Buffer): boolean => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
export const isPng = (b: Buffer): boolean => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
export const isGif = (b: Buffer): boolean => ['GIF87a', 'GIF89a'].includes(ascii(b, 0, 6));
const isRiff = (b: Buffer, form: string): boolean => b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === form;
export const isWebp = (b: Buffer): boolean => isRiff(b, 'WEBP');
export const isWav = (b: Buffer): boolean => isRiff(b, 'WAVE');
export const isPdf = (b: Buffer): boolean => ascii(b, 0, 5) === '%PDF-';
export const isAmr = (b: Buffer): boolean => ascii(b, 0, 6) === '#!AMR\n' || ascii(b, 0, 9) === '#!AMR-WB\n';
/** ISO base media (MP4): the first box is `ftyp`. */
export const isMp4 = (b: Buffer): boolean => b.length >= 12 && ascii(b, 4, 8) === 'ftyp';

/** An ID3v2 tag, or an MPEG audio frame header (11 sync bits, a valid version and layer). */
export function isMp3(b: Buffer): boolean {
  if (ascii(b, 0, 3) === 'ID3') return true;
  if (b.length < 4 || b[0] !== 0xff || (b[1] & 0xe0) !== 0xe0) return false;
  const version = (b[1] >> 3) & 0b11;
  const layer = (b[1] >> 1) & 0b11;
  const bitrate = b[2] >> 4;
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111;
}

/**
 * The entry names of a ZIP archive read from its central directory (what Office itself reads), or null
 * when the bytes are not a ZIP archive with a readable central directory.
 */
export function zipEntryNames(b: Buffer): string[] | null {
  if (b.length < 22 || b.readUInt32LE(0) !== ZIP_LOCAL_FILE) return null;
  const earliest = Math.max(0, b.length - 22 - 0xffff); // the end record is followed by at most a 64 KB comment
  for (let end = b.length - 22; end >= earliest; end--) {
    if (b.readUInt32LE(end) !== ZIP_END_OF_CENTRAL_DIRECTORY) continue;
    const count = b.readUInt16LE(end + 10);
    const size = b.readUInt32LE(end + 12);
    const offset = b.readUInt32LE(end + 16);
    if (offset + size > end) return null; // also ZIP64 (0xffffffff), which a file of at most 20 MB never needs
    const names: string[] = [];
    let p = offset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > end || b.readUInt32LE(p) !== ZIP_CENTRAL_FILE) return null;
      const nameLength = b.readUInt16LE(p + 28);
      const next = p + 46 + nameLength + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
      if (next > end) return null;
      names.push(b.toString('utf8', p + 46, p + 46 + nameLength));
      p = next;
    }
    return names;
  }
  return null;
}

export type OfficeOpenXmlKind = 'word' | 'excel' | 'powerpoint';
const OOXML_FOLDERS: Record<OfficeOpenXmlKind, string> = { word: 'word/', excel: 'xl/', powerpoint: 'ppt/' };

/** Which Office Open XML document a ZIP archive is: `[Content_Types].xml` plus the part folder of Word, Excel or PowerPoint. */
export function officeOpenXmlKind(names: string[]): OfficeOpenXmlKind | null {
  if (!names.includes('[Content_Types].xml')) return null;
  const kinds = Object.keys(OOXML_FOLDERS) as OfficeOpenXmlKind[];
  return kinds.find((kind) => names.some((name) => name.startsWith(OOXML_FOLDERS[kind]))) ?? null;
}

export const isCompoundFile = (b: Buffer): boolean => b.subarray(0, 8).equals(CFB_SIGNATURE);

/** Whether an OLE compound file (Word/Excel 97–2003) has a stream of this name in its directory (names are UTF-16LE). */
export function compoundFileHasStream(b: Buffer, name: string): boolean {
  return isCompoundFile(b) && b.includes(Buffer.from(`${name}\0`, 'utf16le'), 512);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded text when the bytes are valid UTF-8 without NUL bytes (a BOM allowed), else null. */
export function utf8Text(b: Buffer): string | null {
  if (b.includes(0)) return null;
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

/** Markup a browser would render or run: the HTML openings WHATWG MIME sniffing looks for, XML/SVG, or a script/frame anywhere. */
export function looksLikeMarkup(text: string): boolean {
  const start = text.replace(/^\uFEFF?\s*/, '').slice(0, 64).toLowerCase();
  const openings = ['<!doctype html', '<html', '<head', '<body', '<script', '<iframe', '<style', '<title', '<table', '<div', '<font', '<a', '<b', '<br', '<p', '<h1', '<!--', '<?xml', '<svg'];
  if (openings.some((o) => start.startsWith(o) && (o === '<!--' || o === '<?xml' || /^[\s>/]/.test(start.charAt(o.length))))) return true;
  return /<\s*(script|iframe|object|embed)\b/i.test(text);
}

/** A short description of what the bytes look like, for the 415 message. */
export function describeContent(b: Buffer): string {
  if (b.length === 0) return 'an empty file';
  if (ascii(b, 0, 2) === 'MZ') return 'a Windows executable';
  if (ascii(b, 0, 4) === '\x7fELF') return 'a Linux executable (ELF)';
  if (isJpeg(b)) return 'a JPEG image';
  if (isPng(b)) return 'a PNG image';
  if (isGif(b)) return 'a GIF image';
  if (isWebp(b)) return 'a WebP image';
  if (isPdf(b)) return 'a PDF document';
  if (isWav(b)) return 'WAV audio';
  if (isAmr(b)) return 'AMR audio';
  if (isMp4(b)) return 'an MP4 video';
  const names = zipEntryNames(b);
  if (names) {
    const kind = officeOpenXmlKind(names);
    if (kind) return { word: 'a Word document (.docx)', excel: 'an Excel workbook (.xlsx)', powerpoint: 'a PowerPoint presentation (.pptx)' }[kind];
    if (names.includes('META-INF/MANIFEST.MF')) return 'a Java archive';
    if (names.includes('AndroidManifest.xml')) return 'an Android app';
    return 'a ZIP archive';
  }
  if (ascii(b, 0, 4) === 'PK\x03\x04') return 'a damaged ZIP archive (no readable central directory)';
  if (isCompoundFile(b)) {
    if (compoundFileHasStream(b, 'WordDocument')) return 'a Word 97–2003 document (.doc)';
    if (compoundFileHasStream(b, 'Workbook') || compoundFileHasStream(b, 'Book')) return 'an Excel 97–2003 workbook (.xls)';
    return 'an OLE compound file that is neither a Word nor an Excel document';
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 'UTF-16 text (save it as UTF-8)';
  if (isMp3(b)) return 'MP3 audio';
  const text = utf8Text(b);
  if (text !== null) {
    if (looksLikeMarkup(text)) return 'an HTML/XML document or script';
    return text.startsWith('#!') ? 'a script' : 'plain text';
  }
  return b.includes(0) ? 'binary data of no accepted type' : 'text that is not valid UTF-8 (save it as UTF-8)';
}
