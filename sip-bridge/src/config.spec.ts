import { resolve } from 'node:path';
import { ConfigValidationError, DEFAULT_PROMPTS_DIR, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toEqual({
      sip: { bindHost: '127.0.0.1', port: 5060, advertisedHost: undefined, realm: 'jiesu' },
      rtp: { portMin: 10000, portMax: 20000 },
      backendUrl: 'http://localhost:3000',
      ctiToken: undefined,
      queueMax: 50,
      ringTimeoutMs: 15_000,
      surveyTimeoutMs: 10_000,
      answerAfterMs: 0,
      spoolDir: resolve('./data/sip-spool'),
      promptsDir: DEFAULT_PROMPTS_DIR,
    });
  });

  it('finds the shipped prompts by default', () => {
    expect(DEFAULT_PROMPTS_DIR).toBe(resolve(__dirname, '..', 'prompts'));
  });

  it('reads the variables', () => {
    const sut = loadConfig({
      SIP_HOST: '::',
      SIP_PORT: '5080',
      SIP_ADVERTISED_HOST: '203.0.113.7',
      SIP_REALM: 'hotline',
      RTP_PORT_MIN: '30000',
      RTP_PORT_MAX: '30100',
      BACKEND_URL: 'https://jiesu.example.cn/',
      CTI_TOKEN: 's3cret',
      QUEUE_MAX: '3',
      RING_TIMEOUT: '20',
      SURVEY_TIMEOUT: '8000ms',
      ANSWER_AFTER: '2s',
      SPOOL_DIR: '/var/spool/jiesu',
      PROMPTS_DIR: '/opt/prompts',
    });

    expect(sut).toEqual({
      sip: { bindHost: '::', port: 5080, advertisedHost: '203.0.113.7', realm: 'hotline' },
      rtp: { portMin: 30000, portMax: 30100 },
      backendUrl: 'https://jiesu.example.cn',
      ctiToken: 's3cret',
      queueMax: 3,
      ringTimeoutMs: 20_000,
      surveyTimeoutMs: 8_000,
      answerAfterMs: 2_000,
      spoolDir: '/var/spool/jiesu',
      promptsDir: '/opt/prompts',
    });
  });

  it('accepts SIP_BIND_HOST, the older name of SIP_HOST, and the same value in both', () => {
    expect(loadConfig({ SIP_BIND_HOST: '10.0.0.20' }).sip.bindHost).toBe('10.0.0.20');
    expect(loadConfig({ SIP_BIND_HOST: '10.0.0.20', SIP_HOST: '10.0.0.20' }).sip.bindHost).toBe('10.0.0.20');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SIP_PORT: '', SIP_HOST: ' ', CTI_TOKEN: '' })).toMatchObject({
      sip: { bindHost: '127.0.0.1', port: 5060 },
      ctiToken: undefined,
    });
  });

  it('accepts port 0 (pick a free port) and durations with units', () => {
    expect(loadConfig({ SIP_PORT: '0' }).sip.port).toBe(0);
    expect(loadConfig({ RING_TIMEOUT: '1.5m' }).ringTimeoutMs).toBe(90_000);
    expect(loadConfig({ ANSWER_AFTER: '500ms' }).answerAfterMs).toBe(500);
  });

  it.each([
    ['SIP_HOST', 'pbx.example.cn', 'SIP_HOST: must be an IPv4 or IPv6 address (got "pbx.example.cn")'],
    ['SIP_BIND_HOST', '10.0.0.300', 'SIP_BIND_HOST: must be an IPv4 or IPv6 address (got "10.0.0.300")'],
    ['SIP_PORT', 'abc', 'SIP_PORT: must be an integer from 0 to 65535 (got "abc")'],
    ['SIP_PORT', '65536', 'SIP_PORT: must be an integer from 0 to 65535 (got "65536")'],
    ['SIP_PORT', '-1', 'SIP_PORT: must be an integer from 0 to 65535 (got "-1")'],
    ['SIP_ADVERTISED_HOST', 'bridge.local', 'SIP_ADVERTISED_HOST: must be an IPv4 or IPv6 address (got "bridge.local")'],
    ['SIP_REALM', 'my realm', 'SIP_REALM: must be printable ASCII without spaces or quotes (got "my realm")'],
    ['ANSWER_AFTER', '31s', 'ANSWER_AFTER: must be between 0s and 30s (got "31s")'],
    ['RTP_PORT_MIN', '80', 'RTP_PORT_MIN: must be an integer from 1024 to 65535 (got "80")'],
    ['BACKEND_URL', 'localhost:3000', 'BACKEND_URL: must be an http:// or https:// URL (got "localhost:3000")'],
    ['BACKEND_URL', 'ftp://backend', 'BACKEND_URL: must be an http:// or https:// URL (got "ftp://backend")'],
    ['QUEUE_MAX', '0', 'QUEUE_MAX: must be a whole number of calls, at least 1 (got "0")'],
    ['RING_TIMEOUT', 'soon', 'RING_TIMEOUT: must be a duration such as 15s, 500ms or 2m (a bare number is seconds) (got "soon")'],
    ['RING_TIMEOUT', '500ms', 'RING_TIMEOUT: must be between 1s and 300s (got "500ms")'],
    ['SURVEY_TIMEOUT', '10m', 'SURVEY_TIMEOUT: must be between 1s and 120s (got "10m")'],
  ])('rejects %s=%p naming the variable', (name, value, problem) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigValidationError(`Invalid environment configuration:\n  ${problem}`));
  });

  it('rejects an RTP range that holds no even port pair, and SIP_HOST disagreeing with SIP_BIND_HOST', () => {
    expect(() => loadConfig({ RTP_PORT_MIN: '20000', RTP_PORT_MAX: '20001' })).toThrow('RTP_PORT_MAX: must be at least RTP_PORT_MIN + 2 (got 20000-20001)');
    expect(() => loadConfig({ SIP_HOST: '10.0.0.1', SIP_BIND_HOST: '10.0.0.2' })).toThrow(/SIP_HOST: disagrees with SIP_BIND_HOST/);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ SIP_PORT: 'x', BACKEND_URL: 'y' })).toThrow(/SIP_PORT: must be an integer.*\n {2}BACKEND_URL: must be an http/);
  });
});
