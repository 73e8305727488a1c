/**
 * The orders the MariaDB benchmarks load (`bench:lists`, `bench:repeat`): the seeded organisation's reference data, a
 * seeded generator of realistic orders (Chinese titles, contents and addresses from word lists, lifecycle states that
 * fit their age) and the bulk load through mysql2 with multi-row INSERTs. The same seed gives the same orders.
 */
import { performance } from 'node:perf_hooks';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { seededRandom } from '../../common/seeded-random';
import { DAILY_SEQUENCE_DIGITS } from '../work-order-numbers';
import type { Channel, RequestType, Urgency, WorkOrderStatus } from '../work-order.enums';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The orders are registered over the two years before now. */
export const SPAN_DAYS = 730;
const BATCH_ROWS = 2_000;
const IN_FLIGHT = 3;

export const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${raw}`);
  return value;
};

/** A word in about one order in 50,000 (a keyword search that finds next to nothing must still read everything today). */
export const RARE_WORD = '古树名木';

// ---------------------------------------------------------------------------------------------------------------
// Reference data of the seeded organisation
// ---------------------------------------------------------------------------------------------------------------

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  type: string;
  parentId: number | null;
}

export interface CategoryRow {
  id: number;
  code: string;
  name: string;
  defaultLeadUnitId: number | null;
  defaultRequestType: RequestType | null;
}

export interface Reference {
  units: UnitRow[];
  unitById: Map<number, UnitRow>;
  /** Bureaus and utilities: the lead units categories name. */
  bureaus: UnitRow[];
  streets: { street: UnitRow; district: UnitRow; communities: UnitRow[] }[];
  categories: CategoryRow[];
  categoryWeights: number[];
  agentIds: number[];
}

export async function loadReference(sql: Connection): Promise<Reference> {
  const [unitRows] = await sql.query<(RowDataPacket & UnitRow)[]>('SELECT id, code, name, type, parentId FROM units ORDER BY id');
  const units: UnitRow[] = unitRows.map((u) => ({ id: u.id, code: u.code, name: u.name, type: u.type, parentId: u.parentId }));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const streets = units
    .filter((u) => u.type === 'street')
    .map((street) => {
      const district = street.parentId === null ? undefined : unitById.get(street.parentId);
      if (!district) throw new Error(`street ${street.code} has no district`);
      return { street, district, communities: units.filter((u) => u.parentId === street.id) };
    });
  const [categoryRows] = await sql.query<(RowDataPacket & CategoryRow)[]>(
    'SELECT id, code, name, defaultLeadUnitId, defaultRequestType FROM categories WHERE level = 3 AND active = 1 ORDER BY code',
  );
  const categories: CategoryRow[] = categoryRows.map((c) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    defaultLeadUnitId: c.defaultLeadUnitId,
    defaultRequestType: c.defaultRequestType,
  }));
  const [agents] = await sql.query<(RowDataPacket & { id: number })[]>("SELECT id FROM users WHERE role = 'agent' ORDER BY id");
  if (streets.length === 0 || categories.length === 0 || agents.length === 0) throw new Error('the demo organisation is missing');
  // A few subjects dominate a hotline (路灯, 噪音, 占道经营 …): Zipf-like weights, the busiest words first.
  const busy = ['C010101', 'C010301', 'C020101', 'C040101', 'C010201', 'C010103', 'C020102', 'C050202'];
  const categoryWeights = categories.map((c, i) => {
    const rank = busy.indexOf(c.code);
    return rank >= 0 ? 12 / (rank + 1) + 2 : 1 / (1 + (i % 5) * 0.3);
  });
  return {
    units,
    unitById,
    bureaus: units.filter((u) => u.type === 'bureau' || u.type === 'utility'),
    streets,
    categories,
    categoryWeights,
    agentIds: agents.map((a) => a.id),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Generated orders
// ---------------------------------------------------------------------------------------------------------------

export const ROADS = ['朝阳路', '解放路', '人民路', '中山路', '建设路', '新华街', '东关大街', '湖滨路', '金桥路', '银杏路', '滨江大道', '白沙路', '青石巷', '柳岸街', '农贸路', '和平路', '文化路', '学府路', '长江路', '黄河路', '光明巷', '幸福里', '花园路', '工业大道', '站前路', '南湖路', '西湖大道', '北环路', '东城大街', '胜利路'];
export const PLACES = ['小区', '花园', '家园', '新村', '公寓', '大厦', '商场', '菜市场', '公交站', '学校', '医院', '公园', '路口', '广场'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
/** Problem phrases by category code (the titles' and contents' core); other categories use their own name. */
const PHRASES: Record<string, string[]> = {
  C010101: ['路灯不亮', '路灯损坏', '路灯白天常亮', '路灯杆倾斜', '一排路灯全部熄灭'],
  C010102: ['道路破损', '路面坑洼', '人行道塌陷', '路面积水'],
  C010103: ['井盖缺失', '井盖破损', '井盖松动有响声', '雨水井盖被盗'],
  C010201: ['房屋漏水', '楼上漏水', '屋顶漏水', '外墙渗水', '水管漏水'],
  C010202: ['物业不作为', '物业费争议', '小区卫生差'],
  C010203: ['电梯故障', '电梯困人', '电梯异响'],
  C010301: ['夜间施工噪音扰民', '工地噪音', '凌晨施工噪音'],
  C010302: ['工地扬尘', '渣土车撒漏'],
  C020101: ['占道经营', '流动摊贩占道经营', '夜市占道经营', '店外占道经营'],
  C020102: ['垃圾未清运', '垃圾桶满溢', '建筑垃圾乱倒'],
  C020103: ['违法建设', '楼顶违建', '私搭乱建'],
  C040101: ['噪音扰民', '广场舞噪音', '商铺音响噪音', '酒吧噪音'],
  C040102: ['油烟污染', '餐馆油烟扰民'],
  C050202: ['违章停车', '车辆占用消防通道'],
  C070101: ['停水', '突然停水无通知', '管道漏水导致停水'],
};
export const DETAILS = ['已持续多日', '影响居民出行', '存在安全隐患', '多次反映未解决', '夜间尤其严重', '老人孩子出行不便', '周边居民意见很大', '附近商户也有反映', '雨天更加明显', '已联系物业未果'];
export const ASKS = ['希望相关部门尽快处理', '请尽快派人查看', '要求给予答复', '希望加强管理', '请相关单位核实处理'];
const REPLIES = ['经核实，已安排人员现场处理完毕。', '已联系相关责任单位整改，问题已解决。', '经现场查看，已纳入维修计划并告知来电人。', '已约谈相关责任人，责令限期整改。'];
const CHANNEL_WEIGHTS: [Channel, number][] = [['phone', 70], ['wechat', 10], ['web', 8], ['app', 5], ['open311', 2], ['partner_hotline', 2], ['email', 1], ['media', 1], ['onsite', 1]];
const URGENCY_WEIGHTS: [Urgency, number][] = [['normal', 90], ['urgent', 9], ['critical', 1]];
const REQUEST_TYPES_ALL: RequestType[] = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'];

/** The order's columns as SQL literals, in COLUMNS order. */
export const COLUMNS = [
  'id', 'number', 'requestType', 'urgency', 'channel', 'status', 'statusBeforeMerge', 'mergedIntoId', 'citizenName', 'citizenPhone',
  'citizenConfidential', 'address', 'districtUnitId', 'streetUnitId', 'categoryId', 'title', 'content', 'leadUnitId', 'registeredById',
  'invalidReason', 'dispatchedAt', 'dispatchDueAt', 'acceptDueAt', 'contactDueAt', 'replyDueAt', 'returnDeadlineAt', 'replyClockStartedAt',
  'acceptLateMinutes', 'replyLateMinutes', 'warningLevel', 'deadlineCheckAt', 'acceptedAt', 'firstContactAt', 'repliedAt', 'reply',
  'calledBackAt', 'resolved', 'satisfaction', 'callbackOutcome', 'closedAt', 'version', 'createdAt', 'updatedAt',
] as const;
const ASSIST_COLUMNS = ['workOrderId', 'unitId', 'orderCreatedAt', 'dueAt', 'reply', 'repliedAt', 'lateMinutes'] as const;

export const quote = (text: string) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const datePrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** A DATETIME(3) literal in UTC (the application's connection zone); the date part cached per day (the load writes millions). */
export const time = (ms: number | null): string => {
  if (ms === null) return 'NULL';
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY);
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 10);
    datePrefixes.set(day, prefix);
  }
  const rest = whole - day * DAY;
  const millis = rest % 1000;
  const seconds = Math.floor(rest / 1000);
  return `'${prefix} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}'`;
};
export const int = (value: number | null) => (value === null ? 'NULL' : String(Math.round(value)));
export const text = (value: string | null) => (value === null ? 'NULL' : quote(value));

/** A street of the organisation with its district and communities: where an order is. */
export type StreetPlace = Reference['streets'][number];

/** What a generated order is about, as registered (the row holds the same values). */
export interface GeneratedFacts {
  id: number;
  createdAt: number;
  category: CategoryRow;
  place: StreetPlace;
  road: string;
  houseNumber: number;
  /** The kind of place after the house number (小区, 菜市场 …), or ''. */
  placeName: string;
  address: string;
  /** The problem in a few words (路灯不亮 …). */
  phrase: string;
  title: string;
  content: string;
  requestType: RequestType;
  phone: string;
  /** The matter (事项) it reports: the id of the matter's first order; its own id unless a Recurrence made it a later report. */
  matterId: number;
}

/**
 * Makes some orders later reports of earlier matters (the same caller again, or other callers about the same place),
 * for a benchmark that needs recurring matters. It draws from its own random numbers: the generator's stay the same.
 */
export interface Recurrence {
  /** The order as generated (a new matter), or reworded as a later report of an earlier one. */
  shape(drawn: GeneratedFacts): GeneratedFacts;
}

export class OrderGenerator {
  private readonly random: () => number;
  private readonly dayKey: Intl.DateTimeFormat;
  private readonly dayCache = new Map<number, string>();
  private readonly categoryCumulative: number[];
  private readonly frequentPhones: string[];

  constructor(
    private readonly ref: Reference,
    private readonly now: number,
    timeZone: string,
    seed: number,
    private readonly recurrence: Recurrence | null = null,
  ) {
    this.random = seededRandom(seed);
    this.dayKey = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    let sum = 0;
    this.categoryCumulative = ref.categoryWeights.map((w) => (sum += w));
    // The same seed each time: the frequent callers are the same people in every phase (and in a reused database).
    const phones = seededRandom(8);
    this.frequentPhones = Array.from({ length: 5_000 }, () => `13${Math.floor(phones() * 1e9).toString().padStart(9, '0')}`);
  }

  /** The caller most often on the line (about one order in 20,000). */
  get frequentPhone(): string {
    return this.frequentPhones[0];
  }

  /** The center's local day YYYYMMDD of an instant (cached by quarter hour). */
  day(ms: number): string {
    const slot = Math.floor(ms / (15 * MINUTE));
    let key = this.dayCache.get(slot);
    if (key === undefined) {
      key = this.dayKey.format(new Date(slot * 15 * MINUTE)).replace(/-/g, '');
      this.dayCache.set(slot, key);
    }
    return key;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private weighted<T>(pairs: [T, number][]): T {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.random() * total;
    for (const [value, weight] of pairs) if ((r -= weight) < 0) return value;
    return pairs[pairs.length - 1][0];
  }

  private category(): CategoryRow {
    const r = this.random() * this.categoryCumulative[this.categoryCumulative.length - 1];
    let lo = 0;
    let hi = this.categoryCumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.categoryCumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.ref.categories[lo];
  }

  /** Per UTC day of the span, how many of `count` orders were registered (weekends quieter, summer busier). */
  dayCounts(count: number): number[] {
    const firstDay = Math.floor(this.now / DAY) - SPAN_DAYS + 1;
    const weights = Array.from({ length: SPAN_DAYS }, (_, i) => {
      const date = new Date((firstDay + i) * DAY);
      const weekday = date.getUTCDay();
      const season = 1 + 0.25 * Math.sin(((date.getUTCMonth() - 3) / 12) * 2 * Math.PI);
      return (weekday === 0 || weekday === 6 ? 0.75 : 1) * season * (0.5 + (0.5 * (i + 1)) / SPAN_DAYS);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map((w) => Math.floor((w / total) * count));
    let rest = count - counts.reduce((a, b) => a + b, 0);
    for (let i = counts.length - 1; rest > 0; i = (i - 1 + counts.length) % counts.length, rest--) counts[i]++;
    return counts;
  }

  /** `count` registration times within the UTC day starting at `dayStart`, sorted, none after now (mostly 8:00–22:00 local). */
  times(dayStart: number, count: number): number[] {
    const end = Math.min(dayStart + DAY, this.now - MINUTE);
    const result: number[] = [];
    for (let i = 0; i < count; i++) {
      // Busy hours: two draws averaged pull times towards 14:00 in China (06:00 UTC); a few at night.
      const r = this.random() < 0.85 ? (this.random() + this.random()) / 2 : this.random();
      const t = dayStart + ((Math.floor(r * DAY) + 18 * HOUR) % DAY);
      result.push(Math.min(t, end - Math.floor(this.random() * HOUR)));
    }
    return result.sort((a, b) => a - b);
  }

  /** One order row (and its assisting-unit rows) as SQL value lists, and what the order is about. */
  row(id: number, number: string, created: number, mergeTarget: number | null): { order: string; assists: string[]; facts: GeneratedFacts } {
    const r = this.random;
    const drawnCategory = this.category();
    const drawnPlace = this.pick(this.ref.streets);
    const drawnRoad = this.pick(ROADS);
    const houseNumber = 1 + Math.floor(r() * 300);
    const placeName = r() < 0.5 ? this.pick(PLACES) : '';
    const drawnAddress = `${areaName(drawnPlace)}${drawnRoad}${houseNumber}号${placeName}`;
    const phrase = this.pick(PHRASES[drawnCategory.code] ?? [`${drawnCategory.name}问题`, `反映${drawnCategory.name}`, `${drawnCategory.name}咨询`]);
    const drawnTitle = r() < 0.6 ? `${drawnRoad}${phrase}` : phrase;
    let drawnContent = `来电人反映：${drawnAddress}${phrase}，${this.pick(DETAILS)}，${this.pick(DETAILS)}。${this.pick(ASKS)}。`;
    if (r() < 0.00002) drawnContent += `另外附近有${RARE_WORD}枝干断裂，请一并查看。`;
    const channel = this.weighted(CHANNEL_WEIGHTS);
    const urgency = this.weighted(URGENCY_WEIGHTS);
    const drawnType: RequestType = r() < 0.8 && drawnCategory.defaultRequestType ? drawnCategory.defaultRequestType : this.pick(REQUEST_TYPES_ALL);
    const drawnPhone = r() < 0.25 ? this.frequentPhones[Math.floor(r() * r() * this.frequentPhones.length)] : `1${3 + Math.floor(r() * 7)}${Math.floor(r() * 1e9).toString().padStart(9, '0')}`;
    const drawn: GeneratedFacts = {
      id,
      createdAt: created,
      category: drawnCategory,
      place: drawnPlace,
      road: drawnRoad,
      houseNumber,
      placeName,
      address: drawnAddress,
      phrase,
      title: drawnTitle,
      content: drawnContent,
      requestType: drawnType,
      phone: drawnPhone,
      matterId: id,
    };
    const facts = this.recurrence ? this.recurrence.shape(drawn) : drawn;
    const { category, place, address, title, content, requestType, phone } = facts;
    const citizenName = r() < 0.9 ? `${this.pick(SURNAMES)}${r() < 0.5 ? '先生' : '女士'}` : null;
    const registeredById = this.pick(this.ref.agentIds);

    // The lifecycle: each step after the last, so the state is what the order reached by now.
    const age = this.now - created;
    let status: WorkOrderStatus;
    let leadUnitId: number | null = null;
    let invalidReason: string | null = null;
    let dispatchedAt: number | null = null;
    let acceptDueAt: number | null = null;
    let contactDueAt: number | null = null;
    let replyDueAt: number | null = null;
    let returnDeadlineAt: number | null = null;
    let acceptedAt: number | null = null;
    let firstContactAt: number | null = null;
    let repliedAt: number | null = null;
    let reply: string | null = null;
    let calledBackAt: number | null = null;
    let closedAt: number | null = null;
    let resolved: number | null = null;
    let satisfaction: string | null = null;
    let callbackOutcome: string | null = null;
    let acceptLate: number | null = null;
    let replyLate: number | null = null;
    let warningLevel = 'none';
    let deadlineCheckAt: number | null = null;
    let version = 1;
    let updated = created;
    let mergedIntoId: number | null = null;
    let statusBeforeMerge: string | null = null;
    const dispatchDueAt = created + HOUR;
    const dispatchDelay = (5 + r() * 55) * MINUTE;
    const fate = r();

    if (fate < 0.03) {
      status = 'invalid';
      invalidReason = this.pick(['test_call', 'prank', 'no_content', 'duplicate_call', 'other']);
      updated = created + 5 * MINUTE;
      version = 2;
    } else if (fate < 0.1) {
      // 直接办结: the agent answered on the call.
      status = 'closed';
      reply = '已按知识库答复来电人，来电人表示清楚。';
      repliedAt = closedAt = updated = created + (3 + Math.floor(r() * 10)) * MINUTE;
      callbackOutcome = 'not_required';
      version = 2;
    } else if (created + dispatchDelay > this.now) {
      status = 'registered'; // waiting for dispatch
    } else {
      const steps = {
        dispatch: created + dispatchDelay,
        accept: 0,
        contact: 0,
        reply: 0,
        review: 0,
        close: 0,
      };
      steps.accept = steps.dispatch + (r() < 0.97 ? 0.2 + r() * 6 : 6 + r() * 72) * HOUR;
      steps.contact = steps.accept + (0.5 + r() * 20) * HOUR;
      steps.reply = steps.accept + (r() < 0.9 ? 0.5 + r() * 6 : 6 + r() * 20) * DAY;
      steps.review = steps.reply + (2 + r() * 40) * HOUR;
      steps.close = steps.review + (4 + r() * 70) * HOUR;
      const lead = r();
      leadUnitId =
        lead < 0.45 && category.defaultLeadUnitId !== null
          ? category.defaultLeadUnitId
          : lead < 0.6
            ? place.district.id
            : lead < 0.9 || place.communities.length === 0
              ? place.street.id
              : this.pick(place.communities).id;
      dispatchedAt = steps.dispatch;
      acceptDueAt = dispatchedAt + 4 * HOUR;
      contactDueAt = dispatchedAt + DAY;
      returnDeadlineAt = dispatchedAt + DAY;
      replyDueAt = dispatchedAt + (urgency === 'normal' ? 7 : urgency === 'urgent' ? 3 : 1) * DAY;
      const stuck = age < 30 * DAY && r() < 0.02; // never accepted: overdue in the unit's inbox
      const now = this.now;
      if (stuck || steps.accept > now) {
        status = 'dispatched';
        version = 2;
        updated = dispatchedAt;
      } else {
        acceptedAt = steps.accept;
        acceptLate = acceptedAt > acceptDueAt ? Math.round((acceptedAt - acceptDueAt) / MINUTE) : null;
        firstContactAt = steps.contact <= now ? steps.contact : null;
        if (steps.reply > now) {
          const side = r();
          status = side < 0.03 ? 'return_requested' : side < 0.05 ? 'suspended' : 'processing';
          version = 3 + (firstContactAt ? 1 : 0);
          updated = firstContactAt ?? acceptedAt;
        } else {
          repliedAt = steps.reply;
          reply = this.pick(REPLIES);
          replyLate = repliedAt > replyDueAt ? Math.round((repliedAt - replyDueAt) / MINUTE) : null;
          const leadType = this.ref.unitById.get(leadUnitId)?.type;
          const unitLed = leadType !== 'bureau' && leadType !== 'utility';
          if (steps.review > now) {
            status = unitLed && r() < 0.3 ? 'unit_review' : 'reply_review';
            version = 5;
            updated = repliedAt;
          } else if (steps.close > now) {
            status = 'callback_pending';
            version = 6;
            updated = steps.review;
          } else {
            const end = r();
            if (end < 0.015 && mergeTarget !== null) {
              status = 'merged';
              mergedIntoId = mergeTarget;
              statusBeforeMerge = 'processing';
              repliedAt = reply = replyLate = null;
              updated = acceptedAt + HOUR;
              version = 4;
            } else if (end < 0.016) {
              status = 'suspended';
              repliedAt = reply = replyLate = null;
              updated = acceptedAt + DAY;
              version = 4;
            } else {
              status = 'closed';
              calledBackAt = closedAt = updated = steps.close;
              const mood = r();
              satisfaction = mood < 0.75 ? 'satisfied' : mood < 0.92 ? 'basically_satisfied' : 'dissatisfied';
              resolved = mood < 0.88 ? 1 : 0;
              callbackOutcome = mood < 0.88 ? 'resolved' : mood < 0.92 ? 'unresolved' : 'dissatisfied';
              version = 7;
            }
          }
        }
      }
      // Running deadlines: red when overdue, yellow with a quarter of the time left; the scheduler looks next then.
      const running = status === 'dispatched' ? acceptDueAt : status === 'processing' || status === 'return_requested' ? replyDueAt : null;
      if (running !== null) {
        const started = dispatchedAt;
        const yellowAt = running - (running - started) / 4;
        warningLevel = now >= running ? 'red' : now >= yellowAt ? 'yellow' : 'none';
        deadlineCheckAt = warningLevel === 'red' ? running + DAY : warningLevel === 'yellow' ? running : yellowAt;
      }
    }

    const order = [
      int(id), quote(number), quote(requestType), quote(urgency), quote(channel), quote(status), text(statusBeforeMerge), int(mergedIntoId),
      text(citizenName), quote(phone), r() < 0.02 ? '1' : '0', quote(address), int(place.district.id), int(place.street.id), int(category.id),
      quote(title), quote(content), int(leadUnitId), int(registeredById), text(invalidReason), time(dispatchedAt), time(dispatchDueAt),
      time(acceptDueAt), time(contactDueAt), time(replyDueAt), time(returnDeadlineAt), time(dispatchedAt), int(acceptLate), int(replyLate),
      quote(warningLevel), time(deadlineCheckAt), time(acceptedAt), time(firstContactAt), time(repliedAt), text(reply), time(calledBackAt),
      resolved === null ? 'NULL' : String(resolved), text(satisfaction), text(callbackOutcome), time(closedAt), String(version), time(created),
      time(Math.min(updated, this.now)),
    ].join(',');

    // 协办: about one dispatched order in ten has assisting units (a bureau, or the street of the address).
    const assists: string[] = [];
    if (leadUnitId !== null && r() < 0.1 && replyDueAt !== null) {
      const helpers = new Set<number>();
      helpers.add(this.pick(this.ref.bureaus).id);
      if (r() < 0.25) helpers.add(place.street.id);
      helpers.delete(leadUnitId);
      for (const unitId of helpers) {
        const dueAt = replyDueAt - DAY;
        const helped = repliedAt !== null ? repliedAt - (2 + r() * 30) * HOUR : null;
        assists.push(
          [int(id), int(unitId), time(created), time(dueAt), text(helped === null ? null : '协办单位已配合现场核查。'), time(helped), int(helped !== null && helped > dueAt ? (helped - dueAt) / MINUTE : null)].join(','),
        );
      }
    }
    return { order, assists, facts };
  }
}

/** The district and street part of an address (东城区朝阳街道). */
export function areaName(place: StreetPlace): string {
  return `${place.district.name.replace('人民政府', '')}${place.street.name.replace(/办事处|人民政府/, '')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk load
// ---------------------------------------------------------------------------------------------------------------

/** Up to IN_FLIGHT multi-row INSERTs at a time, each on a connection of its own. */
class InsertPipeline {
  private readonly idle: Connection[];
  private readonly waiting: (() => void)[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: Error | null = null;

  constructor(connections: Connection[]) {
    this.idle = [...connections];
  }

  async submit(statement: string): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.idle.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const connection = this.idle.pop() as Connection;
    const task = connection
      .query(statement)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => {
        this.running.delete(task);
        this.idle.push(connection);
        this.waiting.shift()?.();
      });
    this.running.add(task);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.running]);
    if (this.failure) throw this.failure;
  }
}

export interface LoadState {
  orders: number;
  maxId: number;
  /** The last number handed out per local day (daily_sequences), continued by every load. */
  sequences: Map<string, number>;
}

export async function readLoadState(sql: Connection): Promise<LoadState> {
  const [[counts]] = await sql.query<(RowDataPacket & { orders: number; maxId: number | null })[]>(
    'SELECT COUNT(*) AS orders, GREATEST(COALESCE(MAX(id), 0), (SELECT COALESCE(MAX(workOrderId), 0) FROM work_order_assisting_units)) AS maxId FROM work_orders',
  );
  // From the numbers themselves, not daily_sequences: a load that failed half-way wrote rows but no sequences.
  const [days] = await sql.query<(RowDataPacket & { day: string; lastValue: number })[]>(
    'SELECT LEFT(number, 8) AS day, MAX(CAST(SUBSTRING(number, 9) AS UNSIGNED)) AS lastValue FROM work_orders GROUP BY LEFT(number, 8)',
  );
  return { orders: Number(counts.orders), maxId: Number(counts.maxId ?? 0), sequences: new Map(days.map((d) => [d.day, Number(d.lastValue)])) };
}

/** An order number: the local day YYYYMMDD and its sequence number. */
export function orderNumber(day: string, sequence: number): string {
  return `${day}${String(sequence).padStart(DAILY_SEQUENCE_DIGITS, '0')}`;
}

/** More rows a benchmark writes for each generated order (an index of its own), sent with the orders' batches. */
export interface RowSink {
  add(facts: GeneratedFacts): void | Promise<void>;
  /** INSERT statements for what was added since the last call. */
  statements(): string[];
}

/** Adds `count` orders spread over the two years before `now`, numbered after what each day already has. */
export async function bulkLoad(url: string, generator: OrderGenerator, state: LoadState, count: number, now: number, sink: RowSink | null = null): Promise<void> {
  const connections = await Promise.all(Array.from({ length: IN_FLIGHT }, () => createConnection({ uri: url, timezone: 'Z' })));
  for (const c of connections) await c.query('SET foreign_key_checks = 0, unique_checks = 0');
  const pipeline = new InsertPipeline(connections);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let orders: string[] = [];
  let assists: string[] = [];
  let done = 0;
  let lastReport = started;
  const flush = async () => {
    if (orders.length > 0) await pipeline.submit(`INSERT INTO work_orders (${COLUMNS.join(',')}) VALUES (${orders.join('),(')})`);
    if (assists.length > 0) await pipeline.submit(`INSERT INTO work_order_assisting_units (${ASSIST_COLUMNS.join(',')}) VALUES (${assists.join('),(')})`);
    for (const statement of sink?.statements() ?? []) await pipeline.submit(statement);
    orders = [];
    assists = [];
  };
  try {
    const counts = generator.dayCounts(count);
    const firstDay = Math.floor(now / DAY) - SPAN_DAYS + 1;
    for (let d = 0; d < SPAN_DAYS; d++) {
      for (const created of generator.times((firstDay + d) * DAY, counts[d])) {
        const day = generator.day(created);
        const sequence = (state.sequences.get(day) ?? 0) + 1;
        state.sequences.set(day, sequence);
        const id = ++state.maxId;
        const mergeTarget = id > 100 ? id - 1 - (id % 50) : null;
        const row = generator.row(id, orderNumber(day, sequence), created, mergeTarget);
        orders.push(row.order);
        assists.push(...row.assists);
        if (sink) await sink.add(row.facts);
        if (orders.length >= BATCH_ROWS) await flush();
        done++;
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          log(`  … ${done.toLocaleString('en')} / ${count.toLocaleString('en')} (${Math.round(done / ((lastReport - started) / 1000)).toLocaleString('en')} rows/s)`);
        }
      }
    }
    await flush();
    await pipeline.drain();
    const entries = [...state.sequences.entries()];
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000).map(([day, last]) => `(${quote(day)},${last})`);
      await connections[0].query(`INSERT INTO daily_sequences (day, lastValue) VALUES ${chunk.join(',')} ON DUPLICATE KEY UPDATE lastValue = VALUES(lastValue)`);
    }
  } finally {
    for (const c of connections) await c.end();
  }
  state.orders += count;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  log(
    `loaded ${count.toLocaleString('en')} orders in ${seconds.toFixed(1)} s: ${Math.round(count / seconds).toLocaleString('en')} rows/s (${state.orders.toLocaleString('en')} in all; generating them took ${((used.user + used.system) / 1e6).toFixed(1)} s of this process's CPU)`,
  );
}


/**
 * A center's database server keeps its working set in memory: BENCH_BUFFER_POOL_MB sets InnoDB's buffer pool for the
 * run (the server's default is 128 MB, a tenth of 1 M orders with their indexes) and the previous size is restored
 * at the end. Unset: the server's own setting is used and printed.
 */
export async function sizeBufferPool(sql: Connection): Promise<(() => Promise<void>) | null> {
  const [[{ size }]] = await sql.query<(RowDataPacket & { size: number | string })[]>('SELECT @@GLOBAL.innodb_buffer_pool_size AS size');
  const wanted = envNumber('BENCH_BUFFER_POOL_MB', 0);
  if (wanted <= 0) {
    log(`InnoDB buffer pool: ${Math.round(Number(size) / 2 ** 20)} MB (the server's setting; BENCH_BUFFER_POOL_MB changes it for the run)`);
    return null;
  }
  await sql.query(`SET GLOBAL innodb_buffer_pool_size = ${Math.round(wanted) * 2 ** 20}`);
  const [[{ now }]] = await sql.query<(RowDataPacket & { now: number | string })[]>('SELECT @@GLOBAL.innodb_buffer_pool_size AS now');
  log(`InnoDB buffer pool: ${Math.round(Number(now) / 2 ** 20)} MB for this run (was ${Math.round(Number(size) / 2 ** 20)} MB)`);
  return async () => {
    await sql.query(`SET GLOBAL innodb_buffer_pool_size = ${Number(size)}`);
  };
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
