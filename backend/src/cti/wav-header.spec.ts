import { readWavHeader, wavHeader } from './wav-header';

describe('readWavHeader', () => {
  it('reads the format and the duration of 8 kHz PCM16 and A-law stereo', () => {
    const pcm = Buffer.concat([wavHeader(16000), Buffer.alloc(16000)]);
    expect(readWavHeader(pcm, pcm.length)).toEqual({ audioFormat: 1, channels: 1, sampleRate: 8000, byteRate: 16000, dataBytes: 16000, durationMs: 1000 });
    const alaw = Buffer.concat([wavHeader(24000, { channels: 2, format: 'alaw' }), Buffer.alloc(24000)]);
    expect(readWavHeader(alaw, alaw.length)).toMatchObject({ audioFormat: 6, channels: 2, byteRate: 16000, durationMs: 1500 });
  });

  it('skips other chunks before the data, and caps the data at the file’s end', () => {
    const header = wavHeader(8000);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('abcde'), Buffer.alloc(1)]);
    const file = Buffer.concat([header.subarray(0, 36), list, header.subarray(36), Buffer.alloc(4000)]);
    expect(readWavHeader(file, file.length)).toMatchObject({ dataBytes: 4000, durationMs: 250 });
  });

  it('says why a body is not a WAV', () => {
    expect(readWavHeader(Buffer.from('ID3 not a wave at all'), 21)).toMatch(/not a WAV/);
    expect(readWavHeader(wavHeader(0).subarray(0, 12), 12)).toMatch(/no fmt chunk/);
  });
});
