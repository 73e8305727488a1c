import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/api-error';
import { createAppI18n, type AppLocale } from '@/locales';
import { describeError } from '../error-message';

function translator(locale: AppLocale) {
  const { t, te } = createAppI18n(locale).global;
  return { t: (key: string, named: Record<string, unknown>) => t(key, named), te: (key: string) => te(key), locale };
}

const serverError = (message: string, statusCode: number, code: string | null, details: Record<string, unknown> | null = null, correlationId: string | null = null) =>
  new ApiError(message, { kind: 'server', statusCode, code, details, correlationId });

describe('describeError', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it('translates by the backend’s code on a Chinese page, never showing its English message', () => {
    const stale = serverError('Work order 20261201000001 was changed by someone else (version 4, you sent 3): reload it and try again', 409, 'VERSION_CONFLICT');
    expect(describeError(stale, zh)).toBe('该工单已被他人更新，请刷新后重试');
    expect(describeError(serverError('Cannot dispatch a closed order', 409, 'ACTION_NOT_ALLOWED'), zh)).toBe('工单当前状态不允许此操作，请刷新后查看');
    expect(describeError(serverError('Wrong username or password', 401, 'INVALID_CREDENTIALS'), zh)).toBe('用户名或密码错误');
  });

  it('names the invalid fields of a validation failure in the page’s language', () => {
    const invalid = serverError('title must be shorter…; citizenPhone must…', 400, 'VALIDATION_FAILED', {
      fields: [
        { field: 'title', constraints: ['maxLength'] },
        { field: 'citizenPhone', constraints: ['matches'] },
        { field: 'somethingNew', constraints: ['isInt'] },
      ],
    });
    expect(describeError(invalid, zh)).toBe('以下内容填写有误：标题、来电号码、somethingNew');
  });

  it('falls back to the status when the code has no message of its own', () => {
    expect(describeError(serverError('Work order 7 does not exist', 404, 'NOT_FOUND'), zh)).toBe('要找的记录不存在或您无权查看');
    expect(describeError(serverError('x', 418, 'TEAPOT'), zh)).toBe('请求失败（HTTP 418）');
    expect(describeError(serverError('x', 422, null), zh)).toBe('当前情况下不能执行此操作');
  });

  it('shows the server’s own, more specific message in English', () => {
    expect(describeError(serverError('Work order 7 does not exist', 404, 'NOT_FOUND'), en)).toBe('Work order 7 does not exist');
  });

  it('adds the correlation id to server faults and explains network failures', () => {
    expect(describeError(serverError('boom', 500, 'INTERNAL_ERROR', null, 'abc-123'), zh)).toBe('服务器出错，请稍后重试（错误编号：abc-123）');
    expect(describeError(new ApiError('Network Error', { kind: 'network', statusCode: 0 }), zh)).toBe('网络连接失败，请检查网络后重试');
    expect(describeError(new Error('?'), zh)).toBe('发生未知错误，请稍后重试');
  });
});
