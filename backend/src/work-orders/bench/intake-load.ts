/**
 * The load side of `npm run bench:intake`, run as a child process of the engine under test (intake.bench.ts forks
 * it once per level and mode), so that neither its CPU on the event loop nor its memory counts against the server:
 * - `api`: POST /api/work-orders registrations over keep-alive HTTP at a fixed concurrency;
 * - `raw-mysql`: the same rows (work_orders + the first timeline event, one transaction each) straight through a
 *   mysql2 pool of `concurrency` connections, the reference rate;
 * - `raw-sqlite`: the same through the SQLite file's own connection (better-sqlite3 is synchronous: one writer).
 * The task comes in BENCH_LOAD_TASK (JSON), the result goes back over the IPC channel.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createPool, type ResultSetHeader } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';

export type LoadMode = 'api' | 'raw-mysql' | 'raw-sqlite';

/** The demo organisation's ids the request bodies refer to (read from the database after seeding). */
export interface IntakeReference {
  categories: { id: number; code: string; defaultRequestType: string }[];
  districts: { id: number; name: string; streets: { id: number; name: string }[] }[];
  agent: { id: number; displayName: string; role: string; unitId: number; unitName: string };
}

export interface LoadTask {
  mode: LoadMode;
  concurrency: number;
  seconds: number;
  /** Stop after this many rows even before `seconds` (0: no limit). */
  maxCount: number;
  /** Index of the first body, so that levels do not repeat each other's rows; raw rows are numbered from it. */
  offset: number;
  reference: IntakeReference;
  port?: number;
  token?: string;
  /** `raw-mysql`: the scratch database's URL; `raw-sqlite`: the SQLite file. */
  database?: string;
}

export interface LoadResult {
  done: number;
  elapsedMs: number;
  /** Milliseconds per registration that answered 201 (api) or committed (raw). */
  latencies: number[];
  /** status (or error name) → count of failures, e.g. { "500": 3 } */
  errors: Record<string, number>;
  /** The first failure's answer, to say what went wrong. */
  firstError: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Realistic registrations: leaves of the demo category tree, a district and one of its streets, Chinese text.

const TEMPLATES: Record<string, (place: string, n: number) => { title: string; content: string }> = {
  C010101: (p, n) => ({ title: `${p}路灯不亮`, content: `市民反映${p}${n}号附近路段路灯已连续${2 + (n % 6)}晚不亮，夜间行人和电动车通行存在安全隐患，请求尽快维修。` }),
  C010102: (p, n) => ({ title: `${p}人行道破损`, content: `${p}${n}号门口人行道砖块松动破损约${1 + (n % 4)}平方米，雨天积水，老人已摔倒过，请求尽快修复并设置警示。` }),
  C010201: (p, n) => ({ title: `${p}${n % 30}栋顶楼漏水`, content: `来电人称其家住${p}${n % 30}栋顶楼，楼顶防水层老化，一下雨卧室天花板就漏水，墙皮大片脱落，请求帮助协调维修。` }),
  C010203: (p, n) => ({ title: `${p}电梯经常故障`, content: `${p}${n % 20}栋电梯一个月内坏了${2 + (n % 4)}次，上周还有人被困，物业每次只是简单修理，请求监管部门检查。` }),
  C010301: (p, n) => ({ title: `${p}工地夜间施工扰民`, content: `${p}在建工地连续多日夜间${22 + (n % 2)}点后仍在施工，混凝土泵车噪音很大，附近居民无法休息，请求查处。` }),
  C020101: (p, n) => ({ title: `${p}占道经营`, content: `每天早上${p}${n}号农贸市场门口摆满了流动摊贩，占用机动车道，早高峰严重拥堵，希望城管部门加强管理。` }),
  C020102: (p, n) => ({ title: `${p}垃圾多日未清运`, content: `${p}垃圾站的垃圾已经${2 + (n % 4)}天没有清运，气味很大，蚊蝇滋生，请尽快清运。` }),
  C030102: (p, n) => ({ title: '健身房闭店预付卡无法退费', content: `市民在${p}${n}号一家健身房办理了年卡${2000 + (n % 30) * 100}元，现在健身房突然关门，老板联系不上，要求协助退费。` }),
  C040101: (p, n) => ({ title: `${p}广场舞音响声音过大`, content: `每晚${p}广场跳广场舞的音响音量很大，持续到晚上${9 + (n % 2)}点半，附近居民无法休息。` }),
  C050202: (p, n) => ({ title: `${p}消防通道长期违停`, content: `${p}${n}号小区正门口常年有车辆违停，堵塞消防通道，救护车曾因此无法进入，请求交警部门加强管理。` }),
  C060101: (p, n) => ({ title: '装修公司拖欠农民工工资', content: `来电人在${p}一家装修公司做工${2 + (n % 5)}个月，公司拖欠工资共计${1 + (n % 9)}.${n % 10}万元，多次讨要无果，请求劳动监察部门介入。` }),
  C070101: (p, n) => ({ title: `${p}突然停水`, content: `${p}从今天早上${6 + (n % 4)}点开始停水，没有收到任何停水通知，小区有老人和婴儿，生活非常不便，请问何时恢复供水。` }),
  C070201: (p, n) => ({ title: `${p}频繁停电`, content: `${p}近一个月频繁停电${3 + (n % 5)}次，每次持续一两个小时，冷库和商户损失较大，希望供电公司排查线路。` }),
  C080101: (p) => ({ title: '咨询居住证办理材料', content: `来电人在${p}租房居住，没有房产证，房东只能提供租赁合同，咨询能否办理居住证以及需要哪些材料。` }),
};
const ROADS = ['朝阳路', '东关大街', '西湖路', '金桥路', '滨江路', '银杏街', '湖滨街', '青石路', '解放路', '人民路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const CHANNELS = ['phone', 'phone', 'phone', 'phone', 'phone', 'wechat', 'web', 'app'];
const PREFIXES = ['138', '139', '150', '152', '158', '177', '180', '186', '189', '135'];

export interface IntakeRow {
  body: {
    channel: string;
    urgency: 'normal' | 'urgent';
    citizenName: string;
    citizenPhone: string;
    citizenConfidential: boolean;
    address: string;
    districtUnitId: number;
    streetUnitId: number;
    categoryId: number;
    title: string;
    content: string;
  };
  requestType: string;
}

/**
 * BENCH_MASS_EVENT=1: every registration is a different caller about one matter — one street's water cut, the
 * hotline's busiest hours (thousands of callers about one thing, each joining one hotspot).
 */
const MASS_EVENT = process.env.BENCH_MASS_EVENT === '1';

/** The n-th registration: deterministic, so that every run and both sides (API and raw) write the same rows. */
export function intakeRow(reference: IntakeReference, n: number): IntakeRow {
  const categories = reference.categories.filter((c) => TEMPLATES[c.code] && (!MASS_EVENT || c.code === 'C070101'));
  const category = categories[n % categories.length];
  const district = reference.districts[MASS_EVENT ? 0 : (n >> 1) % reference.districts.length];
  const street = district.streets[MASS_EVENT ? 0 : (n >> 3) % district.streets.length];
  const place = `${street.name.replace(/(办事处|人民政府)$/, '')}${ROADS[MASS_EVENT ? 0 : (n >> 2) % ROADS.length]}`;
  const text = TEMPLATES[category.code](place, 1 + (n % 97));
  const digits = String(10_000_000 + ((n * 7_919) % 90_000_000)).padStart(8, '0');
  const phone = `${PREFIXES[n % PREFIXES.length]}${digits}`;
  return {
    body: {
      channel: CHANNELS[n % CHANNELS.length],
      urgency: n % 11 === 0 ? 'urgent' : 'normal',
      citizenName: `${SURNAMES[n % SURNAMES.length]}${n % 2 === 0 ? '先生' : '女士'}`,
      // Agents type numbers as they hear them: some with dashes, which the API strips.
      citizenPhone: n % 5 === 0 ? `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` : phone,
      citizenConfidential: n % 23 === 0,
      address: `${place}${1 + (n % 188)}号`,
      districtUnitId: district.id,
      streetUnitId: street.id,
      categoryId: category.id,
      title: text.title,
      content: text.content,
    },
    requestType: category.defaultRequestType,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The three ways of writing them.

/** Runs `worker` in `concurrency` loops until the time is up or `maxCount` rows are done. */
async function drive(task: LoadTask, worker: (n: number) => Promise<string | null>): Promise<LoadResult> {
  const result: LoadResult = { done: 0, elapsedMs: 0, latencies: [], errors: {}, firstError: null };
  const started = performance.now();
  const endAt = started + task.seconds * 1000;
  let next = 0;
  const loop = async () => {
    while (performance.now() < endAt && (task.maxCount === 0 || next < task.maxCount)) {
      const n = task.offset + next++;
      const before = performance.now();
      let failure: string | null;
      try {
        failure = await worker(n);
      } catch (error) {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (failure === null) {
        result.latencies.push(performance.now() - before);
        result.done++;
      } else {
        const key = failure.split(':')[0];
        result.errors[key] = (result.errors[key] ?? 0) + 1;
        result.firstError ??= failure.slice(0, 500);
      }
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, loop));
  result.elapsedMs = performance.now() - started;
  return result;
}

async function runApi(task: LoadTask): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.concurrency });
  const post = (payload: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: task.port,
          path: '/api/work-orders',
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${task.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  try {
    return await drive(task, async (n) => {
      const answer = await post(JSON.stringify(intakeRow(task.reference, n).body));
      return answer.status === 201 ? null : `${answer.status}: ${answer.body}`;
    });
  } finally {
    agent.destroy();
  }
}

const ORDER_COLUMNS =
  'number, requestType, urgency, channel, status, dispatchDueAt, deadlineCheckAt, citizenName, citizenPhone, citizenConfidential, address, districtUnitId, streetUnitId, latitude, longitude, categoryId, title, content, registeredById, createdAt, updatedAt';
const EVENT_COLUMNS = 'workOrderId, action, fromStatus, toStatus, actorId, actorName, actorRole, unitId, unitName, reason, payload, createdAt';
const placeholders = (columns: string) => columns.split(',').map(() => '?').join(', ');
const INSERT_ORDER = `INSERT INTO work_orders (${ORDER_COLUMNS}) VALUES (${placeholders(ORDER_COLUMNS)})`;
const INSERT_EVENT = `INSERT INTO work_order_events (${EVENT_COLUMNS}) VALUES (${placeholders(EVENT_COLUMNS)})`;

/** Raw rows are numbered R + 15 digits, so that the number check of the API's orders leaves them out. */
export const RAW_NUMBER_PREFIX = 'R';

/** The parameters of both INSERTs, as the API writes them; `time` turns a Date into what the engine stores. */
function rawParameters<T>(task: LoadTask, n: number, time: (at: Date) => T) {
  const { body, requestType } = intakeRow(task.reference, n);
  const now = new Date();
  const dispatchDueAt = new Date(now.getTime() + 2 * 3_600_000);
  const order = [
    `${RAW_NUMBER_PREFIX}${String(n).padStart(15, '0')}`, requestType, body.urgency, body.channel, 'registered', time(dispatchDueAt), time(now),
    body.citizenName, body.citizenPhone.replace(/[ -]/g, ''), body.citizenConfidential ? 1 : 0, body.address, body.districtUnitId, body.streetUnitId,
    null, null, body.categoryId, body.title, body.content, task.reference.agent.id, time(now), time(now),
  ];
  const { agent } = task.reference;
  const payload = JSON.stringify({ channel: body.channel, requestType, categoryId: body.categoryId, dispatchDueAt: dispatchDueAt.toISOString() });
  const event = (orderId: number) => [orderId, 'register', null, 'registered', agent.id, agent.displayName, agent.role, agent.unitId, agent.unitName, null, payload, time(now)];
  return { order, event };
}

async function runRawMysql(task: LoadTask): Promise<LoadResult> {
  const pool = createPool({ uri: task.database, connectionLimit: task.concurrency, timezone: 'Z', charset: 'utf8mb4_unicode_ci' });
  try {
    return await drive(task, async (n) => {
      const { order, event } = rawParameters(task, n, (at) => at);
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const [inserted] = await connection.query<ResultSetHeader>(INSERT_ORDER, order);
        await connection.query(INSERT_EVENT, event(inserted.insertId));
        await connection.commit();
        return null;
      } catch (error) {
        await connection.rollback();
        throw error;
      } finally {
        connection.release();
      }
    });
  } finally {
    await pool.end();
  }
}

/** The part of better-sqlite3's Database this uses (the package ships no types; TypeORM's driver holds it as `any`). */
interface SqliteDatabase {
  prepare(sql: string): { run(...parameters: unknown[]): { lastInsertRowid: number | bigint } };
  transaction(work: () => void): () => void;
}

async function runRawSqlite(task: LoadTask): Promise<LoadResult> {
  const dataSource = new DataSource({ type: 'better-sqlite3', database: task.database ?? '', timeout: 10_000 });
  await dataSource.initialize();
  try {
    const database = (dataSource.driver as BetterSqlite3Driver).databaseConnection as SqliteDatabase;
    const insertOrder = database.prepare(INSERT_ORDER);
    const insertEvent = database.prepare(INSERT_EVENT);
    // How TypeORM stores a datetime(3) on SQLite: UTC text 'YYYY-MM-DD HH:MM:SS.SSS'.
    const time = (at: Date) => at.toISOString().slice(0, 23).replace('T', ' ');
    // A synchronous driver has one writer: the rows go one transaction after another whatever the concurrency.
    return await drive({ ...task, concurrency: 1 }, (n) => {
      const { order, event } = rawParameters(task, n, time);
      database.transaction(() => {
        const { lastInsertRowid } = insertOrder.run(...order);
        insertEvent.run(...event(Number(lastInsertRowid)));
      })();
      return Promise.resolve(null);
    });
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const task = JSON.parse(process.env.BENCH_LOAD_TASK ?? 'null') as LoadTask | null;
  if (!task || !process.send) throw new Error('intake-load runs as a child of intake.bench (BENCH_LOAD_TASK and an IPC channel)');
  const run = { api: runApi, 'raw-mysql': runRawMysql, 'raw-sqlite': runRawSqlite }[task.mode];
  const result = await run(task);
  await new Promise<void>((resolve, reject) => process.send?.(result, (error: Error | null) => (error ? reject(error) : resolve())));
  process.exit();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
