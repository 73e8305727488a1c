/**
 * The orders bench:reports loads: about BENCH_UNITS units (the demo organisation plus generated bureaus, streets and
 * communities) and orders over twelve months with their whole lifecycle filled in as the statistics read it —
 * dispatched, accepted (some late), first contact, replied (some late, with working minutes late), called back
 * (resolved / unresolved / dissatisfied / unreachable / declined, satisfaction), closed, reopened, extended,
 * supervised, repeats, overdue and unreplied — plus returns (work_order_returns) and shirking flags. Bulk-inserted
 * with mysql2 multi-row INSERTs. Seeded: the same environment gives the same data.
 */
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { seededRandom } from '../../common/seeded-random';
import { DAY, HOUR, int, MINUTE, quote, text, time } from '../../work-orders/bench/order-generator';

const BATCH_ROWS = 2_000;
/** INSERTs in flight at once, each on its own connection (the server builds the indexes of one while we generate the next). */
const IN_FLIGHT = 3;

/** Round-robin over a few connections, at most one statement each in flight. */
class InsertPipeline {
  private next = 0;
  private readonly pending: Promise<unknown>[];

  constructor(private readonly connections: Connection[]) {
    this.pending = connections.map(() => Promise.resolve());
  }

  async submit(statement: string): Promise<void> {
    const slot = this.next;
    this.next = (this.next + 1) % this.connections.length;
    await this.pending[slot];
    this.pending[slot] = this.connections[slot].query(statement);
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
  }
}
const ORDER_COLUMNS = [
  'id', 'number', 'requestType', 'urgency', 'channel', 'status', 'address', 'categoryId', 'title', 'content', 'leadUnitId', 'registeredById',
  'dispatchedAt', 'acceptDueAt', 'replyDueAt', 'acceptedAt', 'acceptLateMinutes', 'firstContactAt', 'contactLateMinutes', 'repliedAt', 'replyLateMinutes',
  'warningLevel', 'calledBackAt', 'resolved', 'satisfaction', 'callbackOutcome', 'closedAt', 'reopenCount', 'extensionApprovedMinutes', 'supervised',
  'repeatOfId', 'returnCount', 'createdAt', 'updatedAt',
] as const;

export interface LoadedData {
  units: number;
  orders: number;
  returns: number;
  flags: number;
}

interface Reference {
  leadUnitIds: number[];
  categoryIds: number[];
  agentId: number;
  dispatcherId: number;
}

/** Adds generated units until there are about `wanted` (bureaus under the center, streets under districts, communities under streets). */
export async function addUnits(sql: Connection, wanted: number, now: number): Promise<number> {
  const [rows] = await sql.query<(RowDataPacket & { id: number; type: string; parentId: number | null })[]>('SELECT id, type, parentId FROM units ORDER BY id');
  const center = rows.find((u) => u.type === 'center');
  const districts = rows.filter((u) => u.type === 'district');
  if (!center || districts.length === 0) throw new Error('the demo organisation is missing');
  const missing = Math.max(0, wanted - rows.length);
  const bureaus = Math.round(missing * 0.1);
  const streets = Math.round(missing * 0.2);
  const communities = missing - bureaus - streets;
  const stamp = time(now);
  const insert = async (values: string[]) => {
    for (let i = 0; i < values.length; i += BATCH_ROWS) {
      await sql.query(`INSERT INTO units (code, name, type, parentId, active, leaderSignOff, createdAt, updatedAt) VALUES ${values.slice(i, i + BATCH_ROWS).join(', ')}`);
    }
  };
  const unit = (code: string, name: string, type: string, parentId: number) => `(${quote(code)}, ${quote(name)}, ${quote(type)}, ${parentId}, 1, 0, ${stamp}, ${stamp})`;
  await insert(Array.from({ length: bureaus }, (_, i) => unit(`bb${i + 1}`, `测试委办局${i + 1}`, 'bureau', center.id)));
  await insert(Array.from({ length: streets }, (_, i) => unit(`bs${i + 1}`, `测试街道${i + 1}`, 'street', districts[i % districts.length].id)));
  const [streetRows] = await sql.query<(RowDataPacket & { id: number })[]>("SELECT id FROM units WHERE type = 'street' ORDER BY id");
  await insert(Array.from({ length: communities }, (_, i) => unit(`bc${i + 1}`, `测试社区${i + 1}`, 'community', streetRows[i % streetRows.length].id)));
  const [[{ n }]] = await sql.query<(RowDataPacket & { n: number })[]>('SELECT COUNT(*) AS n FROM units');
  return Number(n);
}

async function reference(sql: Connection): Promise<Reference> {
  const [units] = await sql.query<(RowDataPacket & { id: number })[]>("SELECT id FROM units WHERE type <> 'center' ORDER BY id");
  const [categories] = await sql.query<(RowDataPacket & { id: number })[]>('SELECT id FROM categories WHERE level = 3 ORDER BY id');
  const [[agent]] = await sql.query<(RowDataPacket & { id: number })[]>("SELECT id FROM users WHERE role = 'agent' ORDER BY id LIMIT 1");
  const [[dispatcher]] = await sql.query<(RowDataPacket & { id: number })[]>("SELECT id FROM users WHERE role = 'dispatcher' ORDER BY id LIMIT 1");
  return { leadUnitIds: units.map((u) => u.id), categoryIds: categories.map((c) => c.id), agentId: agent.id, dispatcherId: dispatcher.id };
}

/**
 * Loads `count` orders dispatched over the `spanDays` days before `now` (evenly, in office-like hours), with returns
 * and flags. `progress` is called after each batch.
 */
export async function loadOrders(sql: Connection, url: string, count: number, now: number, spanDays: number, seed: number, progress: (done: number) => void): Promise<LoadedData> {
  const ref = await reference(sql);
  const connections = await Promise.all(Array.from({ length: IN_FLIGHT }, () => createConnection({ uri: url, timezone: 'Z' })));
  for (const connection of connections) await connection.query('SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0');
  const pipeline = new InsertPipeline(connections);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const minutes = (from: number, to: number) => Math.round(from + random() * (to - from));
  const start = now - spanDays * DAY;
  let orders: string[] = [];
  let returns: string[] = [];
  let flags: string[] = [];
  let returnCount = 0;
  let flagCount = 0;
  const flush = async (force: boolean) => {
    if (orders.length >= BATCH_ROWS || (force && orders.length > 0)) {
      await pipeline.submit(`INSERT INTO work_orders (${ORDER_COLUMNS.join(', ')}) VALUES ${orders.join(', ')}`);
      orders = [];
    }
    if (returns.length >= BATCH_ROWS || (force && returns.length > 0)) {
      await pipeline.submit(`INSERT INTO work_order_returns (workOrderId, unitId, reasonCode, reason, suggestedUnitId, requestedById, requestedAt, decision, decidedAt, decidedById) VALUES ${returns.join(', ')}`);
      returns = [];
    }
    if (flags.length >= BATCH_ROWS || (force && flags.length > 0)) {
      await pipeline.submit(`INSERT INTO shirking_flags (workOrderId, unitId, rule, count, reasons, createdAt, flaggedAt) VALUES ${flags.join(', ')}`);
      flags = [];
    }
  };
  try {
    for (let id = 1; id <= count; id++) {
      // Evenly over the span, at a time of day between 08:00 and 20:00 Beijing time (00:00–12:00 UTC).
      const day = Math.floor(((id - 1) / count) * spanDays);
      const registered = start + day * DAY + minutes(0, 12 * 60) * MINUTE;
      const unitId = pick(ref.leadUnitIds);
      const invalid = chance(0.02);
      const merged = !invalid && chance(0.01);
      const dispatched = invalid ? null : registered + minutes(5, 120) * MINUTE;
      let status = invalid ? 'invalid' : merged ? 'merged' : 'dispatched';
      const acceptDue = dispatched === null ? null : dispatched + 2 * HOUR;
      const replyDue = dispatched === null ? null : dispatched + 5 * DAY;
      let accepted: number | null = null;
      let acceptLate: number | null = null;
      let contacted: number | null = null;
      let contactLate: number | null = null;
      let replied: number | null = null;
      let replyLate: number | null = null;
      let calledBack: number | null = null;
      let resolved: number | null = null;
      let satisfaction: string | null = null;
      let outcome: string | null = null;
      let closed: number | null = null;
      let reopenCount = 0;
      let warning = 'none';
      if (dispatched !== null && !merged) {
        if (chance(0.97) && dispatched + 4 * HOUR < now) {
          const late = chance(0.1);
          accepted = late ? (acceptDue as number) + minutes(5, 600) * MINUTE : dispatched + minutes(2, 110) * MINUTE;
          acceptLate = late ? minutes(5, 600) : null;
          status = 'processing';
          if (chance(0.95)) {
            const contactIsLate = chance(0.06);
            contacted = accepted + minutes(5, 600) * MINUTE;
            contactLate = contactIsLate ? minutes(5, 300) : null;
          }
          const replyAt = dispatched + minutes(12 * 60, 9 * 24 * 60) * MINUTE;
          if (replyAt < now && chance(0.96)) {
            replied = replyAt;
            replyLate = replyAt > (replyDue as number) ? minutes(10, 3_000) : null;
            const needsCallback = chance(0.9);
            const callbackAt = replied + minutes(60, 3 * 24 * 60) * MINUTE;
            if (!needsCallback) {
              status = 'closed';
              outcome = 'not_required';
              closed = replied + DAY;
            } else if (callbackAt >= now) {
              status = 'callback_pending';
            } else {
              const r = random();
              if (r < 0.8) {
                satisfaction = pick(['satisfied', 'satisfied', 'satisfied', 'satisfied', 'satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'basically_satisfied', 'dissatisfied']);
                outcome = satisfaction === 'dissatisfied' ? 'dissatisfied' : 'resolved';
                resolved = 1;
                calledBack = callbackAt;
                status = 'closed';
                closed = callbackAt;
                if (chance(0.03)) reopenCount = 1;
              } else if (r < 0.88) {
                outcome = 'unresolved';
                resolved = 0;
                satisfaction = chance(0.5) ? 'dissatisfied' : 'basically_satisfied';
                calledBack = callbackAt;
                status = 'processing';
                reopenCount = 1;
              } else if (r < 0.95) {
                outcome = 'unreachable';
                status = 'closed';
                closed = callbackAt;
              } else {
                outcome = 'declined';
                status = 'closed';
                closed = callbackAt;
              }
            }
          }
        }
        if (replied === null && (replyDue as number) < now) warning = 'red';
        else if (replied === null && accepted === null && (acceptDue as number) < now) warning = 'red';
      }
      const created = time(registered);
      const updated = time(Math.max(registered, closed ?? calledBack ?? replied ?? contacted ?? accepted ?? dispatched ?? registered));
      orders.push(
        `(${id}, ${quote(`R${String(id).padStart(10, '0')}`)}, ${quote(pick(['complaint', 'report', 'help', 'consultation']))}, 'normal', 'phone', ${quote(status)}, '云川市某路1号', ${pick(ref.categoryIds)}, '测试工单', '统计基准的工单内容', ${
          invalid ? 'NULL' : unitId
        }, ${ref.agentId}, ${time(dispatched)}, ${time(acceptDue)}, ${time(replyDue)}, ${time(accepted)}, ${int(acceptLate)}, ${time(contacted)}, ${int(contactLate)}, ${time(replied)}, ${int(replyLate)}, ${quote(warning)}, ${time(calledBack)}, ${int(
          resolved,
        )}, ${text(satisfaction)}, ${text(outcome)}, ${time(closed)}, ${reopenCount}, ${!invalid && chance(0.04) ? minutes(480, 4_800) : 0}, ${!invalid && chance(0.03) ? 1 : 0}, ${id > 100 && chance(0.05) ? id - minutes(1, 99) : 'NULL'}, 0, ${created}, ${updated})`,
      );
      if (dispatched !== null && !merged && chance(0.04)) {
        const requested = dispatched + minutes(10, 240) * MINUTE;
        const decision = pick(['approved', 'approved', 'rejected', null]);
        returns.push(
          `(${id}, ${pick(ref.leadUnitIds)}, 'needs_other_unit', '不属本单位职责', NULL, ${ref.agentId}, ${time(requested)}, ${text(decision)}, ${decision === null ? 'NULL' : time(requested + HOUR)}, ${decision === null ? 'NULL' : ref.dispatcherId})`,
        );
        returnCount++;
      }
      if (dispatched !== null && !merged && chance(0.01)) {
        flags.push(`(${id}, ${unitId}, ${quote(pick(['returned', 'late-acceptance', 'callback-failed']))}, 1, '{}', ${time(dispatched + DAY)}, ${time(dispatched + DAY)})`);
        flagCount++;
      }
      if (orders.length >= BATCH_ROWS) {
        await flush(false);
        progress(id);
      }
    }
    await flush(true);
    await pipeline.drain();
    progress(count);
  } finally {
    for (const connection of connections) await connection.end();
  }
  return { units: ref.leadUnitIds.length + 1, orders: count, returns: returnCount, flags: flagCount };
}
