// A benchmark's helper: the lists benchmark's generator is reused, not copied.
import { areaName, ASKS, type CategoryRow, DAY, DETAILS, type GeneratedFacts, type Recurrence, ROADS, type StreetPlace } from '../../work-orders/bench/order-generator';
import { seededRandom } from '../../common/seeded-random';
import type { RequestType } from '../../work-orders/work-order.enums';

/** A matter (事项) later orders can report again: what its first order said, and who called about it. */
interface Matter {
  id: number;
  firstAt: number;
  category: CategoryRow;
  place: StreetPlace;
  road: string;
  houseNumber: number;
  placeName: string;
  phrase: string;
  requestType: RequestType;
  phones: string[];
}

export interface RecurrenceOptions {
  /** The share of orders that report an earlier matter again. */
  share: number;
  /** Of those, the share from a caller who reported it before (重复件); the others are other callers (多人反映). */
  sameCaller: number;
  /** The share of new matters that are chronic (老大难): half the later reports are about one of them. */
  chronic: number;
  repeatWindowDays: number;
  hotspotWindowDays: number;
}

export const DEFAULT_RECURRENCE: RecurrenceOptions = { share: 0.3, sameCaller: 0.45, chronic: 0.05, repeatWindowDays: 90, hotspotWindowDays: 30 };

/** A stored order that began a matter, as the database has it (for a run on a database loaded before). */
export interface StoredMatter {
  id: number;
  createdAt: number;
  category: CategoryRow;
  place: StreetPlace;
  title: string;
  address: string;
  requestType: RequestType;
  phone: string;
}

/** At most this many earlier callers are remembered per matter (the repeat caller is one of them). */
const PHONES_PER_MATTER = 6;

/**
 * Recurring matters for `bench:repeat`: about a third of the orders report an earlier matter of the last weeks again —
 * its caller again, or another caller about the same place and problem — in other words than the first report
 * (另一种说法: "再次反映 … 至今仍未解决", a shorter or longer address, other details), and a few chronic matters draw
 * many reports. Orders arrive in time order within one load; `reset()` forgets the matters before the next load (which
 * spreads its orders over the same two years again). Memory is bounded by the orders of one window.
 */
export class MatterRecurrence implements Recurrence {
  private readonly random: () => number;
  private matters: Matter[] = [];
  private chronic: Matter[] = [];
  /** While frozen, new matters are not remembered (orders that are measured, not stored). */
  frozen = false;
  /** Orders made later reports of an earlier matter, by whether the caller called about it before. */
  readonly counts = { repeats: 0, hotspots: 0, newMatters: 0 };

  constructor(
    seed: number,
    private readonly options: RecurrenceOptions = DEFAULT_RECURRENCE,
  ) {
    this.random = seededRandom(seed);
  }

  reset(): void {
    this.matters = [];
    this.chronic = [];
  }

  /**
   * Remembers matters of orders loaded by an earlier run (oldest first), read back from their address and title as
   * the generator wrote them (area + road + number 号 + place; title = road + problem, or the problem).
   */
  prime(stored: readonly StoredMatter[]): void {
    for (const order of stored) {
      const road = ROADS.find((name) => order.address.includes(name));
      const number = /(\d+)号(.*)$/.exec(order.address);
      if (!road || !number) continue;
      const phrase = order.title.startsWith(road) ? order.title.slice(road.length) : order.title;
      const matter: Matter = {
        id: order.id,
        firstAt: order.createdAt,
        category: order.category,
        place: order.place,
        road,
        houseNumber: Number(number[1]),
        placeName: number[2],
        phrase,
        requestType: order.requestType,
        phones: [order.phone],
      };
      this.matters.push(matter);
      if (this.random() < this.options.chronic) this.chronic.push(matter);
    }
  }

  get remembered(): number {
    return this.matters.length;
  }

  shape(drawn: GeneratedFacts): GeneratedFacts {
    const r = this.random;
    const longest = Math.max(this.options.repeatWindowDays, this.options.hotspotWindowDays) * DAY;
    this.matters = forgetBefore(this.matters, drawn.createdAt - longest);
    this.chronic = forgetBefore(this.chronic, drawn.createdAt - longest);
    if (r() < this.options.share) {
      const sameCaller = r() < this.options.sameCaller;
      const since = drawn.createdAt - (sameCaller ? this.options.repeatWindowDays : this.options.hotspotWindowDays) * DAY;
      const matter = this.pickSince(r() < 0.5 && this.chronic.length > 0 ? this.chronic : this.matters, since);
      if (matter) return this.reportAgain(drawn, matter, sameCaller);
    }
    if (!this.frozen) {
      const matter: Matter = {
        id: drawn.id,
        firstAt: drawn.createdAt,
        category: drawn.category,
        place: drawn.place,
        road: drawn.road,
        houseNumber: drawn.houseNumber,
        placeName: drawn.placeName,
        phrase: drawn.phrase,
        requestType: drawn.requestType,
        phones: [drawn.phone],
      };
      this.matters.push(matter);
      if (r() < this.options.chronic) this.chronic.push(matter);
    }
    this.counts.newMatters++;
    return drawn;
  }

  /** One of the matters first reported at or after `since`, the recent ones more often. */
  private pickSince(matters: Matter[], since: number): Matter | null {
    let lo = 0;
    let hi = matters.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (matters[mid].firstAt < since) lo = mid + 1;
      else hi = mid;
    }
    const eligible = matters.length - lo;
    if (eligible === 0) return null;
    const u = this.random();
    return matters[matters.length - 1 - Math.floor(u * u * eligible)];
  }

  private reportAgain(drawn: GeneratedFacts, m: Matter, sameCaller: boolean): GeneratedFacts {
    const r = this.random;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)];
    const phone = sameCaller ? pick(m.phones) : `1${3 + Math.floor(r() * 7)}${Math.floor(r() * 1e9).toString().padStart(9, '0')}`;
    if (!sameCaller && m.phones.length < PHONES_PER_MATTER) m.phones.push(phone);
    const area = areaName(m.place);
    const short = `${m.road}${m.houseNumber}号${m.placeName}`;
    const address = r() < 0.7 ? `${area}${short}` : r() < 0.5 ? `${area}${m.road}${m.houseNumber}号` : short;
    const days = Math.max(1, Math.round((drawn.createdAt - m.firstAt) / DAY));
    const detail = pick(DETAILS);
    const ask = pick(ASKS);
    const content = sameCaller
      ? pick([
          `来电人再次反映：${short}${m.phrase}的问题此前已经反映过，至今仍未解决，${detail}。${ask}。`,
          `市民来电称，${area}${short}${m.phrase}，上次打电话说会处理，到现在还是老样子，${detail}。${ask}。`,
          `来电人${days}天前反映的${m.road}${m.houseNumber}号${m.phrase}问题一直没有人来处理，${detail}，${pick(DETAILS)}。${ask}。`,
          `来电人表示${m.road}${m.houseNumber}号${m.placeName || '附近'}${m.phrase}又出现了，之前反映后没有根本解决，${detail}。${ask}。`,
        ])
      : pick([
          `来电人反映：${short}${m.phrase}，${detail}。${ask}。`,
          `市民来电：${m.road}${m.houseNumber}号一带${m.phrase}，${detail}，${pick(DETAILS)}，${ask}。`,
          `来电反映${area}${m.road}靠近${m.houseNumber}号的位置${m.phrase}，${detail}。${ask}。`,
          `${m.placeName || m.road}的居民来电，${m.road}${m.houseNumber}号${m.phrase}，${detail}。${ask}。`,
        ]);
    const title = pick([`${m.road}${m.phrase}`, m.phrase, `${m.road}${m.houseNumber}号${m.phrase}`, sameCaller ? `再次反映${m.road}${m.phrase}` : `${m.road}附近${m.phrase}`]);
    if (sameCaller) this.counts.repeats++;
    else this.counts.hotspots++;
    return {
      ...drawn,
      category: m.category,
      place: m.place,
      road: m.road,
      houseNumber: m.houseNumber,
      placeName: m.placeName,
      address,
      phrase: m.phrase,
      title,
      content,
      requestType: m.requestType,
      phone,
      matterId: m.id,
    };
  }
}

/** Forgets the matters first reported before `since` once there are many (the list is in time order; the search skips the rest). */
function forgetBefore(matters: Matter[], since: number): Matter[] {
  if (matters.length < 4096 || matters[4095].firstAt >= since) return matters;
  let lo = 0;
  let hi = matters.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matters[mid].firstAt < since) lo = mid + 1;
    else hi = mid;
  }
  return matters.slice(lo);
}
