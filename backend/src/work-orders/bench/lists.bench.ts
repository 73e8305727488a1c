/**
 * `npm run bench:lists`: the work-order lists of issue 8 on MariaDB/MySQL at 1,000,000 (and 5,000,000) orders.
 *
 * 1. Creates a scratch database on BENCH_MYSQL_URL or TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test), migrates
 *    it, seeds the demo organisation (no orders), then bulk-loads orders with multi-row INSERTs through mysql2: spread
 *    over two years, across the demo units, categories, request types, channels and lifecycle states (most closed),
 *    deadlines that fit the state, Chinese titles/contents/addresses from word lists, some citizens calling often.
 * 2. Starts the real application on it and measures through HTTP with real tokens: every list case, detail and accept,
 *    sequentially (p50/p95/max); then the list mix with 5 concurrent list users while one intake loop registers orders,
 *    beside the intake loop alone (the intake ratio). A non-2xx answer counts as an error and is printed.
 * 3. Drops the scratch database, unless BENCH_KEEP=1 (then its name is printed; BENCH_DATABASE=<name> reuses it and
 *    loads only the rows a size still lacks).
 *
 * Environment: BENCH_SIZES=1000000,5000000 (or BENCH_ORDERS=1000000; each size is loaded on top of the previous),
 * BENCH_RUNS (20: measured runs per case), BENCH_CASE_SECONDS (60: a case stops after this, with at least 3 runs),
 * BENCH_CONCURRENT_SECONDS (60; each user also runs the whole list mix at least once), BENCH_THINK_MS (1000: a list user's
 * pause between lists; 0 = back to back), BENCH_LOAD_ONLY=1 (load and keep, measure nothing), BENCH_INTAKE_SECONDS (20), BENCH_BUFFER_POOL_MB (InnoDB buffer pool for the
 * run; unset = the server's), BENCH_KEEP, BENCH_DATABASE. See docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { type Connection, createConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { createApp } from '../../app.factory';
import { loadConfig } from '../../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../../database/cli/mysql-scratch';
import { DemoDataService } from '../../demo-data/demo-data.service';
import { DEMO_PASSWORD, unitUsername } from '../../demo-data/demo-organisation';
import { DAILY_SEQUENCE_DIGITS } from '../work-order-numbers';
import { encodeListCursor } from '../list/list-plan';
import type { Channel, RequestType, Urgency, WorkOrderStatus } from '../work-order.enums';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPAN_DAYS = 730;
const BATCH_ROWS = 2_000;
const IN_FLIGHT = 3;
const LIST_USERS = 5;

const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${raw}`);
  return value;
};

const SIZES = (process.env.BENCH_SIZES ?? String(envNumber('BENCH_ORDERS', 1_000_000)))
  .split(/[\s,]+/)
  .filter((s) => s !== '')
  .map((s) => Number(s.replace(/_/g, '')));
const RUNS = envNumber('BENCH_RUNS', 20);
const CASE_SECONDS = envNumber('BENCH_CASE_SECONDS', 60);
const CONCURRENT_SECONDS = envNumber('BENCH_CONCURRENT_SECONDS', 60);
const INTAKE_SECONDS = envNumber('BENCH_INTAKE_SECONDS', 20);
const THINK_MS = envNumber('BENCH_THINK_MS', 1_000);
/** Load (and keep) the orders without measuring: a later run with BENCH_DATABASE measures on a quiet machine. */
const LOAD_ONLY = process.env.BENCH_LOAD_ONLY === '1';
/** A word in about one order in 50,000 (a keyword search that finds next to nothing must still read everything today). */
const RARE_WORD = '古树名木';
const COMMON_WORD = '路灯';

// ---------------------------------------------------------------------------------------------------------------
// Reference data of the seeded organisation
// ---------------------------------------------------------------------------------------------------------------

interface UnitRow {
  id: number;
  code: string;
  name: string;
  type: string;
  parentId: number | null;
}

interface CategoryRow {
  id: number;
  code: string;
  name: string;
  defaultLeadUnitId: number | null;
  defaultRequestType: RequestType | null;
}

interface Reference {
  units: UnitRow[];
  unitById: Map<number, UnitRow>;
  /** Bureaus and utilities: the lead units categories name. */
  bureaus: UnitRow[];
  streets: { street: UnitRow; district: UnitRow; communities: UnitRow[] }[];
  categories: CategoryRow[];
  categoryWeights: number[];
  agentIds: number[];
}

async function loadReference(sql: Connection): Promise<Reference> {
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

/** mulberry32: a seeded generator, so every run loads the same orders. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROADS = ['朝阳路', '解放路', '人民路', '中山路', '建设路', '新华街', '东关大街', '湖滨路', '金桥路', '银杏路', '滨江大道', '白沙路', '青石巷', '柳岸街', '农贸路', '和平路', '文化路', '学府路', '长江路', '黄河路', '光明巷', '幸福里', '花园路', '工业大道', '站前路', '南湖路', '西湖大道', '北环路', '东城大街', '胜利路'];
const PLACES = ['小区', '花园', '家园', '新村', '公寓', '大厦', '商场', '菜市场', '公交站', '学校', '医院', '公园', '路口', '广场'];
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
const DETAILS = ['已持续多日', '影响居民出行', '存在安全隐患', '多次反映未解决', '夜间尤其严重', '老人孩子出行不便', '周边居民意见很大', '附近商户也有反映', '雨天更加明显', '已联系物业未果'];
const ASKS = ['希望相关部门尽快处理', '请尽快派人查看', '要求给予答复', '希望加强管理', '请相关单位核实处理'];
const REPLIES = ['经核实，已安排人员现场处理完毕。', '已联系相关责任单位整改，问题已解决。', '经现场查看，已纳入维修计划并告知来电人。', '已约谈相关责任人，责令限期整改。'];
const CHANNEL_WEIGHTS: [Channel, number][] = [['phone', 70], ['wechat', 10], ['web', 8], ['app', 5], ['open311', 2], ['partner_hotline', 2], ['email', 1], ['media', 1], ['onsite', 1]];
const URGENCY_WEIGHTS: [Urgency, number][] = [['normal', 90], ['urgent', 9], ['critical', 1]];
const REQUEST_TYPES_ALL: RequestType[] = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'];

/** The order's columns as SQL literals, in COLUMNS order. */
const COLUMNS = [
  'id', 'number', 'requestType', 'urgency', 'channel', 'status', 'statusBeforeMerge', 'mergedIntoId', 'citizenName', 'citizenPhone',
  'citizenConfidential', 'address', 'districtUnitId', 'streetUnitId', 'categoryId', 'title', 'content', 'leadUnitId', 'registeredById',
  'invalidReason', 'dispatchedAt', 'dispatchDueAt', 'acceptDueAt', 'contactDueAt', 'replyDueAt', 'returnDeadlineAt', 'replyClockStartedAt',
  'acceptLateMinutes', 'replyLateMinutes', 'warningLevel', 'deadlineCheckAt', 'acceptedAt', 'firstContactAt', 'repliedAt', 'reply',
  'calledBackAt', 'resolved', 'satisfaction', 'callbackOutcome', 'closedAt', 'version', 'createdAt', 'updatedAt',
] as const;
const ASSIST_COLUMNS = ['workOrderId', 'unitId', 'dueAt', 'reply', 'repliedAt', 'lateMinutes'] as const;

const quote = (text: string) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const datePrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** A DATETIME(3) literal in UTC (the application's connection zone); the date part cached per day (the load writes millions). */
const time = (ms: number | null): string => {
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
const int = (value: number | null) => (value === null ? 'NULL' : String(Math.round(value)));
const text = (value: string | null) => (value === null ? 'NULL' : quote(value));

class OrderGenerator {
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

  /** One order row (and its assisting-unit rows) as SQL value lists. */
  row(id: number, number: string, created: number, mergeTarget: number | null): { order: string; assists: string[] } {
    const r = this.random;
    const category = this.category();
    const place = this.pick(this.ref.streets);
    const road = this.pick(ROADS);
    const address = `${place.district.name.replace('人民政府', '')}${place.street.name.replace(/办事处|人民政府/, '')}${road}${1 + Math.floor(r() * 300)}号${r() < 0.5 ? this.pick(PLACES) : ''}`;
    const phrase = this.pick(PHRASES[category.code] ?? [`${category.name}问题`, `反映${category.name}`, `${category.name}咨询`]);
    const title = r() < 0.6 ? `${road}${phrase}` : phrase;
    let content = `来电人反映：${address}${phrase}，${this.pick(DETAILS)}，${this.pick(DETAILS)}。${this.pick(ASKS)}。`;
    if (r() < 0.00002) content += `另外附近有${RARE_WORD}枝干断裂，请一并查看。`;
    const channel = this.weighted(CHANNEL_WEIGHTS);
    const urgency = this.weighted(URGENCY_WEIGHTS);
    const requestType: RequestType = r() < 0.8 && category.defaultRequestType ? category.defaultRequestType : this.pick(REQUEST_TYPES_ALL);
    const phone = r() < 0.25 ? this.frequentPhones[Math.floor(r() * r() * this.frequentPhones.length)] : `1${3 + Math.floor(r() * 7)}${Math.floor(r() * 1e9).toString().padStart(9, '0')}`;
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
          [int(id), int(unitId), time(dueAt), text(helped === null ? null : '协办单位已配合现场核查。'), time(helped), int(helped !== null && helped > dueAt ? (helped - dueAt) / MINUTE : null)].join(','),
        );
      }
    }
    return { order, assists };
  }
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

interface LoadState {
  orders: number;
  maxId: number;
  /** The last number handed out per local day (daily_sequences), continued by every load. */
  sequences: Map<string, number>;
}

async function readLoadState(sql: Connection): Promise<LoadState> {
  const [[counts]] = await sql.query<(RowDataPacket & { orders: number; maxId: number | null })[]>(
    'SELECT COUNT(*) AS orders, GREATEST(COALESCE(MAX(id), 0), (SELECT COALESCE(MAX(workOrderId), 0) FROM work_order_assisting_units)) AS maxId FROM work_orders',
  );
  // From the numbers themselves, not daily_sequences: a load that failed half-way wrote rows but no sequences.
  const [days] = await sql.query<(RowDataPacket & { day: string; lastValue: number })[]>(
    'SELECT LEFT(number, 8) AS day, MAX(CAST(SUBSTRING(number, 9) AS UNSIGNED)) AS lastValue FROM work_orders GROUP BY LEFT(number, 8)',
  );
  return { orders: Number(counts.orders), maxId: Number(counts.maxId ?? 0), sequences: new Map(days.map((d) => [d.day, Number(d.lastValue)])) };
}

/** Adds `count` orders spread over the two years before `now`, numbered after what each day already has. */
async function bulkLoad(url: string, generator: OrderGenerator, state: LoadState, count: number, now: number): Promise<void> {
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
        const row = generator.row(id, `${day}${String(sequence).padStart(DAILY_SEQUENCE_DIGITS, '0')}`, created, mergeTarget);
        orders.push(row.order);
        assists.push(...row.assists);
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

// ---------------------------------------------------------------------------------------------------------------
// Measurement through HTTP
// ---------------------------------------------------------------------------------------------------------------

interface Sample {
  ms: number;
  ok: boolean;
}

interface CaseResult {
  name: string;
  sequential: Sample[];
  concurrent: Sample[];
  errors: string[];
}

interface Http {
  request(method: 'GET' | 'POST', username: string, path: string, body?: object): Promise<{ status: number; body: unknown; ms: number }>;
}

function httpClient(base: string): Http {
  const tokens = new Map<string, Promise<string>>();
  const login = (username: string) => {
    let token = tokens.get(username);
    if (!token) {
      token = fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      }).then(async (response) => {
        const body = (await response.json()) as { accessToken?: string };
        if (response.status !== 200 || !body.accessToken) throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(body)}`);
        return body.accessToken;
      });
      tokens.set(username, token);
    }
    return token;
  };
  return {
    async request(method, username, path, body) {
      const token = await login(username);
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const raw = await response.text();
      const ms = performance.now() - started;
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, ms };
    },
  };
}

interface BenchCase {
  name: string;
  /** Part of the list mix the concurrent users run. */
  list: boolean;
  run(http: Http, run: number): Promise<{ status: number; body: unknown; ms: number }>;
}

interface Fixtures {
  street: UnitRow;
  bureau: UnitRow;
  district: UnitRow;
  phone: string;
  detailIds: number[];
  /** Dispatched orders still waiting for acceptance, with the handler of their lead unit. */
  toAccept: { id: number; version: number; username: string }[];
  intake: { categoryId: number; districtUnitId: number; streetUnitId: number };
  /** nextCursor as page 5,000 (20 a page) of the default list would hand it out: after the 100,000th newest order. */
  deepCursor: string;
}

async function fixtures(sql: Connection, ref: Reference, phone: string): Promise<Fixtures> {
  const byCode = (code: string) => {
    const unit = ref.units.find((u) => u.code === code);
    if (!unit) throw new Error(`demo unit ${code} is missing`);
    return unit;
  };
  const street = byCode('dc_cy');
  const district = byCode('dc');
  const bureau = byCode('cgj');
  const [[{ maxId }]] = await sql.query<(RowDataPacket & { maxId: number | null })[]>('SELECT MAX(id) AS maxId FROM work_orders');
  const [ids] = await sql.query<(RowDataPacket & { id: number })[]>('SELECT id FROM work_orders WHERE id >= ? ORDER BY id LIMIT 200', [
    Math.floor((maxId ?? 0) * 0.37),
  ]);
  const [waiting] = await sql.query<(RowDataPacket & { id: number; version: number; leadUnitId: number })[]>(
    "SELECT id, version, leadUnitId FROM work_orders WHERE status = 'dispatched' AND leadUnitId IS NOT NULL ORDER BY id DESC LIMIT 500",
  );
  const toAccept = waiting.map((w) => {
    const unit = ref.unitById.get(w.leadUnitId);
    if (!unit) throw new Error(`order ${w.id} is led by an unknown unit`);
    return { id: w.id, version: w.version, username: unitUsername(unit.code, 'handler') };
  });
  const category = ref.categories.find((c) => c.code === 'C010101') ?? ref.categories[0];
  const [[deep]] = await sql.query<(RowDataPacket & { id: number; createdAt: Date })[]>(
    'SELECT id, createdAt FROM work_orders ORDER BY createdAt DESC, id DESC LIMIT 1 OFFSET 99999',
  );
  return {
    deepCursor: encodeListCursor({ key: 'createdAt.DESC', segment: 0, value: deep.createdAt.getTime(), id: deep.id }),
    street,
    bureau,
    district,
    phone,
    detailIds: ids.map((r) => r.id),
    toAccept,
    intake: { categoryId: category.id, districtUnitId: district.id, streetUnitId: street.id },
  };
}

function benchCases(f: Fixtures, now: number): BenchCase[] {
  const list = (name: string, username: string, query: string): BenchCase => ({
    name,
    list: true,
    run: (http) => http.request('GET', username, `/api/work-orders${query}`),
  });
  const from = new Date(now - 60 * DAY).toISOString();
  const to = new Date(now - 30 * DAY).toISOString();
  let nextAccept = 0;
  const streetHandler = unitUsername(f.street.code, 'handler');
  return [
    list('admin: default list', 'admin', ''),
    list(`street handler (${f.street.code}): own list`, unitUsername(f.street.code, 'handler'), ''),
    list(`bureau handler (${f.bureau.code}): own list`, unitUsername(f.bureau.code, 'handler'), ''),
    list('status=processing', 'admin', '?status=processing'),
    list(`leadUnitId=${f.district.code} (7-unit subtree)`, 'admin', `?leadUnitId=${f.district.id}`),
    list('createdFrom/createdTo (30 days)', 'admin', `?createdFrom=${encodeURIComponent(from)}&createdTo=${encodeURIComponent(to)}`),
    list('citizenPhone (a frequent caller)', 'admin', `?citizenPhone=${f.phone}`),
    list(`keyword=${COMMON_WORD} (common, newest first)`, 'admin', `?keyword=${encodeURIComponent(COMMON_WORD)}`),
    list(`keyword=${COMMON_WORD} (common) sortBy=relevance`, 'admin', `?keyword=${encodeURIComponent(COMMON_WORD)}&sortBy=relevance`),
    list(`keyword=${RARE_WORD} (rare)`, 'admin', `?keyword=${encodeURIComponent(RARE_WORD)}`),
    list(`street handler: keyword=${COMMON_WORD}`, streetHandler, `?keyword=${encodeURIComponent(COMMON_WORD)}`),
    list('sortBy=replyDueAt ASC', 'admin', '?sortBy=replyDueAt&sortOrder=ASC'),
    list('sortBy=acceptDueAt ASC', 'admin', '?sortBy=acceptDueAt&sortOrder=ASC'),
    list('sortBy=updatedAt DESC', 'admin', '?sortBy=updatedAt&sortOrder=DESC'),
    list('street handler: processing by acceptDueAt', streetHandler, '?status=processing&sortBy=acceptDueAt&sortOrder=ASC'),
    list('bureau handler: sortBy=replyDueAt ASC', unitUsername(f.bureau.code, 'handler'), '?sortBy=replyDueAt&sortOrder=ASC'),
    list('cursor page 5,000 deep (after 100,000 orders)', 'admin', `?pageSize=20&cursor=${f.deepCursor}`),
    {
      name: 'GET /:id (detail)',
      list: false,
      run: (http, i) => http.request('GET', 'admin', `/api/work-orders/${f.detailIds[i % f.detailIds.length]}`),
    },
    {
      name: 'POST /:id/accept (dispatched order)',
      list: false,
      run: async (http) => {
        const order = f.toAccept[nextAccept++];
        if (!order) return { status: 0, body: 'no dispatched order left to accept', ms: 0 };
        return http.request('POST', order.username, `/api/work-orders/${order.id}/accept`, { version: order.version });
      },
    },
  ];
}

const isOk = (status: number) => status >= 200 && status < 300;
const describe = (status: number, body: unknown) => `${status} ${(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300)}`;

async function sequential(http: Http, cases: BenchCase[], results: Map<string, CaseResult>): Promise<void> {
  for (const c of cases) {
    const result = results.get(c.name) as CaseResult;
    const warm = await c.run(http, RUNS + 1); // not counted: fills caches and the statement cache
    if (!isOk(warm.status)) result.errors.push(`warm-up: ${describe(warm.status, warm.body)}`);
    const started = performance.now();
    for (let i = 0; i < RUNS; i++) {
      if (i >= 3 && performance.now() - started > CASE_SECONDS * 1000) break;
      const answer = await c.run(http, i);
      const ok = isOk(answer.status);
      result.sequential.push({ ms: answer.ms, ok });
      if (!ok) result.errors.push(`run ${i + 1}: ${describe(answer.status, answer.body)}`);
    }
    log(`  ${c.name}: ${summary(result.sequential)}`);
  }
}

/** Registers orders one after the other until `stop()` is true; returns how many (and the errors). */
async function intakeLoop(http: Http, f: Fixtures, stop: () => boolean, errors: string[]): Promise<{ count: number; seconds: number; samples: Sample[] }> {
  const started = performance.now();
  const samples: Sample[] = [];
  let count = 0;
  for (let i = 0; !stop(); i++) {
    const answer = await http.request('POST', 'agent1', '/api/work-orders', {
      channel: 'phone',
      citizenName: '王先生',
      citizenPhone: `139${String(10_000_000 + i).slice(-8)}`,
      address: `东城区朝阳街道朝阳路${(i % 300) + 1}号`,
      districtUnitId: f.intake.districtUnitId,
      streetUnitId: f.intake.streetUnitId,
      categoryId: f.intake.categoryId,
      title: `朝阳路${COMMON_WORD}不亮`,
      content: `来电人反映：朝阳路${(i % 300) + 1}号附近${COMMON_WORD}不亮，已持续多日，存在安全隐患。希望相关部门尽快处理。`,
    });
    const ok = isOk(answer.status);
    samples.push({ ms: answer.ms, ok });
    if (ok) count++;
    else if (errors.length < 20) errors.push(describe(answer.status, answer.body));
  }
  return { count, seconds: (performance.now() - started) / 1000, samples };
}

interface IntakeFigures {
  aloneRate: number;
  aloneSamples: Sample[];
  underLoadRate: number;
  underLoadSamples: Sample[];
  errors: string[];
}

async function concurrentPhase(http: Http, cases: BenchCase[], f: Fixtures, results: Map<string, CaseResult>): Promise<IntakeFigures> {
  const errors: string[] = [];
  const deadline = () => performance.now() > aloneEnd;
  const aloneEnd = performance.now() + INTAKE_SECONDS * 1000;
  const alone = await intakeLoop(http, f, deadline, errors);
  log(`  intake alone: ${(alone.count / alone.seconds).toFixed(1)} registrations/s (${summary(alone.samples)})`);

  // Each user runs the list mix (from a different case) for CONCURRENT_SECONDS and at least once through; the
  // intake loop registers until the last user is done.
  const lists = cases.filter((c) => c.list);
  const end = performance.now() + CONCURRENT_SECONDS * 1000;
  let usersLeft = LIST_USERS;
  const users = Array.from({ length: LIST_USERS }, async (_, user) => {
    for (let i = 0; i < lists.length || performance.now() < end; i++) {
      const c = lists[(user * 3 + i) % lists.length];
      const result = results.get(c.name) as CaseResult;
      const answer = await c.run(http, i);
      const ok = isOk(answer.status);
      result.concurrent.push({ ms: answer.ms, ok });
      if (!ok) result.errors.push(`concurrent: ${describe(answer.status, answer.body)}`);
      // A person reads the list before refreshing it (BENCH_THINK_MS=0: back to back, as fast as the server answers).
      if (THINK_MS > 0) await new Promise((resolve) => setTimeout(resolve, THINK_MS));
    }
    usersLeft--;
  });
  const underLoad = await intakeLoop(http, f, () => usersLeft === 0, errors);
  await Promise.all(users);
  log(`  intake with ${LIST_USERS} list users: ${(underLoad.count / underLoad.seconds).toFixed(1)} registrations/s (${summary(underLoad.samples)})`);
  return {
    aloneRate: alone.count / alone.seconds,
    aloneSamples: alone.samples,
    underLoadRate: underLoad.count / underLoad.seconds,
    underLoadSamples: underLoad.samples,
    errors,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function stats(samples: Sample[]): { n: number; p50: string; p95: string; max: string; errors: number } {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const f = (v: number | undefined) => (v === undefined ? '–' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
  return { n: samples.length, p50: f(percentile(sorted, 50)), p95: f(percentile(sorted, 95)), max: f(sorted[sorted.length - 1]), errors: samples.filter((s) => !s.ok).length };
}

function summary(samples: Sample[]): string {
  const s = stats(samples);
  return `n=${s.n} p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms${s.errors ? `, ${s.errors} errors` : ''}`;
}

interface SizeReport {
  size: number;
  results: CaseResult[];
  intake: IntakeFigures;
}

function table(reports: SizeReport[], database: string): string {
  const lines = [
    `| orders | case | seq n | seq p50 ms | seq p95 ms | seq max ms | ${LIST_USERS} users n | ${LIST_USERS} users p50 ms | ${LIST_USERS} users p95 ms | ${LIST_USERS} users max ms | errors |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const report of reports) {
    const size = report.size.toLocaleString('en');
    for (const r of report.results) {
      const s = stats(r.sequential);
      const c = stats(r.concurrent);
      const concurrent = r.concurrent.length ? `${c.n} | ${c.p50} | ${c.p95} | ${c.max}` : '– | – | – | –';
      lines.push(`| ${size} | ${r.name} | ${s.n} | ${s.p50} | ${s.p95} | ${s.max} | ${concurrent} | ${r.errors.length} |`);
    }
    const alone = stats(report.intake.aloneSamples);
    const loaded = stats(report.intake.underLoadSamples);
    lines.push(`| ${size} | intake alone (registrations/s: ${report.intake.aloneRate.toFixed(1)}) | ${alone.n} | ${alone.p50} | ${alone.p95} | ${alone.max} | – | – | – | – | ${alone.errors} |`);
    lines.push(
      `| ${size} | intake with ${LIST_USERS} list users (registrations/s: ${report.intake.underLoadRate.toFixed(1)}; ratio ${(report.intake.underLoadRate / report.intake.aloneRate).toFixed(2)}×) | – | – | – | – | ${loaded.n} | ${loaded.p50} | ${loaded.p95} | ${loaded.max} | ${loaded.errors} |`,
    );
  }
  return `${lines.join('\n')}\n\ndatabase: ${database}; runs per case ≤ ${RUNS} (≤ ${CASE_SECONDS} s each, at least ${Math.min(3, RUNS)}), ${LIST_USERS} list users for ≥ ${CONCURRENT_SECONDS} s and ≥ one round of the list mix each, ${THINK_MS} ms between a user's lists, intake alone ${INTAKE_SECONDS} s`;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const server = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  if (SIZES.length === 0 || SIZES.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`BENCH_SIZES must be whole numbers, e.g. 1000000,5000000`);
  process.env.ESCALATION_TICK_SECONDS = '0'; // the deadline tick has its own bench; here it would only add noise
  const reused = process.env.BENCH_DATABASE?.trim();
  let scratch: { name: string; url: string };
  if (reused) {
    const url = new URL(server.replace(/^mariadb:/, 'mysql:'));
    url.pathname = `/${reused}`;
    scratch = { name: reused, url: url.toString() };
  } else {
    scratch = await createScratchMysqlDatabase(server, 'jiesu_bench_lists');
  }
  const keep = Boolean(reused) || process.env.BENCH_KEEP === '1';
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-bench-'));
  const sql = await createConnection({ uri: scratch.url, timezone: 'Z' });
  let app: INestApplication | null = null;
  let restoreBufferPool: (() => Promise<void>) | null = null;
  const reports: SizeReport[] = [];
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      ATTACHMENTS_DIR: join(directory, 'attachments'),
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'never',
      CONSOLE_DIR: join(directory, 'no-console'),
      DATA_DIR: join(directory, 'data'),
      RATE_LIMIT_LOGIN_PER_USERNAME: '1000000',
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      RATE_LIMIT_API_PER_USER: '1000000',
    });
    log(`database ${scratch.name} on ${new URL(server).host}${reused ? ' (reused)' : ''}`);
    restoreBufferPool = await sizeBufferPool(sql);
    const ref = await (async () => {
      // Migrations and the demo organisation come from the real application (then it stops: the load bypasses it).
      const seeding = await createApp(config);
      seeding.useLogger(['error', 'warn']);
      await seeding.init();
      await seeding.get(DemoDataService).seedIfEmpty({ workOrders: false });
      await seeding.close();
      return loadReference(sql);
    })();
    let state = await readLoadState(sql);
    const now = Date.now();
    const generator = new OrderGenerator(ref, now, config.centerTimeZone, 20261202 + state.orders);

    for (const size of SIZES) {
      state = await readLoadState(sql); // the previous size's intake added orders
      if (size > state.orders) {
        await bulkLoad(scratch.url, generator, state, size - state.orders, now);
        const analyzed = performance.now();
        await sql.query('ANALYZE TABLE work_orders, work_order_assisting_units');
        log(`ANALYZE TABLE in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);
        await fillSearchIndex(sql);
      } else {
        log(`${state.orders.toLocaleString('en')} orders already loaded (≥ ${size.toLocaleString('en')}): no load`);
      }
      if (LOAD_ONLY) {
        log(`BENCH_LOAD_ONLY: ${size.toLocaleString('en')} loaded, not measured`);
        continue;
      }
      app = await createApp(config);
      app.useLogger(['error', 'warn']);
      const startedApp = performance.now();
      await app.listen(0, '127.0.0.1');
      log(`application started in ${((performance.now() - startedApp) / 1000).toFixed(1)} s`);
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const http = httpClient(`http://127.0.0.1:${port}`);
      const f = await fixtures(sql, ref, generator.frequentPhone);
      const cases = benchCases(f, now);
      const results = new Map<string, CaseResult>(cases.map((c) => [c.name, { name: c.name, sequential: [], concurrent: [], errors: [] }]));

      // Numbered pages stop after the first 2,000 orders; deeper pages follow the cursor (timed as a case).
      const deep = await http.request('GET', 'admin', '/api/work-orders?page=5000&pageSize=20');
      log(`page=5000: ${describe(deep.status, deep.body)} (${deep.ms.toFixed(0)} ms)`);

      log(`sequential (${state.orders.toLocaleString('en')} orders):`);
      await sequential(http, cases, results);
      log(`${LIST_USERS} concurrent list users and one intake loop:`);
      const intake = await concurrentPhase(http, cases, f, results);
      for (const r of results.values()) {
        if (r.errors.length === 0) continue;
        log(`errors of ${r.name} (${r.errors.length}):`);
        for (const e of r.errors.slice(0, 5)) log(`  ${e}`);
      }
      for (const e of intake.errors.slice(0, 5)) log(`intake error: ${e}`);
      reports.push({ size: state.orders, results: [...results.values()], intake });
      await app.close();
      app = null;
    }
    log('');
    log(table(reports, scratch.name));
  } finally {
    if (app) await app.close();
    await restoreBufferPool?.();
    await sql.end();
    rmSync(directory, { recursive: true, force: true });
    if (keep) log(`kept database ${scratch.name}: BENCH_DATABASE=${scratch.name} reuses it`);
    else await dropMysqlDatabase(server, scratch.name);
  }
}

/**
 * A center's database server keeps its working set in memory: BENCH_BUFFER_POOL_MB sets InnoDB's buffer pool for the
 * run (the server's default is 128 MB, a tenth of 1 M orders with their indexes) and the previous size is restored
 * at the end. Unset: the server's own setting is used and printed.
 */
async function sizeBufferPool(sql: Connection): Promise<(() => Promise<void>) | null> {
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

/**
 * The bulk load bypasses the application, so the full-text index is filled here the way the search migration fills it
 * for existing orders (the Mroonga table: title, and number, address and content as the body). Mroonga updates its
 * index row by row on a table that already has rows — about 90 rows/s here once a million were in — so the index is
 * switched off for the load and built in one pass afterwards (DISABLE KEYS / ENABLE KEYS), as on the first, empty fill.
 */
async function fillSearchIndex(sql: Connection): Promise<void> {
  const started = performance.now();
  const [[{ maxId }]] = await sql.query<(RowDataPacket & { maxId: number | null })[]>('SELECT MAX(id) AS maxId FROM work_orders');
  const [[{ indexed }]] = await sql.query<(RowDataPacket & { indexed: number | null })[]>('SELECT MAX(id) AS indexed FROM work_order_search');
  let rows = 0;
  await sql.query('ALTER TABLE work_order_search DISABLE KEYS');
  try {
    for (let from = indexed ?? 0; from < (maxId ?? 0); from += 50_000) {
      const [result] = await sql.query<ResultSetHeader>(
        'INSERT INTO work_order_search (id, title, body) SELECT id, title, CONCAT_WS(CHAR(10), number, address, content) FROM work_orders WHERE id > ? AND id <= ?',
        [from, from + 50_000],
      );
      rows += result.affectedRows;
    }
  } finally {
    await sql.query('ALTER TABLE work_order_search ENABLE KEYS');
  }
  const seconds = (performance.now() - started) / 1000;
  log(`search index: ${rows.toLocaleString('en')} orders added in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')}/s, index built once at the end)`);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
