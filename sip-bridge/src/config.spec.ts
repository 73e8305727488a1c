import { ConfigValidationError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toEqual({
      sip: { bindHost: '127.0.0.1', port: 5060 },
      backendUrl: 'http://localhost:3000',
    });
  });

  it('reads the variables', () => {
    const sut = loadConfig({ SIP_BIND_HOST: '::', SIP_PORT: '5080', BACKEND_URL: 'https://jiesu.example.cn/api' });

    expect(sut).toEqual({ sip: { bindHost: '::', port: 5080 }, backendUrl: 'https://jiesu.example.cn/api' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SIP_PORT: '', SIP_BIND_HOST: ' ' }).sip).toEqual({ bindHost: '127.0.0.1', port: 5060 });
  });

  it('accepts port 0 (pick a free port)', () => {
    expect(loadConfig({ SIP_PORT: '0' }).sip.port).toBe(0);
  });

  it.each([
    ['SIP_BIND_HOST', 'pbx.example.cn', 'SIP_BIND_HOST: must be an IPv4 or IPv6 address (got "pbx.example.cn")'],
    ['SIP_BIND_HOST', '10.0.0.300', 'SIP_BIND_HOST: must be an IPv4 or IPv6 address (got "10.0.0.300")'],
    ['SIP_PORT', 'abc', 'SIP_PORT: must be an integer from 0 to 65535 (got "abc")'],
    ['SIP_PORT', '65536', 'SIP_PORT: must be an integer from 0 to 65535 (got "65536")'],
    ['SIP_PORT', '5060.5', 'SIP_PORT: must be an integer from 0 to 65535 (got "5060.5")'],
    ['SIP_PORT', '-1', 'SIP_PORT: must be an integer from 0 to 65535 (got "-1")'],
    ['BACKEND_URL', 'localhost:3000', 'BACKEND_URL: must be an http:// or https:// URL (got "localhost:3000")'],
    ['BACKEND_URL', 'ftp://backend', 'BACKEND_URL: must be an http:// or https:// URL (got "ftp://backend")'],
  ])('rejects %s=%p naming the variable', (name, value, problem) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      new ConfigValidationError(`Invalid environment configuration:\n  ${problem}`),
    );
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ SIP_PORT: 'x', BACKEND_URL: 'y' })).toThrow(
      /SIP_PORT: must be an integer.*\n {2}BACKEND_URL: must be an http/,
    );
  });
});
