/** What a recording's RIFF/WAVE header says about its audio. */
export interface WavFacts {
  /** 1 = PCM, 6 = A-law, 7 = µ-law (G.711), 0xFFFE = extensible. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  /** Bytes of the data chunk as the header gives them, capped at what the file holds (a header written before the end). */
  dataBytes: number;
  durationMs: number;
}

/**
 * Reads the header of a WAV file: `head` is its first bytes (enough to reach the data chunk), `fileBytes` its whole
 * size. Returns why it is not a usable WAV instead of throwing, for a 415 that says so.
 */
export function readWavHeader(head: Buffer, fileBytes: number): WavFacts | string {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    return 'The body is not a WAV file (no RIFF/WAVE header)';
  }
  let offset = 12;
  let format: Omit<WavFacts, 'dataBytes' | 'durationMs'> | null = null;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) return 'The WAV file’s fmt chunk is too short';
      format = {
        audioFormat: head.readUInt16LE(body),
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        byteRate: head.readUInt32LE(body + 8),
      };
      if (format.channels === 0 || format.sampleRate === 0 || format.byteRate === 0) return 'The WAV file’s fmt chunk names no channels, sample rate or byte rate';
    } else if (id === 'data') {
      if (!format) return 'The WAV file has its data before its fmt chunk';
      // A streaming writer may leave 0 or 0xFFFFFFFF until it finishes: then the data runs to the end of the file.
      const inFile = Math.max(0, fileBytes - body);
      const dataBytes = size === 0 || size === 0xffffffff ? inFile : Math.min(size, inFile);
      return { ...format, dataBytes, durationMs: Math.round((dataBytes * 1000) / format.byteRate) };
    }
    offset = body + size + (size % 2);
  }
  return format ? 'The WAV file has no data chunk in its first 64 KiB' : 'The WAV file has no fmt chunk';
}

/** A WAV header for `dataBytes` of 8 kHz audio (tests and tools): PCM16 or G.711 (8-bit A-law/µ-law). */
export function wavHeader(dataBytes: number, options: { channels?: number; sampleRate?: number; format?: 'pcm16' | 'alaw' | 'ulaw' } = {}): Buffer {
  const channels = options.channels ?? 1;
  const sampleRate = options.sampleRate ?? 8000;
  const format = options.format ?? 'pcm16';
  const bytesPerSample = format === 'pcm16' ? 2 : 1;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE({ pcm16: 1, alaw: 6, ulaw: 7 }[format], 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  header.writeUInt16LE(channels * bytesPerSample, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
