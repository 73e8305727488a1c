import { bigramCounts, containment, cosine, DocumentFrequencies, FixedTermWeights, jaccard, stripBoilerplate, sumOfSquares, weightedCosine } from './matter-text';

describe('matter text', () => {
  it('removes the hotline phrasing around a request', () => {
    const stripped = stripBoilerplate('市民来电反映：幸福路路灯不亮。诉求：请相关部门尽快维修。');
    expect(stripped).not.toContain('市民来电反映');
    expect(stripped).not.toContain('相关部门');
    expect(stripped).toContain('幸福路路灯不亮');
  });

  it('counts CJK bigrams per run and Latin tokens', () => {
    const counts = bigramCounts('路灯不亮，路灯坏了 K5路');
    expect(counts.get('路灯')).toBe(2);
    expect(counts.has('亮路')).toBe(false);
    expect(counts.get('k5')).toBe(1);
  });

  it('measures similarity with cosine, Jaccard and containment', () => {
    const a = bigramCounts('路灯不亮');
    expect(cosine(a, a)).toBeCloseTo(1);
    expect(cosine(a, bigramCounts('井盖破损'))).toBe(0);
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(containment(new Set(['a', 'b']), new Set(['a', 'b', 'c']))).toBe(1);
    expect(containment(new Set(), new Set(['a']))).toBe(0);
  });

  it('weighs rare terms above common ones', () => {
    const frequencies = new DocumentFrequencies();
    for (let i = 0; i < 10; i++) frequencies.add(['夜间', i === 0 ? '塔吊' : '烧烤']);
    expect(frequencies.weight('塔吊')).toBeGreaterThan(frequencies.weight('夜间'));
    const a = new Map([['夜间', 1], ['塔吊', 1]]);
    const common = new Map([['夜间', 1], ['烧烤', 1]]);
    const rare = new Map([['塔吊', 1], ['烧烤', 1]]);
    expect(weightedCosine(a, rare, frequencies)).toBeGreaterThan(weightedCosine(a, common, frequencies));
  });

  it('gives the same cosines with norms computed once as computed each time', () => {
    const frequencies = new DocumentFrequencies();
    const texts = ['幸福路路灯不亮夜间通行不便', '幸福路路灯坏了好几天', '小区电梯故障物业不管', '物业管理电梯维修收费', '路面坑洼积水'];
    for (const text of texts) frequencies.add(bigramCounts(text).keys());
    const fixed = new FixedTermWeights(frequencies);
    const area = new Set(['物业', '管理', '路灯']);
    for (const x of texts) {
      for (const y of texts) {
        const a = bigramCounts(x);
        const b = bigramCounts(y);
        expect(cosine(a, b, sumOfSquares(a), sumOfSquares(b))).toBe(cosine(a, b));
        expect(weightedCosine(a, b, fixed)).toBeCloseTo(weightedCosine(a, b, frequencies), 12);
        // Excluded words count as absent: the same as weighing them 0.
        const without: typeof frequencies = Object.assign(Object.create(frequencies) as DocumentFrequencies, { weight: (term: string) => (area.has(term) ? 0 : frequencies.weight(term)) });
        expect(weightedCosine(a, b, fixed, area)).toBeCloseTo(weightedCosine(a, b, without), 12);
        expect(weightedCosine(a, b, frequencies, area)).toBeCloseTo(weightedCosine(a, b, without), 12);
      }
    }
    // Alike texts score above 0 and a text with itself 1, with the words of an area set aside or not.
    const lamp = bigramCounts(texts[0]);
    expect(weightedCosine(lamp, bigramCounts(texts[1]), fixed, area)).toBeGreaterThan(0);
    expect(weightedCosine(lamp, lamp, fixed, area)).toBeCloseTo(1, 12);
  });

  it('keeps its table bounded', () => {
    const frequencies = new DocumentFrequencies(100);
    for (let i = 0; i < 1000; i++) frequencies.add([`t${i}`, 'common']);
    expect(frequencies.size).toBe(1000);
    expect(frequencies.termCount).toBeLessThanOrEqual(100);
    expect(frequencies.weight('common')).toBeLessThan(frequencies.weight('t5'));
  });

  it('keeps a term\'s weight and a vector\'s norm as first read while its source moves on (one set of weights for many orders)', () => {
    const frequencies = new DocumentFrequencies();
    for (const text of ['路灯不亮', '路灯坏了', '电梯故障']) frequencies.add(bigramCounts(text).keys());
    const fixed = new FixedTermWeights(frequencies);
    const lamp = bigramCounts('路灯不亮');
    const weightBefore = fixed.weight('路灯');
    const normBefore = fixed.weightedSquares(lamp);
    for (let i = 0; i < 50; i++) frequencies.add(bigramCounts('路灯又坏').keys());
    expect(frequencies.weight('路灯')).toBeLessThan(weightBefore);
    expect(fixed.weight('路灯')).toBe(weightBefore);
    expect(fixed.weightedSquares(lamp)).toBe(normBefore);
    // A term first asked for now gets the source's weight of now; a new set of weights sees every change.
    expect(fixed.weight('又坏')).toBe(frequencies.weight('又坏'));
    expect(new FixedTermWeights(frequencies).weight('路灯')).toBe(frequencies.weight('路灯'));
  });
});
