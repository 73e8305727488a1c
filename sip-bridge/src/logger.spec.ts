import { createJsonLogger } from './logger';

describe('createJsonLogger', () => {
  const now = () => new Date('2025-01-02T03:04:05.678Z');

  it('writes one JSON object per line', () => {
    const lines: string[] = [];
    const sut = createJsonLogger({ write: (line) => lines.push(line), now });

    sut.info('Answered SIP request', { method: 'OPTIONS', status: 200 });
    sut.warn('Dropped malformed SIP datagram', { error: new Error('Malformed start line: "x"\nsecond line') });

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({
      time: '2025-01-02T03:04:05.678Z',
      level: 'info',
      msg: 'Answered SIP request',
      method: 'OPTIONS',
      status: 200,
    });
    expect(JSON.parse(lines[1]).error).toEqual({ name: 'Error', message: 'Malformed start line: "x"\nsecond line' });
  });

  it('still writes a line when a field cannot be serialized', () => {
    const lines: string[] = [];
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const sut = createJsonLogger({ write: (line) => lines.push(line), now });

    sut.error('boom', { circular });

    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'boom', logError: 'fields not serializable' });
  });
});
