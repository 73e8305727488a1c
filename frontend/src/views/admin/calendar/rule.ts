import type { FormRules } from 'element-plus';
import type { DayKind } from '@/api/models';

/** The override form; empty strings are sent as null (the server refuses blank texts). */
export interface OverrideForm {
  date: string;
  kind: DayKind | '';
  name: string;
  note: string;
}

type Translate = (key: string) => string;

/** The server's limits (CreateOverrideDto), checked before sending. */
export function overrideRules(t: Translate): FormRules<OverrideForm> {
  return {
    date: [{ required: true, message: t('calendar.dateRequired'), trigger: 'change' }],
    kind: [{ required: true, message: t('calendar.kindRequired'), trigger: 'change' }],
    name: [{ max: 64, message: t('calendar.nameTooLong'), trigger: 'blur' }],
    note: [{ max: 500, message: t('calendar.noteTooLong'), trigger: 'blur' }],
  };
}
