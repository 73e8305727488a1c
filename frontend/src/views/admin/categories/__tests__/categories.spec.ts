import { describe, expect, it } from 'vitest';
import type { CategoryTreeNode } from '@/api/models';
import { createAppI18n } from '@/locales';
import { CATEGORY_CODE_PATTERN, categoryRules } from '../rule';
import { categoryChange } from '../useCategoryAdmin';

const leaf: CategoryTreeNode = {
  id: 7,
  code: 'C010101',
  name: '路灯',
  level: 3,
  path: '城乡建设/市政设施/路灯',
  defaultLeadUnitId: 2,
  defaultRequestType: 'report',
  active: true,
  children: [],
};

describe('category form', () => {
  const rules = categoryRules((key) => createAppI18n('zh-CN').global.t(key));

  it('checks code, name and sort order as the backend does, with translated messages', () => {
    expect(CATEGORY_CODE_PATTERN.test('C010104')).toBe(true);
    expect(CATEGORY_CODE_PATTERN.test('-C')).toBe(false);
    expect((rules.code as { message: string }[])[0].message).toBe('请输入分类编码');
    expect((rules.name as { max?: number }[])[1].max).toBe(64);
    expect((rules.sortOrder as { max?: number; type?: string }[])[0]).toMatchObject({ type: 'integer', max: 1_000_000 });
  });

  it('sends only what changed; clearing a default sends null', () => {
    const form = { code: leaf.code, name: leaf.name, defaultLeadUnitId: 2, defaultRequestType: 'report' as const, sortOrder: 0, active: true };
    expect(categoryChange(leaf, form)).toEqual({});
    expect(categoryChange(leaf, { ...form, defaultLeadUnitId: null, defaultRequestType: '' })).toEqual({ defaultLeadUnitId: null, defaultRequestType: null });
    expect(categoryChange(leaf, { ...form, name: ' 路灯照明 ', active: false })).toEqual({ name: '路灯照明', active: false });
  });
});
