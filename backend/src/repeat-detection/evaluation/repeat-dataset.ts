import { readFileSync } from 'node:fs';
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
