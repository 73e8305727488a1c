import { bigramCounts, containment, cosine, DocumentFrequencies, jaccard, stripBoilerplate, weightedCosine } from './matter-text';

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

  it('keeps its table bounded', () => {
    const frequencies = new DocumentFrequencies(100);
    for (let i = 0; i < 1000; i++) frequencies.add([`t${i}`, 'common']);
    expect(frequencies.size).toBe(1000);
    expect(frequencies.termCount).toBeLessThanOrEqual(100);
    expect(frequencies.weight('common')).toBeLessThan(frequencies.weight('t5'));
  });
});
