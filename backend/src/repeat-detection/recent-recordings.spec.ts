import fc from 'fast-check';
import { RecentRecordings, type KeyEntry, type RecentRecording } from './recent-recordings';

interface Stored {
  recording: RecentRecording;
  keys: string[];
}

function recording(workOrderId: number, createdAt: number): RecentRecording {
  return {
    workOrderId,
    matterId: workOrderId,
    createdAt: new Date(createdAt),
    citizenPhone: null,
    districtUnitId: null,
    streetUnitId: null,
    categoryId: 1,
    requestType: 'complaint',
  };
}

/** The index as the database reads it: a key's newest `limit` orders created in [since, before), newest (then highest id) first. */
function databaseRead(stored: readonly Stored[], key: string, since: number, before: number, limit: number): number[] {
  return stored
    .filter((s) => s.keys.includes(key) && s.recording.createdAt.getTime() >= since && s.recording.createdAt.getTime() < before)
    .sort((a, b) => b.recording.createdAt.getTime() - a.recording.createdAt.getTime() || b.recording.workOrderId - a.recording.workOrderId)
    .slice(0, limit)
    .map((s) => s.recording.workOrderId);
}

/**
 * What a lookup gets per key from the window and the database reads it asks for together; the window keeps the
 * database's answer (as the detector has it do).
 */
function combined(window: RecentRecordings, stored: readonly Stored[], keys: string[], since: number, perKey: number): number[][] {
  const readFrom = window.stamp;
  const { found, missing } = window.read(keys, new Date(since), perKey);
  const answer = found.map((orders) => orders.map((o) => o.workOrderId));
  const rows: KeyEntry[] = [];
  for (const read of missing) {
    expect(read.key).toBe(keys[read.keyIndex]);
    expect(read.limit).toBe(perKey - answer[read.keyIndex].length);
    const ids = databaseRead(stored, read.key, read.since.getTime(), read.before?.getTime() ?? Number.POSITIVE_INFINITY, read.limit);
    answer[read.keyIndex].push(...ids);
    for (const id of ids) rows.push({ keyIndex: read.keyIndex, fingerprint: stored.find((s) => s.recording.workOrderId === id)!.recording });
  }
  window.learn(missing, rows, readFrom);
  return answer;
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('RecentRecordings (the detector’s window of recent orders)', () => {
  it('answers every lookup as the database index would, with the database reads it asks for (late and out-of-order recordings, keys and orders dropped for room)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 60 }), keys: fc.subarray(KEYS, { minLength: 1 }) }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.array(fc.record({ keys: fc.subarray(KEYS, { minLength: 1 }), since: fc.integer({ min: -5, max: 65 }), after: fc.nat() }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (orders, split, maxKeys, perKeyHeld, lookups, perKey) => {
          const window = new RecentRecordings(perKeyHeld, maxKeys);
          const stored: Stored[] = [];
          const before = split % (orders.length + 1);
          // Recorded before the window began collecting: in the database only; the window opens after their newest.
          orders.slice(0, before).forEach((o, i) => stored.push({ recording: recording(i + 1, o.at), keys: o.keys }));
          window.collect();
          const floor = before === 0 ? Number.NEGATIVE_INFINITY : Math.max(...stored.map((s) => s.recording.createdAt.getTime()));
          window.open(floor);
          // Later ones in any time order (a queue behind, another process's recordings arriving late).
          const lookupsAt = new Map<number, typeof lookups>();
          for (const lookup of lookups) lookupsAt.set(lookup.after % (orders.length - before + 1), [...(lookupsAt.get(lookup.after % (orders.length - before + 1)) ?? []), lookup]);
          for (let i = before; i <= orders.length; i++) {
            for (const lookup of lookupsAt.get(i - before) ?? []) {
              const expected = lookup.keys.map((key) => databaseRead(stored, key, lookup.since, Number.POSITIVE_INFINITY, perKey));
              expect(combined(window, stored, lookup.keys, lookup.since, perKey)).toEqual(expected);
            }
            if (i === orders.length) break;
            const s = { recording: recording(i + 1, orders[i].at), keys: orders[i].keys };
            stored.push(s);
            window.add(s.recording, s.keys);
          }
          expect(window.keyCount).toBeLessThanOrEqual(maxKeys);
          expect(window.learnt.keys).toBeLessThanOrEqual(maxKeys);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('answers nothing until it is opened, and nothing once it collects again until it reopens, asking the database for every key without bound', () => {
    const window = new RecentRecordings();
    window.add(recording(1, 10), ['a']);
    const unopened = window.read(['a', 'b'], new Date(0), 40);
    expect(unopened.found).toEqual([[], []]);
    expect(unopened.missing.map((m) => [m.key, m.before, m.limit])).toEqual([
      ['a', null, 40],
      ['b', null, 40],
    ]);
    window.collect();
    window.add(recording(2, 20), ['a']);
    window.open(Number.NEGATIVE_INFINITY);
    expect(window.read(['a'], new Date(0), 40)).toEqual({ found: [[recording(2, 20)]], missing: [] });
    // Messages may have been lost: it starts collecting again, and answers nothing until it reopens.
    window.collect();
    window.add(recording(3, 30), ['a']);
    expect(window.started).toBe(false);
    expect(window.read(['a'], new Date(0), 40).missing).toHaveLength(1);
    window.open(25); // the database adds the key's orders created up to 25 ms (before: exclusive)
    expect(window.read(['a'], new Date(0), 40)).toEqual({ found: [[recording(3, 30)]], missing: [expect.objectContaining({ key: 'a', before: new Date(26), limit: 39 })] });
  });

  it('keeps an order once however often it hears of it', () => {
    const window = new RecentRecordings();
    window.collect();
    window.open(Number.NEGATIVE_INFINITY);
    window.add(recording(1, 10), ['a']);
    window.add(recording(1, 10), ['a']);
    window.add(recording(2, 5), ['a']);
    window.add(recording(2, 5), ['a']);
    expect(window.read(['a'], new Date(0), 40).found[0].map((o) => o.workOrderId)).toEqual([1, 2]);
  });

  describe('the database’s answers it keeps', () => {
    /** A window opened at 100 ms (the database holds what was recorded before), with one order recorded since. */
    function opened(): RecentRecordings {
      const window = new RecentRecordings();
      window.collect();
      window.add(recording(10, 150), ['a']);
      window.open(100);
      return window;
    }
    const older = [recording(3, 90), recording(2, 60), recording(1, 30)];
    const answer = (keyIndex: number, orders: RecentRecording[]): KeyEntry[] => orders.map((fingerprint) => ({ keyIndex, fingerprint }));

    it('answers the same key again without the database, also for a later start and fewer orders (the screening’s second look)', () => {
      const window = opened();
      const first = window.read(['a', 'b'], new Date(0), 40);
      expect(first.missing.map((m) => [m.key, m.before, m.limit])).toEqual([
        ['a', new Date(101), 39],
        ['b', new Date(101), 40],
      ]);
      window.learn(first.missing, [...answer(0, older), ...answer(1, [])], window.stamp);
      expect(window.learnt).toEqual({ keys: 2, orders: 3 });
      const again = window.read(['b', 'a'], new Date(0), 40);
      expect(again.missing).toEqual([]);
      expect(again.found.map((orders) => orders.map((o) => o.workOrderId))).toEqual([[], [10, 3, 2, 1]]);
      expect(window.read(['a'], new Date(50), 3)).toEqual({ found: [[recording(10, 150), recording(3, 90), recording(2, 60)]], missing: [] });
      expect(window.read(['a'], new Date(50), 40).found[0].map((o) => o.workOrderId)).toEqual([10, 3, 2]);
    });

    it('asks the database again where the answer cannot tell: an earlier start, a range cut by its limit, another bound', () => {
      const window = opened();
      const first = window.read(['a'], new Date(50), 3); // the newest two created in [50, 100]
      expect(first.missing).toEqual([expect.objectContaining({ key: 'a', limit: 2 })]);
      window.learn(first.missing, answer(0, [recording(3, 90), recording(2, 60)]), window.stamp);
      expect(window.read(['a'], new Date(0), 3).missing).toHaveLength(1); // from 0: older ones may exist below 50
      expect(window.read(['a'], new Date(55), 4).missing).toHaveLength(1); // three wanted, the answer stopped at its limit of two
      expect(window.read(['a'], new Date(55), 3).missing).toEqual([]); // two wanted: the answer's two
      // Keys dropped for room raise the window's floor: the answers were for ranges below the old one.
      const small = new RecentRecordings(64, 1);
      small.collect();
      small.open(100);
      const read = small.read(['a'], new Date(0), 40);
      small.learn(read.missing, answer(0, older), small.stamp);
      expect(small.read(['a'], new Date(0), 40).missing).toEqual([]);
      small.add(recording(11, 200), ['b']);
      small.add(recording(12, 300), ['c']);
      expect(small.learnt).toEqual({ keys: 0, orders: 0 });
      expect(small.read(['a'], new Date(0), 40).missing).toEqual([expect.objectContaining({ key: 'a', before: new Date(301) })]);
    });

    it('forgets a key’s answer when an order created within its range is recorded late, and keeps no answer read before such a recording', () => {
      const window = opened();
      const first = window.read(['a', 'b'], new Date(0), 40);
      window.learn(first.missing, answer(0, older), window.stamp);
      window.add(recording(4, 95), ['a']); // registered before the window opened, screened only now
      expect(window.read(['b'], new Date(0), 40).missing).toEqual([]);
      expect(window.read(['a'], new Date(0), 40).missing).toEqual([expect.objectContaining({ key: 'a', before: new Date(101), limit: 39 })]);
      // A read under way while a late order of the key is recorded: its answer may lack the order, and is not kept;
      // a late order of another key leaves it alone.
      const readFrom = window.stamp;
      const during = window.read(['a', 'd'], new Date(0), 40);
      window.add(recording(5, 97), ['a', 'c']);
      window.learn(during.missing, [...answer(0, older), ...answer(1, [recording(1, 30)])], readFrom);
      expect(window.read(['a'], new Date(0), 40).missing).toHaveLength(1);
      expect(window.read(['d'], new Date(0), 40)).toEqual({ found: [[recording(1, 30)]], missing: [] });
      // Keys dropped for room meanwhile: nothing read before is kept.
      const small = new RecentRecordings(64, 2);
      small.collect();
      small.open(100);
      const stamp = small.stamp;
      const read = small.read(['a'], new Date(0), 40);
      for (const [i, key] of ['x', 'y', 'z'].entries()) small.add(recording(20 + i, 200 + i), [key]);
      small.learn(read.missing, answer(0, older), stamp);
      expect(small.learnt).toEqual({ keys: 0, orders: 0 });
      // An order without its fingerprint: the key is asked for again.
      const next = window.read(['a'], new Date(0), 40);
      window.learn(next.missing, [{ keyIndex: 0, fingerprint: null }], window.stamp);
      expect(window.read(['a'], new Date(0), 40).missing).toHaveLength(1);
    });

    it('keeps at most so many orders in its answers, forgetting the answers learnt first', () => {
      const window = new RecentRecordings(64, 100, 4);
      window.collect();
      window.open(100);
      for (const key of ['a', 'b', 'c']) {
        const read = window.read([key], new Date(0), 40);
        window.learn(read.missing, answer(0, [recording(2, 60), recording(1, 30)]), window.stamp);
      }
      expect(window.learnt).toEqual({ keys: 2, orders: 4 });
      expect(window.read(['a'], new Date(0), 40).missing).toHaveLength(1);
      expect(window.read(['b', 'c'], new Date(0), 40).missing).toEqual([]);
    });
  });
});
