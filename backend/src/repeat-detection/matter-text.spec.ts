import { bigramCounts, containment, DocumentFrequencies, FixedTermWeights, jaccard, stripBoilerplate } from './matter-text';

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

  it('measures overlap with Jaccard and containment', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(containment(new Set(['a', 'b']), new Set(['a', 'b', 'c']))).toBe(1);
    expect(containment(new Set(), new Set(['a']))).toBe(0);
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
