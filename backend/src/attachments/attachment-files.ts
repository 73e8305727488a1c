import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * The files on disk, stored once per content under `<first two hex digits>/<sha256>`. Several attachment
 * rows may name one file, so a file is written when the first row needs it and removed only when no row
 * names its hash any more.
 */
@Injectable()
export class AttachmentFiles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Writes the content unless a file of that hash is already there (temporary file + rename: never half a file). */
  async ensureStored(sha256: string, content: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    if (await this.exists(path)) return;
    await mkdir(join(this.config.attachments.directory, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, path);
  }

  /** The stored content, or null when the file is missing. */
  async open(sha256: string): Promise<ReadStream | null> {
    const path = this.pathOf(sha256);
    return (await this.exists(path)) ? createReadStream(path) : null;
  }

  /**
   * Removes the file of a hash that no row names, safely against an upload of the same content running at
   * the same time in this or another instance. The upload inserts its row first and writes the file
   * (if missing) after; here the file is first moved aside, then the rows are counted again: a row that
   * appeared meanwhile gets its file moved back, and an upload that comes later finds no file and writes it.
   * Returns whether the file was removed.
   */
  async removeUnreferenced(sha256: string, isReferenced: (sha256: string) => Promise<boolean>): Promise<boolean> {
    if (await isReferenced(sha256)) return false;
    const path = this.pathOf(sha256);
    const parked = `${path}.${randomUUID()}.expired`;
    try {
      await rename(path, parked);
    } catch (error) {
      if (isMissing(error)) return false; // already removed (another instance) or never written
      throw error;
    }
    if (await isReferenced(sha256)) {
      await rename(parked, path);
      return false;
    }
    await unlink(parked);
    return true;
  }

  private pathOf(sha256: string): string {
    return join(this.config.attachments.directory, sha256.slice(0, 2), sha256);
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  }
}
