import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The bench's PROMPTS_DIR: the shipped prompts, with the welcome cut to `welcomeSeconds` (the shipped one is 11 s;
 * a caller who hangs up within it was never queued and would count as missed, not abandoned). The cost of playing
 * a prompt is per packet, the same whichever prompt plays, so a shorter welcome changes when the queue starts, not
 * the media load.
 */
export function writeBenchPrompts(shippedDir: string, outDir: string, welcomeSeconds: number): void {
  for (const name of ['waiting', 'survey', 'thanks', 'busy']) copyFileSync(join(shippedDir, `${name}.wav`), join(outDir, `${name}.wav`));
  writeFileSync(join(outDir, 'welcome.wav'), cutWav(readFileSync(join(shippedDir, 'welcome.wav')), welcomeSeconds));
}

/** The first `seconds` of a PCM WAV, as a canonical 44-byte-header WAV of the same format. */
export function cutWav(wav: Buffer, seconds: number): Buffer {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('Not a RIFF/WAVE file');
  let fmt: Buffer | undefined;
  let data: Buffer | undefined;
  for (let offset = 12; offset + 8 <= wav.length; ) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = wav.subarray(offset + 8, Math.min(wav.length, offset + 8 + size));
    if (id === 'fmt ') fmt = body;
    if (id === 'data') data = body;
    offset += 8 + size + (size % 2);
  }
  if (fmt === undefined || data === undefined) throw new Error('WAV without fmt or data chunk');
  const byteRate = fmt.readUInt32LE(8);
  const blockAlign = fmt.readUInt16LE(12);
  const bytes = Math.min(data.length, Math.floor((seconds * byteRate) / blockAlign) * blockAlign);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + bytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  fmt.copy(header, 20, 0, 16);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(bytes, 40);
  return Buffer.concat([header, data.subarray(0, bytes)]);
}
