import { BadRequestException, Inject, Injectable, Logger, NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionService } from '../database/transaction.service';
import { CallsRepository } from './calls.repository';
import { callNotFound, CallsService } from './calls.service';
import type { CallDetailResponse } from './dto/cti.response';
import type { Call } from './entities/call.entity';
import { readWavHeader } from './wav-header';

/** How much of the file is read to find the WAV's fmt and data chunks. */
const HEADER_BYTES = 64 * 1024;

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

class TooLarge extends Error {}

/** A recording on disk, to send whole or in part. */
export interface RecordingFile {
  path: string;
  bytes: number;
  fileName: string;
}

/**
 * Call recordings (WAV) under RECORDINGS_DIR, at `<year>/<month>/call-<id>.wav` of the call's start. An upload is
 * streamed to a temporary file beside its place, checked (size, WAV header) and renamed over it: a reader never sees
 * half a file, and an upload sent again (the bridge's replay) replaces the first.
 */
@Injectable()
export class RecordingsService {
  private readonly logger = new Logger(RecordingsService.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly callViews: CallsService,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async store(callId: string, body: Readable, declaredBytes: number | null): Promise<CallDetailResponse> {
    const maxBytes = this.config.cti.recordingMaxBytes;
    if (declaredBytes !== null && declaredBytes > maxBytes) {
      body.resume();
      throw tooLarge(maxBytes);
    }
    const now = this.clock.now();
    const call = await this.transactions.run(async (manager) => {
      await this.calls.insertIfMissing({ callId, direction: 'inbound', status: 'ringing', startedAt: now }, now, manager);
      return this.calls.findByCallId(callId, manager);
    });
    if (!call) throw new Error(`The call ${callId} vanished while its recording was stored`);
    const relative = relativePathOf(call);
    const target = join(this.config.cti.recordingsDirectory, relative);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    try {
      const bytes = await this.receive(body, temporary, maxBytes);
      if (bytes === 0) throw new BadRequestException('The body is empty: send the WAV file as the body (Content-Type: audio/wav)');
      const wav = readWavHeader(await readHead(temporary), bytes);
      if (typeof wav === 'string') throw new UnsupportedMediaTypeException(wav);
      await rename(temporary, target);
      await this.transactions.run((manager) =>
        this.calls.setRecording(call.id, { recordingFile: relative, recordingBytes: bytes, recordingDurationMs: wav.durationMs, recordingUploadedAt: this.clock.now() }, manager),
      );
    } finally {
      await unlink(temporary).catch((error: unknown) => {
        if (!isMissing(error)) this.logger.warn(`Could not remove ${temporary}: ${String(error)}`);
      });
    }
    if (call.recordingFile && call.recordingFile !== relative) {
      await unlink(join(this.config.cti.recordingsDirectory, call.recordingFile)).catch(() => undefined);
    }
    const updated = await this.calls.findById(call.id);
    return this.callViews.detailOf(updated ?? call);
  }

  /** The recording of a call record; 404 when the call or its recording is missing. */
  async open(id: number): Promise<RecordingFile> {
    const call = await this.calls.findById(id);
    if (!call) throw callNotFound(id);
    if (!call.recordingFile) throw new NotFoundException(`Call record ${id} has no recording`);
    const path = join(this.config.cti.recordingsDirectory, call.recordingFile);
    try {
      const info = await stat(path);
      return { path, bytes: info.size, fileName: `call-${id}.wav` };
    } catch (error) {
      if (isMissing(error)) {
        this.logger.error(`The recording of call record ${id} is missing on disk: ${path}`);
        throw new NotFoundException(`The recording of call record ${id} is missing from the recordings directory`);
      }
      throw error;
    }
  }

  /** Streams the body to `path`, at most `maxBytes`; the bytes written. */
  private async receive(body: Readable, path: string, maxBytes: number): Promise<number> {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new TooLarge());
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path));
    } catch (error) {
      if (error instanceof TooLarge) {
        body.resume();
        throw tooLarge(maxBytes);
      }
      throw new BadRequestException(`The upload did not arrive whole: ${error instanceof Error ? error.message : String(error)}`);
    }
    return bytes;
  }
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The recording is too large: at most ${maxBytes} bytes (CTI_RECORDING_MAX_BYTES)`);
}

/** Where a call's recording lives: the year and month of its start (UTC), then its record id. */
function relativePathOf(call: Call): string {
  const year = call.startedAt.getUTCFullYear();
  const month = String(call.startedAt.getUTCMonth() + 1).padStart(2, '0');
  return `${year}/${month}/call-${call.id}.wav`;
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
