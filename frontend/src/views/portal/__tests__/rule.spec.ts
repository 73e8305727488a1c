import type { FormItemRule } from 'element-plus';
import { describe, expect, it } from 'vitest';
import { createPortalRules, isCitizenPhone, photoProblem } from '../submit/rule';
import { createTrackRules } from '../track/useTrackRequest';

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key} ${JSON.stringify(named)}` : key);

/** Runs a custom validator the way the form does and answers its message, or null when it passes. */
function validate(rule: FormItemRule, value: unknown): string | null {
  let result: string | null = null;
  rule.validator?.(rule, value, (error?: string | Error) => {
    result = error ? (error instanceof Error ? error.message : error) : null;
  }, {}, {});
  return result;
}

describe('portal phone numbers', () => {
  it.each(['13812341234', '138 1234 1234', '138-1234-1234', '+86 138 1234 1234', '8613812341234', '010-12345678', '0755 1234 5678', '010-12345678-123'])(
    'accepts %s',
    (phone) => expect(isCitizenPhone(phone)).toBe(true),
  );
  it.each(['12812341234', '1381234123', '138123412345', '+1 415 555 0100', '12345', 'abc', ''])('refuses %s', (phone) => expect(isCitizenPhone(phone)).toBe(false));
});

describe('portal form rules', () => {
  it('requires the type, the content (5 characters or more), the place, the phone and the captcha', () => {
    const rules = createPortalRules(t, { categoryRequired: () => true });
    expect(rules.requestType).toEqual([expect.objectContaining({ required: true, message: 'portal.rules.requestType' })]);
    expect(rules.content).toEqual([expect.objectContaining({ required: true }), expect.objectContaining({ min: 5, message: 'portal.rules.content' })]);
    expect(rules.address).toEqual([expect.objectContaining({ required: true, whitespace: true })]);
    expect(rules.captchaAnswer).toEqual([expect.objectContaining({ required: true })]);
    const [required, format] = rules.citizenPhone as FormItemRule[];
    expect(required).toMatchObject({ required: true });
    expect(validate(format, '12345')).toBe('portal.rules.phoneFormat');
    expect(validate(format, '13812341234')).toBeNull();
    // An empty field is the required rule's to report, once.
    expect(validate(format, '')).toBeNull();
  });

  it('requires a category only when the center has no catch-all category', () => {
    let required = true;
    const [category] = createPortalRules(t, { categoryRequired: () => required }).categoryId as FormItemRule[];
    expect(validate(category, null)).toBe('portal.rules.category');
    expect(validate(category, 12)).toBeNull();
    required = false;
    expect(validate(category, null)).toBeNull();
  });

  it('checks the request number and phone before looking up', () => {
    const rules = createTrackRules(t);
    const [numberRequired, numberPattern] = rules.number as FormItemRule[];
    expect(numberRequired).toMatchObject({ required: true, message: 'portal.track.numberRequired' });
    expect((numberPattern.pattern as RegExp).test('20261202000017')).toBe(true);
    expect((numberPattern.pattern as RegExp).test('2026120200001')).toBe(true);
    expect((numberPattern.pattern as RegExp).test('2026-12-02')).toBe(false);
    const [, phoneFormat] = rules.phone as FormItemRule[];
    expect(validate(phoneFormat, '138')).toBe('portal.rules.phoneFormat');
  });
});

describe('portal photos', () => {
  const limits = { maxPhotos: 3, maxPhotoBytes: 5 * 1024 * 1024, photoTypes: ['image/jpeg', 'image/png', 'image/webp'] };
  const photo = (name: string, type: string, size = 1000) => ({ name, type, size });

  it('takes up to three JPEG, PNG or WebP photos of 5 MB at most', () => {
    expect(photoProblem(photo('a.jpg', 'image/jpeg'), 0, limits, t)).toBeNull();
    expect(photoProblem(photo('b.webp', 'image/webp'), 2, limits, t)).toBeNull();
    expect(photoProblem(photo('c.png', 'image/png'), 3, limits, t)).toBe('portal.rules.photoCount {"max":3}');
    expect(photoProblem(photo('d.gif', 'image/gif'), 0, limits, t)).toBe('portal.rules.photoType {"name":"d.gif"}');
    expect(photoProblem(photo('e.pdf', 'application/pdf'), 0, limits, t)).toBe('portal.rules.photoType {"name":"e.pdf"}');
    expect(photoProblem(photo('f.jpg', 'image/jpeg', 5 * 1024 * 1024 + 1), 0, limits, t)).toBe('portal.rules.photoSize {"name":"f.jpg","size":5}');
  });
});
