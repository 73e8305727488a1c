import { ALLOWED_ATTACHMENT_TYPES, contentMismatch } from './attachment-types';
import { compoundFile, docx, HTML_PAGE, MP3_WITHOUT_TAG, VALID_FILES, WINDOWS_EXECUTABLE, xlsx, zip } from './sample-files';

describe('attachment content checks', () => {
  const extensions = Object.keys(ALLOWED_ATTACHMENT_TYPES);

  it('has a valid sample for every accepted extension', () => {
    expect(Object.keys(VALID_FILES).sort()).toEqual([...extensions].sort());
  });

  it.each(extensions)('accepts a real %s file', (extension) => {
    expect(contentMismatch(extension, VALID_FILES[extension])).toBeNull();
  });

  it.each(extensions)('refuses a renamed Windows executable as %s, naming the declared type and what it is', (extension) => {
    const message = contentMismatch(extension, WINDOWS_EXECUTABLE);
    expect(message).toContain(`declared as ${extension} (${ALLOWED_ATTACHMENT_TYPES[extension][0]}`);
    expect(message).toContain('looks like a Windows executable');
  });

  it.each(extensions)('refuses a web page as %s', (extension) => {
    expect(contentMismatch(extension, HTML_PAGE)).toMatch(/looks like an HTML\/XML document or script$/);
  });

  it.each(extensions.filter((e) => !['.jpg', '.jpeg'].includes(e)))('refuses another accepted type (a JPEG photo) as %s', (extension) => {
    expect(contentMismatch(extension, VALID_FILES['.jpg'])).toMatch(/looks like a JPEG image$/);
  });

  it('tells the Office formats apart by their parts and streams', () => {
    expect(contentMismatch('.docx', xlsx())).toMatch(/Word document\), but the content looks like an Excel workbook \(\.xlsx\)$/);
    expect(contentMismatch('.xlsx', docx())).toMatch(/looks like a Word document \(\.docx\)$/);
    expect(contentMismatch('.docx', zip({ 'readme.txt': 'hello' }))).toMatch(/looks like a ZIP archive$/);
    expect(contentMismatch('.docx', zip({ 'word/document.xml': '<w:document/>' }))).toMatch(/looks like a ZIP archive$/); // no [Content_Types].xml
    expect(contentMismatch('.docx', zip({ 'META-INF/MANIFEST.MF': 'Main-Class: x', 'x.class': '' }))).toMatch(/looks like a Java archive$/);
    expect(contentMismatch('.docx', docx().subarray(0, 60))).toMatch(/damaged ZIP archive/);
    expect(contentMismatch('.doc', compoundFile('Workbook'))).toMatch(/looks like an Excel 97–2003 workbook \(\.xls\)$/);
    expect(contentMismatch('.xls', compoundFile('WordDocument'))).toMatch(/looks like a Word 97–2003 document \(\.doc\)$/);
    expect(contentMismatch('.xls', compoundFile('__substg1.0_0037001F'))).toMatch(/OLE compound file that is neither/);
  });

  it('accepts an MP3 without an ID3 tag by its frame header, and no other 0xFF start', () => {
    expect(contentMismatch('.mp3', MP3_WITHOUT_TAG)).toBeNull();
    expect(contentMismatch('.mp3', Buffer.from([0xff, 0xe2, 0xf0, 0x00]))).not.toBeNull(); // reserved layer and bitrate
  });

  it('accepts only UTF-8 text without NUL bytes and without markup as .txt', () => {
    expect(contentMismatch('.txt', Buffer.from('street lamp', 'utf16le'))).toMatch(/looks like binary data of no accepted type$/);
    expect(contentMismatch('.txt', Buffer.from('\uFEFF路灯不亮', 'utf16le'))).toMatch(/looks like UTF-16 text \(save it as UTF-8\)$/);
    expect(contentMismatch('.txt', Buffer.from([0xc2, 0xb7, 0xb5, 0xc6, 0xb2, 0xbb, 0xc1, 0xc1]))).toMatch(/text that is not valid UTF-8/); // 路灯不亮 in GBK
    expect(contentMismatch('.txt', Buffer.from('line one\0line two'))).not.toBeNull();
    expect(contentMismatch('.txt', Buffer.from('  <svg onload="alert(1)"></svg>'))).toMatch(/HTML\/XML/);
    expect(contentMismatch('.txt', Buffer.from('note\n<script src="x.js"></script>'))).toMatch(/HTML\/XML/);
    expect(contentMismatch('.txt', Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBeNull(); // harmless as text: it is never run
    expect(contentMismatch('.txt', Buffer.from('温度<30度，a <b> c'))).toBeNull();
  });
});
