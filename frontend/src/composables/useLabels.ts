import { useI18n } from 'vue-i18n';
import type {
  Channel,
  RequestType,
  Role,
  Satisfaction,
  UnitType,
  Urgency,
  WorkOrderStatus,
} from '@/api/models';

/** Translated names of the API's codes, and dates in the current language. */
export function useLabels() {
  const i18n = useI18n();
  const t = (key: string) => i18n.t(key);
  const te = (key: string) => i18n.te(key);
  const d = (value: Date, format: string) => i18n.d(value, format);

  /** Labels for codes the backend may extend (actions): unknown ones show the raw code. */
  const orCode = (key: string, code: string) => (te(key) ? t(key) : code);

  return {
    status: (value: WorkOrderStatus) => orCode(`workOrder.status.${value}`, value),
    requestType: (value: RequestType) => orCode(`workOrder.requestType.${value}`, value),
    urgency: (value: Urgency) => orCode(`workOrder.urgency.${value}`, value),
    channel: (value: Channel) => orCode(`workOrder.channel.${value}`, value),
    satisfaction: (value: Satisfaction) => orCode(`workOrder.satisfaction.${value}`, value),
    action: (value: string) => orCode(`workOrder.action.${value}`, value),
    role: (value: Role) => orCode(`role.${value}`, value),
    unitType: (value: UnitType) => orCode(`unitType.${value}`, value),
    dateTime: (iso: string | null) => (iso ? d(new Date(iso), 'dateTime') : t('common.none')),
    orNone: (value: string | number | null | undefined) =>
      value === null || value === undefined || value === '' ? t('common.none') : String(value),
  };
}
