import type { ShirkingRule } from '../../shirking/shirking.enums';
import type { UnitType } from '../../units/unit-type';
import { STATUS_NAMES, type Channel, type RequestType, type WorkOrderStatus } from '../../work-orders/work-order.enums';

/**
 * The Chinese words the exports (Excel, the bulletin PDF) print for the codes of the reports. The same words as the
 * console's zh-CN locale (frontend/src/locales/zh-CN.ts); an unknown code is printed as it is.
 */
export const UNIT_TYPE_LABELS: Record<UnitType, string> = {
  center: '热线中心',
  district: '区',
  bureau: '委办局',
  street: '街镇',
  community: '村居',
  grid: '网格',
  utility: '公共服务企业',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: '电话',
  web: '网站',
  wechat: '微信',
  app: 'APP',
  email: '邮件',
  open311: 'Open311',
  partner_hotline: '联动热线',
  media: '媒体',
  onsite: '现场',
};

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

export const STATUS_LABELS: Record<WorkOrderStatus, string> = STATUS_NAMES;

/** 推诿扯皮 rules (docs/shirking.md). */
export const SHIRKING_RULE_LABELS: Record<ShirkingRule, string> = {
  returned: '多次退单',
  bounced: '来回推诿',
  'late-acceptance': '超时签收',
  'reply-rejected': '答复被退回',
  'callback-failed': '回访未解决/不满意',
  reopened: '重办',
  'repeat-after-resolved': '办结后重复投诉',
};

/** The label of a code, or the code itself when the table has none (a value added later prints as it is). */
export function labelOf<Code extends string>(labels: Record<Code, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return (labels as Record<string, string>)[code] ?? code;
}
