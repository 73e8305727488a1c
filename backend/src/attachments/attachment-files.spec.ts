import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { AttachmentFiles } from './attachment-files';

describe('AttachmentFiles.removeUnreferenced', () => {
  let directory: string;
  let sut: AttachmentFiles;
  const content = Buffer.from('现场照片');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const stored = () => join(directory, sha256.slice(0, 2), sha256);

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-files-'));
    sut = new AttachmentFiles(loadConfig({ ATTACHMENTS_DIR: directory }));
    await sut.ensureStored(sha256, content);
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('removes a file no row names', async () => {
    expect(await sut.removeUnreferenced(sha256, async () => false)).toBe(true);
    expect(readdirSync(join(directory, sha256.slice(0, 2)))).toEqual([]);
  });

  it('keeps a file a row names', async () => {
    expect(await sut.removeUnreferenced(sha256, async () => true)).toBe(false);
    expect(existsSync(stored())).toBe(true);
  });

  it('puts the file back when an upload of the same content added a row while it was being removed', async () => {
    const answers = [false, true]; // no row at the first count, a new upload's row at the second
    expect(await sut.removeUnreferenced(sha256, async () => answers.shift() ?? true)).toBe(false);
    expect(existsSync(stored())).toBe(true);
    expect(readdirSync(join(directory, sha256.slice(0, 2)))).toEqual([sha256]);
  });

  it('lets an upload that comes after the file was moved aside write it again', async () => {
    let uploadedMeanwhile = false;
    const isReferenced = async () => {
      if (existsSync(stored())) return false; // first count: before the move
      await sut.ensureStored(sha256, content); // an upload's row appears and it finds no file
      uploadedMeanwhile = true;
      return true;
    };
    expect(await sut.removeUnreferenced(sha256, isReferenced)).toBe(false);
    expect(uploadedMeanwhile).toBe(true);
    expect(existsSync(stored())).toBe(true);
    expect(readdirSync(join(directory, sha256.slice(0, 2)))).toEqual([sha256]);
  });

  it('does nothing when another instance removed the file already', async () => {
    await sut.removeUnreferenced(sha256, async () => false);
    expect(await sut.removeUnreferenced(sha256, async () => false)).toBe(false);
  });
});
