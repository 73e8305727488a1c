import { ServiceUnavailableException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { CtiTokenGuard } from './cti-token.guard';

const TOKEN = 'a-long-shared-cti-secret';

function contextWith(headers: Record<string, string>): ExecutionContext {
  const request = { headers };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe('CtiTokenGuard', () => {
  const sut = new CtiTokenGuard(loadConfig({ CTI_TOKEN: TOKEN }));

  it('lets the token through as a bearer token or as X-CTI-Token', () => {
    expect(sut.canActivate(contextWith({ authorization: `Bearer ${TOKEN}` }))).toBe(true);
    expect(sut.canActivate(contextWith({ 'x-cti-token': TOKEN }))).toBe(true);
  });

  it('answers 401 without a token or with a wrong one (also one that shares its prefix)', () => {
    expect(() => sut.canActivate(contextWith({}))).toThrow(new UnauthorizedException('Send the CTI token as "Authorization: Bearer <token>" or "X-CTI-Token: <token>"'));
    expect(() => sut.canActivate(contextWith({ authorization: 'Bearer a-long-shared-cti-secreT' }))).toThrow(UnauthorizedException);
    expect(() => sut.canActivate(contextWith({ 'x-cti-token': `${TOKEN}x` }))).toThrow('The CTI token is wrong');
    expect(() => sut.canActivate(contextWith({ authorization: `Basic ${TOKEN}` }))).toThrow(UnauthorizedException);
  });

  it('answers 503 when CTI_TOKEN is not set, whatever is sent', () => {
    const unconfigured = new CtiTokenGuard(loadConfig({}));
    expect(() => unconfigured.canActivate(contextWith({ authorization: `Bearer ${TOKEN}` }))).toThrow(ServiceUnavailableException);
    expect(() => unconfigured.canActivate(contextWith({}))).toThrow(/CTI is not configured/);
  });

  it('refuses a CTI_TOKEN shorter than 16 characters at start-up', () => {
    expect(() => loadConfig({ CTI_TOKEN: 'short' })).toThrow(/CTI_TOKEN: must be at least 16 characters/);
  });
});
