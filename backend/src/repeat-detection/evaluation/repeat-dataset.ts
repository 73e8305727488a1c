import { readFileSync } from 'node:fs';
import { seededRandom } from '../../common/seeded-random';
import { CHANNELS, REQUEST_TYPES, type Channel, type RequestType } from '../../work-orders/work-order.enums';

/** One order of an evaluation file (the format of ../shared/data/repeat-dev.jsonl). */
export interface DatasetOrder {
  id: string;
  matterId: string;
  createdAt: Date;
  citizenName: string | null;
  citizenPhone: string;
  channel: Channel;
  requestType: RequestType;
  district: string;
  street: string;
  address: string;
  /** The category path, top level first ("城乡建设/市政设施/路灯"). */
  category: string[];
  content: string;
}

function text(row: Record<string, unknown>, field: string, line: number, optional = false): string {
  const value = row[field];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (optional && (value === undefined || value === null || value === '')) return '';
  throw new Error(`Line ${line}: "${field}" must be a non-empty string`);
}

/** Reads and checks an evaluation file: one JSON object per line, sorted by createdAt (a line out of order is an error). */
export function readDataset(path: string): DatasetOrder[] {
  const orders: DatasetOrder[] = [];
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`Line ${line}: not JSON (${(error as Error).message})`);
    }
    const createdAt = new Date(text(row, 'createdAt', line));
    if (Number.isNaN(createdAt.getTime())) throw new Error(`Line ${line}: createdAt is not a date`);
    const channel = text(row, 'channel', line);
    const requestType = text(row, 'requestType', line);
    const category = text(row, 'category', line).split('/').map((part) => part.trim()).filter((part) => part !== '');
    if (category.length === 0) throw new Error(`Line ${line}: category is empty`);
    if (!(REQUEST_TYPES as readonly string[]).includes(requestType)) throw new Error(`Line ${line}: unknown requestType ${requestType}`);
    const order: DatasetOrder = {
      id: text(row, 'id', line),
      matterId: text(row, 'matterId', line),
      createdAt,
      citizenName: text(row, 'citizenName', line, true) || null,
      citizenPhone: text(row, 'citizenPhone', line),
      // A channel this platform does not know (another city's name for it) is registered as a web request.
      channel: (CHANNELS as readonly string[]).includes(channel) ? (channel as Channel) : 'web',
      requestType: requestType as RequestType,
      district: text(row, 'district', line),
      street: text(row, 'street', line),
      address: text(row, 'address', line),
      category,
      content: text(row, 'content', line),
    };
    const previous = orders[orders.length - 1];
    if (previous && previous.createdAt.getTime() > createdAt.getTime()) throw new Error(`Line ${line}: the file must be sorted by createdAt (${order.id} is earlier than ${previous.id})`);
    orders.push(order);
  });
  if (orders.length === 0) throw new Error(`${path} holds no orders`);
  return orders;
}

/** A title as an agent writes one: the content's first clause, at most 30 characters. */
export function titleOf(content: string): string {
  const first = content.split(/[。！？!?；;\n]/)[0].trim() || content.trim();
  return first.length > 30 ? first.slice(0, 30) : first;
}

/** What other callers add when they report a matter already reported (amplify). */
const OTHER_CALLERS_ADD = ['，请尽快处理', '，希望尽快解决', '，已经反映过多次', '', '，请相关部门处理', '，影响很大'];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The file with every matter made busy: `perMatter` more orders each, from other callers (new numbers), each a copy
 * of one of the matter's orders (chosen at random) registered within three days of it, its content ending in a phrase
 * callers add. A matter with hundreds of orders is what a center's busy matters look like (a burst pipe, a
 * building site at night); the development file's matters have 1-10 orders, too few for the detector's limits (the
 * newest ROWS_PER_KEY orders per index key, MAX_COMPARED candidates) to matter. Deterministic (`seed`); sorted by time.
 */
export function amplify(orders: readonly DatasetOrder[], perMatter: number, seed = 7): DatasetOrder[] {
  if (!Number.isSafeInteger(perMatter) || perMatter < 0) throw new RangeError(`perMatter must be a whole number ≥ 0, not ${perMatter}`);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const byMatter = new Map<string, DatasetOrder[]>();
  for (const order of orders) byMatter.set(order.matterId, [...(byMatter.get(order.matterId) ?? []), order]);
  const phones = new Set(orders.map((order) => order.citizenPhone));
  const added: DatasetOrder[] = [];
  for (const members of byMatter.values()) {
    for (let i = 0; i < perMatter; i++) {
      const source = pick(members);
      let phone: string;
      do phone = `139${String(10_000_000 + Math.floor(random() * 90_000_000))}`;
      while (phones.has(phone));
      phones.add(phone);
      added.push({
        ...source,
        id: `A${String(added.length + 1).padStart(6, '0')}`,
        citizenName: null,
        citizenPhone: phone,
        createdAt: new Date(source.createdAt.getTime() + Math.round((random() * 6 - 3) * DAY_MS)),
        content: `${source.content.replace(/。$/, '')}${pick(OTHER_CALLERS_ADD)}。`,
      });
    }
  }
  // Stable: an original keeps its place before a copy registered at the same time.
  return [...orders, ...added].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
