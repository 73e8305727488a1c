import type { FormRules } from 'element-plus';
import type { UnitType } from '@/api/models';

/** The unit form. Code and type are set once, at creation (the API does not change them). */
export interface UnitForm {
  code: string;
  name: string;
  type: UnitType | '';
  leaderSignOff: boolean;
  active: boolean;
}

/** As the backend's UNIT_CODE_PATTERN: letters, digits, `_` and `-`, starting with a letter or digit. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

type Translate = (key: string) => string;

/** The server's limits (CreateUnitDto / UpdateUnitDto), checked before sending. */
export function unitRules(t: Translate): FormRules<UnitForm> {
  return {
    code: [
      { required: true, message: t('adminUnits.rule.codeRequired'), trigger: 'blur' },
      { max: 32, message: t('adminUnits.rule.codeTooLong'), trigger: 'blur' },
      { pattern: UNIT_CODE_PATTERN, message: t('adminUnits.rule.codePattern'), trigger: 'blur' },
    ],
    name: [
      { required: true, whitespace: true, message: t('adminUnits.rule.nameRequired'), trigger: 'blur' },
      { max: 100, message: t('adminUnits.rule.nameTooLong'), trigger: 'blur' },
    ],
    type: [{ required: true, message: t('adminUnits.rule.typeRequired'), trigger: 'change' }],
  };
}

/** 领导审签 by default for bureaus and districts, as the backend does when it is not given. */
export function defaultLeaderSignOff(type: UnitType | ''): boolean {
  return type === 'bureau' || type === 'district';
}
