import { bigramCounts, containment, DocumentFrequencies, FixedTermWeights, jaccard, sharedCount, stripBoilerplate, TermDictionary, type TermVector } from './matter-text';

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

  it('gives each term one id, and a set of terms as its ids ascending, each once', () => {
    const dictionary = new TermDictionary();
    expect(dictionary.idOf('路灯')).toBe(0);
    expect(dictionary.idOf('不亮')).toBe(1);
    expect(dictionary.idOf('路灯')).toBe(0);
    expect([...dictionary.idsOf(['电梯', '不亮', '路灯', '不亮'])]).toEqual([0, 1, 2]);
    expect(dictionary.termOf(2)).toBe('电梯');
    expect(dictionary.size).toBe(3);
  });

  it('measures overlap with Jaccard and containment over ascending ids', () => {
    const dictionary = new TermDictionary();
    const set = (...terms: string[]) => dictionary.idsOf(terms);
    // Ids in another order than the terms' (z first): the merge works on the ids.
    expect(sharedCount(set('z', 'a', 'b'), set('b', 'c', 'z'))).toBe(2);
    expect(jaccard(set('a', 'b'), set('b', 'c'))).toBeCloseTo(1 / 3);
    expect(jaccard(set(), set())).toBe(0);
    expect(containment(set('a', 'b'), set('c', 'b', 'a'))).toBe(1);
    expect(containment(set('a', 'q'), set('c', 'b', 'a'))).toBe(0.5);
    expect(containment(set(), set('a'))).toBe(0);
  });

  it('weighs rare terms above common ones', () => {
    const frequencies = new DocumentFrequencies();
    for (let i = 0; i < 10; i++) frequencies.add(['夜间', i === 0 ? '塔吊' : '烧烤']);
    expect(frequencies.weight('塔吊')).toBeGreaterThan(frequencies.weight('夜间'));
    expect(frequencies.weight('从未见过')).toBeGreaterThan(frequencies.weight('塔吊'));
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
    const dictionary = new TermDictionary();
    const fixed = new FixedTermWeights(frequencies, dictionary);
    const terms = [...bigramCounts('路灯不亮')];
    // 不亮 a place name (left out of the topic's sum).
    const lamp: TermVector = {
      ids: Int32Array.from(terms, ([term]) => dictionary.idOf(term)),
      counts: Float64Array.from(terms, ([, count]) => count),
      isPlace: Uint8Array.from(terms, ([term]) => (term === '不亮' ? 1 : 0)),
      isArea: new Uint8Array(terms.length),
    };
    const weightOf = (term: string) => fixed.weightOf(dictionary.idOf(term));
    const weightBefore = weightOf('路灯');
    const normBefore = fixed.weightedSquares(lamp);
    const squared = (term: string) => frequencies.weight(term) ** 2;
    expect(normBefore.text).toBeCloseTo(squared('路灯') + squared('灯不') + squared('不亮'), 12);
    expect(normBefore.topic).toBeCloseTo(squared('路灯') + squared('灯不'), 12);
    for (let i = 0; i < 50; i++) frequencies.add(bigramCounts('路灯又坏').keys());
    expect(frequencies.weight('路灯')).toBeLessThan(weightBefore);
    expect(weightOf('路灯')).toBe(weightBefore);
    expect(fixed.weightedSquares(lamp)).toEqual(normBefore);
    // A term first asked for now gets the source's weight of now; a new set of weights sees every change.
    expect(weightOf('又坏')).toBe(frequencies.weight('又坏'));
    expect(new FixedTermWeights(frequencies, dictionary).weightOf(dictionary.idOf('路灯'))).toBe(frequencies.weight('路灯'));
  });
});
