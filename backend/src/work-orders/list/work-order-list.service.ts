import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { CategoriesService } from '../../categories/categories.service';
import { Clock } from '../../common/clock';
import { UnprocessableException } from '../../common/exceptions';
import { bodyOf, substringTerms, TITLE_WEIGHT, WorkOrderSearch } from '../../search/work-order-search';
import { UnitsService } from '../../units/units.service';
import type { ListWorkOrdersQueryDto } from '../dto/list-work-orders.dto';
import { normalizePhone } from '../dto/register-work-order.dto';
import type { WorkOrderAssistingUnit } from '../entities/work-order-assisting-unit.entity';
import { WorkOrderAccess } from '../work-order-access.service';
import { assistingPartsOf, toWorkOrderView, type AssistingPartView, type WorkOrderView } from '../work-order.view';
import { WorkOrdersRepository } from '../work-orders.repository';
import { OPEN_STATUSES } from '../work-order.enums';
import { assigneeRef } from '../work-orders.service';
import { decodeListCursor, encodeListCursor, planFor, type ListCursor } from './list-plan';
import { WorkOrderListRepository, type ListKey, type WorkOrderListFilters } from './work-order-list.repository';

/** Totals are counted up to this many; past it a list says "10,000+" (`totalExact: false`). */
export const LIST_TOTAL_CAP = 10_000;
/**
 * At most this many assisted orders of a status-filtered unit list are read whole, once for page and count
 * (WorkOrderListRepository.assistedMatches); more, and each reads them from the index as it needs.
 */
const ASSISTED_READ_WHOLE = 500;
/**
 * A keyword's matches are counted up to this many (first page only); the search index reads each match it counts, and
 * a common word (路灯) is in a fifth of all orders.
 */
export const KEYWORD_TOTAL = { cap: 1_000 };
const MATCH_COUNT_TTL_MS = 60_000;
/** Relevance ranks the best matches among this many text matches (more are fetched while too few are visible). */
/**
 * A word found in at least `pool` of the newest orders (KEYWORD_WALK.limit ids) is ranked among its `pool` newest
 * matches rather than among all of them: every search index here scores every match before it can sort by score
 * (0.3–0.4 s for a word in a fifth of 5 million orders on Mroonga), and among hundreds of thousands of matches the
 * recent ones are what a center looks for.
 */
export const RANKED = { pool: 2_000, maxPool: 20_000 };
/** A newest-first keyword page looks through at most this many text matches before it answers with what it found. */
const KEYWORD_SCAN_LIMIT = 20_000;
/**
 * A newest-first page of a word the index answers slowly (it reads every match: Mroonga) first reads the newest orders,
 * in windows of ids starting at this size and growing fourfold up to the maximum (see keywordPage).
 */
export const KEYWORD_WALK = {
  firstWindow: 5_000,
  maxWindow: 40_000,
  /** …and at most this many ids are read that way before the index is asked. */
  limit: 200_000,
  /**
   * Within a unit's scope a window without a match is taken for a rare word only once this many ids were read: the
   * newest orders may all be other units' (or not dispatched yet), and the walk reads only the unit's own rows of each
   * window (a few percent of them for a street), while the index reads every match of a common word (0.4–0.7 s).
   */
  scopedRareAfter: 100_000,
};
/** A keyword of digits only, this long or longer, is an order number (or its start). */
const NUMBER_KEYWORD = /^\d{6,16}$/;

export interface WorkOrderListPage {
  items: WorkOrderView[];
  /** Exact when `totalExact`; otherwise a lower bound ("10,000+"). */
  total: number;
  totalExact: boolean;
  hasMore: boolean;
  /** Send as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  page: number;
  pageSize: number;
}

/** Finding work orders: filters, the caller's scope, keyset pages, capped totals and full-text search. */
@Injectable()
export class WorkOrderListService {
  private readonly matchCounts = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly lists: WorkOrderListRepository,
    private readonly workOrders: WorkOrdersRepository,
    private readonly access: WorkOrderAccess,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly search: WorkOrderSearch,
    private readonly clock: Clock,
  ) {}

  async list(caller: AuthUser, query: ListWorkOrdersQueryDto): Promise<WorkOrderListPage> {
    const mayRead = this.access.mayReadCitizenContact(caller);
    // Unit staff see phones masked (138****1234); a phone filter would let them recover the hidden digits by
    // trying all 10,000 of them. Only those who see the full number may search by it (keyword search never
    // matches the phone column).
    if (query.citizenPhone && !mayRead) {
      throw new ForbiddenException(
        'Searching by citizen phone is for hotline center staff only: unit staff see phones masked. The lead unit can get the number of its own order with POST /api/work-orders/{id}/reveal-contact',
      );
    }
    if (query.cursor && query.page > 1) throw new BadRequestException('Send either cursor or page, not both: cursor continues where the previous page ended');
    const filters = await this.filtersOf(caller, query);
    const keyword = query.keyword?.trim() ?? '';
    const page =
      keyword !== '' && !NUMBER_KEYWORD.test(keyword)
        ? await this.keywordPage(keyword, filters, query)
        : await this.sortedPage({ ...filters, ...(keyword ? { numberPrefix: keyword } : {}) }, query);
    const orders = await this.lists.loadInOrder(page.ids);
    const [assisting, categoryPaths, assignees] = await Promise.all([
      this.assistingUnitsByOrder(orders.map((o) => o.id)),
      this.categories.pathsOf(orders.map((o) => o.categoryId)),
      this.workOrders.userNames(orders.map((o) => o.assigneeId)),
    ]);
    return {
      items: orders.map((o) =>
        toWorkOrderView(o, {
          mayReadCitizenContact: mayRead,
          categoryPath: categoryPaths.get(o.categoryId),
          assistingUnits: assisting.get(o.id) ?? [],
          assignee: assigneeRef(o.assigneeId, assignees),
        }),
      ),
      total: page.total,
      totalExact: page.totalExact,
      hasMore: page.nextCursor !== null,
      nextCursor: page.nextCursor,
      page: query.cursor ? 1 : query.page,
      pageSize: query.pageSize,
    };
  }

  /** A list in one of the index-backed orders: keyset from the cursor, or the first pages by offset. */
  private async sortedPage(filters: WorkOrderListFilters, query: ListWorkOrdersQueryDto): Promise<PageOfIds> {
    if (query.sortBy === 'relevance') throw new BadRequestException('sortBy=relevance needs a keyword');
    const plan = planFor(query.sortBy ?? 'createdAt', query.sortOrder ?? 'DESC');
    const cursor = query.cursor ? this.cursorFor(query.cursor, plan.key) : null;
    if (cursor && cursor.segment >= plan.segments.length) throw badCursor();
    const offset = cursor ? 0 : (query.page - 1) * query.pageSize;
    const floor = await this.lists.statusFloor(filters);
    // A unit's few assisted orders in a status, read once for the page and the count (null: each reads its own).
    const assisted = await this.lists.assistedMatches(filters, floor, ASSISTED_READ_WHOLE);
    const keys = await this.lists.pageKeys(filters, plan, cursor, offset, query.pageSize + 1, floor, assisted);
    const shown = keys.slice(0, query.pageSize);
    const last = shown[shown.length - 1];
    const nextCursor = keys.length > query.pageSize && last ? encodeListCursor(keyCursor(plan.key, last)) : null;
    const counted = await this.lists.countUpTo(filters, LIST_TOTAL_CAP, floor, assisted);
    return { ids: shown.map((k) => k.id), nextCursor, ...totalOf(counted, offset + shown.length) };
  }

  /**
   * Full-text search: newest first (by registration, i.e. id) through the search index with the caller's other
   * filters applied to each batch of matches, or ranked by relevance among the best matches.
   */
  private async keywordPage(keyword: string, filters: WorkOrderListFilters, query: ListWorkOrdersQueryDto): Promise<PageOfIds> {
    // Newest first by default: complete under any filter and cheap; relevance scores every match of the words, which
    // for a word in a fifth of all orders costs far more (docs/search.md).
    const sortBy = query.sortBy ?? 'createdAt';
    if (sortBy !== 'relevance' && sortBy !== 'createdAt' && sortBy !== 'number') {
      throw new BadRequestException(`With a keyword the list is sorted by relevance or newest first (sortBy=relevance or createdAt), not by ${sortBy}`);
    }
    // No filter but the caller's scope, which the keyword walk applies itself (a unit's rows only).
    const scopeOnly = Object.entries(filters).every(([name, value]) => name === 'visibleUnitIds' || value === undefined);
    const unfiltered = filters.visibleUnitIds === null && scopeOnly;
    if (sortBy === 'relevance') return this.rankedPage(keyword, filters, unfiltered, query);
    if ((query.sortOrder ?? 'DESC') !== 'DESC') throw new BadRequestException('With a keyword, newest first only (sortOrder=DESC); narrow the filters to see older orders sooner');
    const key = 'kw.id';
    const cursor = query.cursor ? this.cursorFor(query.cursor, key) : null;
    const want = (cursor ? 0 : (query.page - 1) * query.pageSize) + query.pageSize + 1;
    const found: number[] = [];
    let beforeId = cursor ? cursor.id : null;
    let examined = 0;
    // The search index reads every match of a word whatever the limit, so a few large batches beat many small ones.
    let batch = 1_000;
    let exhausted = false;
    // An index that reads every match (Mroonga) takes ≈ 0.4 s for a word in a fifth of 5 million orders, however few
    // are wanted: the newest orders themselves are read first, by id, in widening windows, as long as they yield
    // matches (a common word fills a page from the first few thousand orders). Both ways go by id, highest first, so
    // the page and its cursor are the same whichever found them.
    const terms = this.search.readsEveryMatch ? substringTerms(keyword) : null;
    if (terms) {
      const start = beforeId ?? (await this.lists.highestId()) + 1;
      const before = await this.walkNewest(start, async (floor, windowTop) => {
        // Each window's matches read only until the page is full when nothing else filters them: a unit's too (its
        // scope is the walk's), which otherwise read every match of its rows in a window — at 5 M orders, under
        // load, 2–3 windows of 5,000–40,000 ids, the newest all other units'.
        const limit = scopeOnly ? want - found.length : null;
        const hits = await this.lists.idsContaining(terms, floor, windowTop, limit, filters.visibleUnitIds);
        found.push(...(scopeOnly ? hits : await this.lists.filterIds(hits, filters)));
        // A window without one match: the word is rare, the index finds the rest faster. Within a unit's scope only
        // once KEYWORD_WALK.scopedRareAfter ids were read that way.
        const rare = hits.length === 0 && (filters.visibleUnitIds === null || start - floor >= KEYWORD_WALK.scopedRareAfter);
        // Cut short by the limit: what is below the last match read is still to be read.
        return { next: limit !== null && hits.length === limit ? hits[hits.length - 1] : floor, more: found.length < want && !rare };
      });
      beforeId = before;
      if (before <= 1) exhausted = true;
    }
    while (!exhausted && found.length < want && examined < KEYWORD_SCAN_LIMIT) {
      const hits = await this.search.newest(keyword, beforeId, batch);
      examined += hits.length;
      found.push(...(unfiltered ? hits : await this.lists.filterIds(hits, filters)));
      if (hits.length < batch) {
        exhausted = true;
        break;
      }
      beforeId = hits[hits.length - 1];
      batch = Math.min(batch * 4, 5_000);
    }
    const offset = cursor ? 0 : (query.page - 1) * query.pageSize;
    const shown = found.slice(offset, offset + query.pageSize);
    const more = found.length > offset + query.pageSize || !exhausted;
    // When the scan stopped early the next page continues from the last match looked at, not the last one shown.
    const resumeAt = found.length > offset + query.pageSize ? shown[shown.length - 1] : beforeId;
    const nextCursor = more && resumeAt !== null && resumeAt !== undefined ? encodeListCursor({ key, segment: 0, value: null, id: resumeAt }) : null;
    if (unfiltered && !cursor) return { ids: shown, nextCursor, ...this.keywordTotal(exhausted ? found.length : await this.countMatches(keyword, terms), offset + shown.length) };
    return { ids: shown, nextCursor, total: Math.max(found.length, offset + shown.length), totalExact: exhausted };
  }

  private async rankedPage(keyword: string, filters: WorkOrderListFilters, unfiltered: boolean, query: ListWorkOrdersQueryDto): Promise<PageOfIds> {
    const key = 'kw.rel';
    const cursor = query.cursor ? this.cursorFor(query.cursor, key) : null;
    const offset = cursor ? cursor.id : (query.page - 1) * query.pageSize;
    let pool = RANKED.pool;
    let visible: number[] = [];
    let complete = false;
    const terms = substringTerms(keyword);
    for (;;) {
      const hits = (terms && (await this.newestRanked(terms, pool))) ?? (await this.search.ranked(keyword, pool));
      const ids = hits.map((hit) => hit.id);
      visible = unfiltered ? ids : await this.lists.filterIds(ids, filters);
      complete = hits.length < pool;
      if (complete || visible.length > offset + query.pageSize || pool >= RANKED.maxPool) break;
      pool = Math.min(pool * 4, RANKED.maxPool);
    }
    const shown = visible.slice(offset, offset + query.pageSize);
    const next = offset + shown.length;
    const nextCursor = visible.length > next ? encodeListCursor({ key, segment: 0, value: null, id: next }) : null;
    if (unfiltered && !cursor) return { ids: shown, nextCursor, ...this.keywordTotal(complete ? visible.length : await this.countMatches(keyword, terms), next) };
    return { ids: shown, nextCursor, total: visible.length, totalExact: complete };
  }

  /**
   * The `pool` newest orders containing every term (read by id, highest first, in the keyword walk's windows), best
   * first as the indexes score them: each occurrence of a term in the title counts TITLE_WEIGHT, one in the number,
   * address or content 1; ties newest first. Null when fewer than `pool` are among the newest KEYWORD_WALK.limit
   * orders: the word is not that common, and the index ranks all its matches quickly.
   */
  private async newestRanked(terms: readonly string[], pool: number): Promise<{ id: number; score: number }[] | null> {
    const found: { id: number; score: number }[] = [];
    await this.walkNewest((await this.lists.highestId()) + 1, async (floor, before) => {
      const wanted = pool - found.length;
      const rows = await this.lists.textsContaining(terms, floor, before, wanted);
      for (const row of rows) {
        const body = bodyOf(row);
        found.push({ id: row.id, score: terms.reduce((sum, term) => sum + TITLE_WEIGHT * occurrences(row.title, term) + occurrences(body, term), 0) });
      }
      return { next: rows.length === wanted ? rows[rows.length - 1].id : floor, more: found.length < pool };
    });
    if (found.length < pool) return null;
    return found.sort((a, b) => b.score - a.score || b.id - a.id);
  }

  /**
   * Reads the orders below id `from` newest first, in KEYWORD_WALK's windows (5,000 ids growing fourfold to 40,000, at
   * most KEYWORD_WALK.limit ids in all, never below id 1): `read(floor, before)` reads the ids `floor ≤ id < before`
   * and answers where the next window starts (below the last id it read) and whether to go on. Answers where the walk
   * stopped: the ids below it are still to be read.
   */
  private async walkNewest(from: number, read: (floor: number, before: number) => Promise<{ next: number; more: boolean }>): Promise<number> {
    let before = from;
    const stopAt = from - KEYWORD_WALK.limit;
    for (let window = KEYWORD_WALK.firstWindow; before > 1 && before > stopAt; window = Math.min(window * 4, KEYWORD_WALK.maxWindow)) {
      const step = await read(Math.max(1, before - window), before);
      before = step.next;
      if (!step.more) break;
    }
    return before;
  }

  /**
   * How many orders match a keyword (up to KEYWORD_TOTAL.cap), remembered for a minute: the index reads every match
   * to count, and the common words (路灯, 噪音) are searched over and over. A total a minute old is good enough for
   * "1,000+".
   */
  private async countMatches(keyword: string, terms: readonly string[] | null): Promise<number> {
    // An index that reads every match to count it (Mroonga: ≈ 0.4 s for a word in a fifth of 5 M orders, once a
    // minute per word and process): a common word's first KEYWORD_TOTAL.cap matches are among the newest orders.
    if (terms && this.search.readsEveryMatch) {
      const top = (await this.lists.highestId()) + 1;
      const newest = await this.lists.idsContaining(terms, Math.max(1, top - KEYWORD_WALK.maxWindow), top, KEYWORD_TOTAL.cap);
      if (newest.length >= KEYWORD_TOTAL.cap) return newest.length;
    }
    const now = Date.now();
    const known = this.matchCounts.get(keyword);
    if (known && known.at > now - MATCH_COUNT_TTL_MS) return known.count;
    const count = await this.search.count(keyword, KEYWORD_TOTAL.cap);
    if (this.matchCounts.size >= 1_000) this.matchCounts.clear();
    this.matchCounts.set(keyword, { count, at: now });
    return count;
  }

  /** A keyword's matches counted up to KEYWORD_TOTAL.cap ("1,000+"): counting further reads every match. */
  private keywordTotal(counted: number, shownSoFar: number): { total: number; totalExact: boolean } {
    if (counted >= KEYWORD_TOTAL.cap) return { total: Math.max(KEYWORD_TOTAL.cap, shownSoFar), totalExact: false };
    return { total: Math.max(counted, shownSoFar), totalExact: true };
  }

  private async filtersOf(caller: AuthUser, query: ListWorkOrdersQueryDto): Promise<WorkOrderListFilters> {
    const visibleUnitIds = await this.access.visibleUnitIds(caller);
    const createdFrom = query.createdFrom ? new Date(query.createdFrom) : undefined;
    const createdTo = query.createdTo ? new Date(query.createdTo) : undefined;
    if (createdFrom && createdTo && createdFrom >= createdTo) throw new UnprocessableException('createdFrom must be before createdTo');
    const closedFrom = query.closedFrom ? new Date(query.closedFrom) : undefined;
    const closedTo = query.closedTo ? new Date(query.closedTo) : undefined;
    if (closedFrom && closedTo && closedFrom >= closedTo) throw new UnprocessableException('closedFrom must be before closedTo');
    return {
      visibleUnitIds,
      status: query.status,
      leadUnitIds: query.leadUnitId ? await this.units.subtreeIds(query.leadUnitId) : undefined,
      categoryIds: query.categoryId ? await this.categories.subtreeIds(query.categoryId) : undefined,
      requestType: query.requestType,
      channel: query.channel,
      warning: query.warning,
      createdFrom,
      createdTo,
      citizenPhone: query.citizenPhone ? normalizePhone(query.citizenPhone) : undefined,
      assigneeId: this.assigneeFilter(caller, query),
      assistOverdue: query.assistOverdue ? { now: this.clock.now(), unitIds: visibleUnitIds } : undefined,
      statuses: query.open ? OPEN_STATUSES : undefined,
      closedFrom,
      closedTo,
      supervised: query.supervised || undefined,
      extensionRequested: query.extensionRequested || undefined,
      hasChildren: query.hasChildren || undefined,
    };
  }

  private cursorFor(text: string, key: string): ListCursor {
    const cursor = decodeListCursor(text);
    if (!cursor) throw badCursor();
    if (cursor.key !== key) throw new BadRequestException('cursor belongs to a list with another sort or search: start again without cursor');
    return cursor;
  }

  /**
   * 分派 filter: `assignee=me` is the caller's inbox; `assigneeId` is for the unit's admin and the center (a handler
   * may name only themself). Either way the list stays scoped to what the caller sees.
   */
  private assigneeFilter(caller: AuthUser, query: ListWorkOrdersQueryDto): number | undefined {
    if (query.assignee === 'me' && query.assigneeId !== undefined && query.assigneeId !== caller.id) {
      throw new UnprocessableException('Send either assignee=me or assigneeId, not both');
    }
    if (query.assignee === 'me') return caller.id;
    if (query.assigneeId !== undefined && caller.role === 'handler' && query.assigneeId !== caller.id) {
      throw new ForbiddenException("A handler lists only the orders assigned to themself (assignee=me); other users' are for the unit's admin");
    }
    return query.assigneeId;
  }

  private async assistingUnitsByOrder(ids: number[]): Promise<Map<number, AssistingPartView[]>> {
    const rows = await this.workOrders.assistingUnitsOf(ids);
    const now = this.clock.now();
    const byOrder = new Map<number, WorkOrderAssistingUnit[]>();
    for (const row of rows) byOrder.set(row.workOrderId, [...(byOrder.get(row.workOrderId) ?? []), row]);
    return new Map([...byOrder].map(([id, parts]) => [id, assistingPartsOf(parts, now)]));
  }
}

interface PageOfIds {
  ids: number[];
  nextCursor: string | null;
  total: number;
  totalExact: boolean;
}

function badCursor(): BadRequestException {
  return new BadRequestException('cursor must be the nextCursor of a previous page of this list');
}

function keyCursor(key: string, last: ListKey): ListCursor {
  return { key, segment: last.segment, value: last.value, id: last.id };
}

/** A capped count as the response's total: "cap+" when it reached the cap (never less than what was shown). */
function totalOf(counted: number, shownSoFar: number): { total: number; totalExact: boolean } {
  if (counted > LIST_TOTAL_CAP) return { total: Math.max(LIST_TOTAL_CAP, shownSoFar), totalExact: false };
  return { total: Math.max(counted, shownSoFar), totalExact: true };
}

/** How often `term` occurs in `text`, occurrences not overlapping (路灯路灯: 2). */
function occurrences(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) count++;
  return count;
}
