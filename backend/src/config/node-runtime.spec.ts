import { judgeNodeRuntime } from './node-runtime';

describe('judgeNodeRuntime', () => {
  it('refuses an end-of-life Node.js (below 22) in production', () => {
    const sut = judgeNodeRuntime('v20.19.0', 'production');
    expect(sut.level).toBe('refuse');
    expect(sut.message).toMatch(/Node.js v20.19.0 is end-of-life.*run Node.js 24 LTS.*Refusing to start/);
    expect(judgeNodeRuntime('v18.20.4', 'production').level).toBe('refuse');
  });

  it('keeps development and tests on Node.js 20 working, with a warning', () => {
    expect(judgeNodeRuntime('v20.19.0', 'development')).toMatchObject({ level: 'warn', message: expect.stringMatching(/end-of-life/) });
    expect(judgeNodeRuntime('v20.19.0', 'test').level).toBe('warn');
  });

  it('warns about Node.js 22 (maintenance) in production and accepts 24 and later', () => {
    expect(judgeNodeRuntime('v22.12.0', 'production')).toMatchObject({ level: 'warn', message: expect.stringMatching(/maintenance/) });
    expect(judgeNodeRuntime('v22.12.0', 'development').level).toBe('ok');
    expect(judgeNodeRuntime('v24.11.1', 'production')).toEqual({ level: 'ok', message: null });
    expect(judgeNodeRuntime('v26.0.0', 'production').level).toBe('ok');
  });

  it('warns when the version cannot be read', () => {
    expect(judgeNodeRuntime('nonsense', 'production').level).toBe('warn');
  });
});
