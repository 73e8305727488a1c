import { InvalidatedCache, KeyedInvalidatedCache } from './invalidated-cache';

/** A load the test finishes by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InvalidatedCache', () => {
  it('loads once for concurrent callers and serves the copy until invalidated', async () => {
    const load = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
    const sut = new InvalidatedCache<string>(load);
    expect(await Promise.all([sut.get(), sut.get()])).toEqual(['first', 'first']);
    expect(await sut.get()).toBe('first');
    expect(load).toHaveBeenCalledTimes(1);
    sut.invalidate();
    expect(await sut.get()).toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep a load that was under way when the invalidation came (it may have read the old rows)', async () => {
    const before = deferred<string>();
    const load = jest.fn().mockReturnValueOnce(before.promise).mockResolvedValueOnce('after the commit');
    const sut = new InvalidatedCache<string>(load);
    const early = sut.get();
    sut.invalidate();
    before.resolve('before the commit');
    expect(await early).toBe('before the commit');
    expect(await sut.get()).toBe('after the commit');
  });

  it('reads again after the TTL even without an invalidation, and does not keep a failed load', async () => {
    const load = jest.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue('fresh');
    const sut = new InvalidatedCache<string>(load, 0);
    await expect(sut.get()).rejects.toThrow('database away');
    expect(await sut.get()).toBe('fresh');
    expect(await sut.get()).toBe('fresh');
    expect(load).toHaveBeenCalledTimes(3);
    expect(sut.peek()).toBeNull();
  });
});

describe('KeyedInvalidatedCache', () => {
  it('invalidates one key or all of them', async () => {
    let reads = 0;
    const sut = new KeyedInvalidatedCache<number, string>((id) => Promise.resolve(`user ${id} read ${++reads}`));
    expect(await sut.get(1)).toBe('user 1 read 1');
    expect(await sut.get(2)).toBe('user 2 read 2');
    expect(await sut.get(1)).toBe('user 1 read 1');
    sut.invalidate(1);
    expect(await sut.get(1)).toBe('user 1 read 3');
    expect(await sut.get(2)).toBe('user 2 read 2');
    sut.clear();
    expect(await sut.get(2)).toBe('user 2 read 4');
  });
});
