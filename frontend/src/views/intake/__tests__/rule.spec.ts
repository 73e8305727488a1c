import { describe, expect, it } from 'vitest';
import { categoryOptions, placesOf, streetsOf } from '../options';
import { createIntakeRules, emptyIntakeForm, isMainlandPhone, normalizePhone, toRegisterRequest, type IntakeForm } from '../rule';
import { categoryTree, unitTree } from './intake-fixtures';

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key}:${JSON.stringify(named)}` : key);

/** Runs the rules of one field as el-form does and answers the first error message, or null. */
async function problem(field: keyof IntakeForm, value: unknown): Promise<string | null> {
  const rules = createIntakeRules(t)[field];
  for (const rule of Array.isArray(rules) ? rules : rules ? [rules] : []) {
    const error = await new Promise<Error | undefined>((resolve) => {
      const result = rule.validator?.(rule, value, (e?: string | Error) => resolve(typeof e === 'string' ? new Error(e) : e), {}, {});
      if (result instanceof Promise) result.then(() => resolve(undefined), resolve);
    });
    if (error) return error.message.split(':')[0];
  }
  return null;
}

describe('mainland phone numbers', () => {
  it.each(['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '008613812345678', '010-87654321', '0571 8765432', '(0571)87654321', '87654321'])(
    'accepts %s',
    (phone) => expect(isMainlandPhone(phone)).toBe(true),
  );

  it.each(['', '12345678901', '1381234567', '138123456789', '+1 415 555 0100', '0001234567', '12345', 'abc13812345678', '13812345678x'])(
    'refuses %s',
    (phone) => expect(isMainlandPhone(phone)).toBe(false),
  );

  it('stores a number without spaces, dashes or the country code, as the caller history searches it', () => {
    expect(normalizePhone(' +86 138-1234-5678 ')).toBe('13812345678');
    expect(normalizePhone('0086 (0571) 8765-4321')).toBe('057187654321');
  });
});

describe('intake form rules', () => {
  it('requires a category, a request type, the address, the title and the content', async () => {
    expect(await problem('categoryId', null)).toBe('intake.rules.categoryRequired');
    expect(await problem('categoryId', 101)).toBeNull();
    expect(await problem('requestType', null)).toBe('intake.rules.requestTypeRequired');
    expect(await problem('requestType', 'report')).toBeNull();
    expect(await problem('address', '   ')).toBe('intake.rules.addressRequired');
    expect(await problem('title', '')).toBe('intake.rules.titleRequired');
    expect(await problem('content', '')).toBe('intake.rules.contentRequired');
  });

  it("mirrors the backend's length limits", async () => {
    expect(await problem('title', 'x'.repeat(200))).toBeNull();
    expect(await problem('title', 'x'.repeat(201))).toBe('intake.rules.titleTooLong');
    expect(await problem('address', 'x'.repeat(256))).toBe('intake.rules.addressTooLong');
    expect(await problem('citizenName', 'x'.repeat(65))).toBe('intake.rules.citizenNameTooLong');
    expect(await problem('content', 'x'.repeat(10001))).toBe('intake.rules.contentTooLong');
  });

  it('lets the phone be empty (an anonymous caller) but not wrong', async () => {
    expect(await problem('citizenPhone', '')).toBeNull();
    expect(await problem('citizenPhone', '13812345678')).toBeNull();
    expect(await problem('citizenPhone', '1381234')).toBe('intake.rules.phoneInvalid');
  });

  it('sends the form trimmed, the phone normalised and empty optional fields left out', () => {
    const form: IntakeForm = {
      ...emptyIntakeForm(),
      categoryId: 101,
      requestType: 'report',
      citizenName: '  ',
      citizenPhone: '+86 138-1234-5678',
      streetUnitId: 41,
      districtUnitId: 31,
      address: ' 朝阳路18号 ',
      title: ' 路灯不亮 ',
      content: ' 已经一周了 ',
    };
    expect(toRegisterRequest(form, ['a1b2'])).toEqual({
      categoryId: 101,
      requestType: 'report',
      urgency: 'normal',
      channel: 'phone',
      citizenPhone: '13812345678',
      citizenConfidential: false,
      districtUnitId: 31,
      streetUnitId: 41,
      address: '朝阳路18号',
      title: '路灯不亮',
      content: '已经一周了',
      attachmentIds: ['a1b2'],
    });
  });
});

describe('pickers', () => {
  it('offers only active level-3 categories, dropping branches without any', () => {
    const options = categoryOptions(categoryTree);
    expect(options.map((o) => o.label)).toEqual(['城乡建设', '公安']);
    const leaves = options[0].children![0].children!;
    expect(leaves.map((o) => o.label)).toEqual(['路灯']);
    expect(leaves[0].children).toBeUndefined();
  });

  it('lists districts and streets, and the streets of one district', () => {
    const places = placesOf(unitTree);
    expect(places.districts.map((d) => d.id)).toEqual([31, 32]);
    expect(places.streets.map((s) => [s.id, s.districtId])).toEqual([
      [41, 31],
      [42, 31],
      [43, 32],
    ]);
    expect(streetsOf(places, 32).map((s) => s.id)).toEqual([43]);
    expect(streetsOf(places, null)).toHaveLength(3);
  });
});
