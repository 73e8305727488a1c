import type { FormRules } from 'element-plus';
import type { RequestType } from '@/api/models';

/** The category form; the code is set once, at creation. */
export interface CategoryForm {
  code: string;
  name: string;
  defaultLeadUnitId: number | null;
  defaultRequestType: RequestType | '';
  sortOrder: number;
  active: boolean;
}

/** As the backend's CATEGORY_CODE_PATTERN. */
export const CATEGORY_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Categories have three levels (大类 › 中类 › 小类); orders carry a level-3 one. */
export const CATEGORY_LEAF_LEVEL = 3;

type Translate = (key: string) => string;

/** The server's limits (CreateCategoryDto / UpdateCategoryDto), checked before sending. */
export function categoryRules(t: Translate): FormRules<CategoryForm> {
  return {
    code: [
      { required: true, message: t('adminCategories.rule.codeRequired'), trigger: 'blur' },
      { max: 32, message: t('adminCategories.rule.codeTooLong'), trigger: 'blur' },
      { pattern: CATEGORY_CODE_PATTERN, message: t('adminCategories.rule.codePattern'), trigger: 'blur' },
    ],
    name: [
      { required: true, whitespace: true, message: t('adminCategories.rule.nameRequired'), trigger: 'blur' },
      { max: 64, message: t('adminCategories.rule.nameTooLong'), trigger: 'blur' },
    ],
    sortOrder: [{ type: 'integer', min: 0, max: 1_000_000, message: t('adminCategories.rule.sortOrder'), trigger: 'blur' }],
  };
}
