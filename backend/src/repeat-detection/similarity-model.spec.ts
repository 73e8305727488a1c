import { computeFeatures, profileOf, type MatterFacts, type MatterProfile } from './matter-features';
import { DocumentFrequencies, FixedTermWeights, TermDictionary, type TermWeights } from './matter-text';
import { chooseMatter, eligibleForMatter } from './matter-assignment';
import { SIMILARITY_WEIGHTS } from './model/similarity-weights';
import { pairVector, reasonsFor, reasonText, sameMatterProbability, wordCosines, type ComparedOrder, type PairVector } from './similarity-model';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-02T02:00:00Z');

interface Sample {
  phone: string;
  street?: number;
  address: string;
  category: [string, string, string];
  content: string;
  day: number;
  type?: string;
}

const categoryIds = new Map<string, number>();
const dictionary = new TermDictionary();
const idOf = (key: string) => categoryIds.get(key) ?? (categoryIds.set(key, categoryIds.size + 1), categoryIds.size);

function order(sample: Sample): ComparedOrder {
  const categoryPath = sample.category.map((_, level) => idOf(sample.category.slice(0, level + 1).join('/')));
  const features = computeFeatures(
    { title: sample.content.slice(0, 20), content: sample.content, address: sample.address },
    { unitNames: ['江北区', '滨河街道'], categoryPath, categoryNames: sample.category },
  );
  const facts: MatterFacts = { citizenPhone: sample.phone, districtUnitId: 1, streetUnitId: sample.street ?? 10, requestType: sample.type ?? 'complaint', createdAt: new Date(START + sample.day * DAY) };
  return { facts, profile: profileOf(features, dictionary) };
}

/** A profile's words as term → count, all of them and the topic's (without its place names). */
function wordsOf(profile: MatterProfile): { text: Map<string, number>; topic: Map<string, number> } {
  const text = new Map(profile.source.text);
  const place = new Set(profile.source.place);
  return { text, topic: new Map([...text].filter(([term]) => !place.has(term))) };
}

/** Term weights from a small background of unrelated requests, as a live system has them. */
const background = new DocumentFrequencies();
for (const text of ['楼上漏水', '噪声扰民', '路面坑洼', '垃圾清运', '占道经营', '停车收费', '油烟扰民', '路灯不亮', '夜间施工', '电梯故障']) {
  background.add(computeFeatures({ title: text, content: text, address: '' }, { unitNames: [], categoryPath: [], categoryNames: [] }).text.map(([term]) => term));
}
const backgroundWeights = new FixedTermWeights(background, dictionary);

/** What the detector makes of `b` registered after `a` when `a` is its only candidate. */
function verdict(vector: PairVector): { score: number; kind: 'repeat' | 'hotspot' | 'similar' } {
  const score = sameMatterProbability(vector);
  const joined = chooseMatter([{ matterId: 1, score, sameCaller: vector.sameCaller === 1, eligible: eligibleForMatter(vector) }], SIMILARITY_WEIGHTS) !== null;
  return { score, kind: joined ? (vector.sameCaller ? 'repeat' : 'hotspot') : 'similar' };
}
const judge = (a: Sample, b: Sample) => verdict(pairVector(order(b), order(a), backgroundWeights));

const LAMP: [string, string, string] = ['城乡建设', '市政设施', '路灯'];
const ELEVATOR: [string, string, string] = ['住房保障', '物业管理', '电梯故障'];
const FEES: [string, string, string] = ['住房保障', '物业管理', '物业收费'];

describe('similarity model', () => {
  it('finds the same caller calling again about the same lamp in other words (a repeat)', () => {
    const first = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见。', day: 0 };
    const again = { phone: '13900001111', address: '柳荫路33号门口', category: LAMP, content: '上周说过柳荫路33号那里路灯坏了，到现在还是黑的，什么时候来修？', day: 9 };
    expect(judge(first, again).kind).toBe('repeat');
  });

  it('finds other callers about the same lamp at the same place (a hotspot)', () => {
    const first = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见。', day: 0 };
    const other = { phone: '13700002222', address: '柳荫路33号附近', category: LAMP, content: '柳荫路33号附近一段路灯都不亮，老人晚上出门摔了一跤，请修一下。', day: 3 };
    expect(judge(first, other).kind).toBe('hotspot');
  });

  it('does not take the same caller\'s other matter for a repeat', () => {
    const lamp = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见。', day: 0 };
    const fees = { phone: '13900001111', address: '金桂苑小区', category: FEES, content: '金桂苑物业今年把停车费从每月一百涨到两百，没有开业主大会，是否合规？', day: 5 };
    expect(judge(lamp, fees).kind).toBe('similar');
    expect(judge(lamp, fees).score).toBeLessThan(0.3);
  });

  it('keeps apart different problems of one compound (several problems, several matters)', () => {
    const elevator = { phone: '13600003333', address: '金桂苑小区5栋', category: ELEVATOR, content: '金桂苑5栋电梯三天两头停运，今天又把人关在里面半小时。', day: 0 };
    const fees = { phone: '13500004444', address: '金桂苑小区', category: FEES, content: '金桂苑物业今年把停车费从每月一百涨到两百，没有开业主大会，是否合规？', day: 4 };
    expect(judge(elevator, fees).kind).toBe('similar');
  });

  it('keeps apart the same caller\'s same problem on another road, worded almost identically', () => {
    const here = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前一段路灯不亮，晚上很黑，请尽快维修路灯。', day: 0 };
    const there = { phone: '13900001111', street: 11, address: '青松路8号', category: LAMP, content: '青松路8号门前一段路灯不亮，晚上很黑，请尽快维修路灯。', day: 2 };
    expect(judge(here, there).kind).toBe('similar');
  });

  it('keeps apart the same problem on another road, worded almost identically', () => {
    const here = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '市民来电反映：柳荫路33号门前一段路灯不亮，晚上很黑。诉求：请尽快维修路灯。', day: 0 };
    const there = { phone: '13700002222', address: '青松路8号', category: LAMP, content: '市民来电反映：青松路8号门前一段路灯不亮，晚上很黑。诉求：请尽快维修路灯。', day: 2 };
    expect(judge(here, there).kind).toBe('similar');
  });

  it('keeps apart two buildings of one compound by their numbers when the words are alike', () => {
    const five = { phone: '13600003333', address: '金桂苑5栋', category: ELEVATOR, content: '金桂苑5栋电梯坏了，停运两天没人修。', day: 0 };
    const nine = { phone: '13500004444', address: '金桂苑9栋', category: ELEVATOR, content: '金桂苑9栋电梯坏了，停运两天没人修。', day: 1 };
    const vector = pairVector(order(nine), order(five), backgroundWeights);
    expect(vector.numbersConflict).toBe(1);
    expect(sameMatterProbability(vector)).toBeLessThan(judge(five, { ...five, phone: '13500004444', day: 1 }).score);
  });

  it("puts a repeat in its caller's matter even when another matter's combined evidence is stronger", () => {
    const w = { repeatThreshold: SIMILARITY_WEIGHTS.repeatThreshold, hotspotThreshold: SIMILARITY_WEIGHTS.hotspotThreshold };
    const others = [0.97, 0.96, 0.95].map((score) => ({ matterId: 2, score, sameCaller: false, eligible: true }));
    const callers = { matterId: 1, score: w.repeatThreshold + 0.05, sameCaller: true, eligible: true };
    expect(chooseMatter([...others, callers], w)).toBe(1);
    // Below the repeat threshold the caller's order is one sign among others; ineligible, none.
    expect(chooseMatter([...others, { ...callers, score: w.repeatThreshold - 0.05 }], w)).toBe(2);
    expect(chooseMatter([...others, { ...callers, eligible: false }], w)).toBe(2);
    // Two matters without the caller: the stronger combined evidence.
    expect(chooseMatter([...others, { matterId: 3, score: 0.99, sameCaller: false, eligible: true }], w)).toBe(2);
  });

  it('explains a candidate in words a person checks', () => {
    const first = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见。', day: 0 };
    const again = { phone: '13900001111', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前路灯还是不亮，上次反映后没人来修。', day: 12 };
    const reasons = reasonsFor(pairVector(order(again), order(first), backgroundWeights), 12);
    const text = reasonText(reasons);
    expect(text).toMatch(/^同一来电人 · 内容相似 0\.\d\d · 同一地址 · 同一分类 · 12 天前$/);
  });

  it('computes the four word cosines in one pass as their definitions say (text and topic, plain and weighted, area words aside)', () => {
    const samples: Sample[] = [
      { phone: '1', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见。', day: 0 },
      { phone: '2', address: '柳荫路33号附近', category: LAMP, content: '柳荫路33号附近一段路灯都不亮，老人晚上出门摔了一跤。', day: 1 },
      { phone: '3', address: '幸福小区5栋', category: ELEVATOR, content: '幸福小区5栋电梯故障，物业管理处不管，老人下楼困难。', day: 2 },
      { phone: '4', address: '幸福小区', category: FEES, content: '幸福小区物业管理费上涨没有公示，物业收费不合理。', day: 3 },
      { phone: '5', address: '滨河街道幸福小区5栋2单元', category: ELEVATOR, content: '电梯又坏了，幸福小区的电梯一个月坏三次，物业只是简单修理。', day: 4 },
      { phone: '6', address: '', category: FEES, content: '咨询物业费标准。', day: 5 },
      { phone: '7', address: '柳荫路', category: LAMP, content: 'Wi-Fi 路灯 LED 不亮', day: 6 },
      { phone: '8', address: '江北区', category: ['城乡建设', '市政设施', '井盖'], content: '', day: 7 },
    ];
    const orders = samples.map(order);
    const frequencies = new DocumentFrequencies();
    for (const o of orders) frequencies.add(wordsOf(o.profile).text.keys());
    const fixed = new FixedTermWeights(frequencies, dictionary);
    const unweighted: TermWeights = { weight: () => 1 };
    let shared = 0;
    for (const { profile: a } of orders) {
      for (const { profile: b } of orders) {
        const area = new Set([...a.source.categoryAreaTerms, ...b.source.categoryAreaTerms]);
        const wordsA = wordsOf(a);
        const wordsB = wordsOf(b);
        const one = wordCosines(a, b, fixed);
        expect(one.text).toBeCloseTo(definedCosine(wordsA.text, wordsB.text, unweighted), 12);
        expect(one.topic).toBeCloseTo(definedCosine(wordsA.topic, wordsB.topic, unweighted), 12);
        expect(one.textWeighted).toBeCloseTo(definedCosine(wordsA.text, wordsB.text, frequencies), 12);
        expect(one.topicWeighted).toBeCloseTo(definedCosine(wordsA.topic, wordsB.topic, frequencies, area), 12);
        // Symmetric, whichever order comes first.
        const turned = wordCosines(b, a, fixed);
        for (const name of ['text', 'topic', 'textWeighted', 'topicWeighted'] as const) expect(turned[name]).toBeCloseTo(one[name], 12);
        if (one.topicWeighted > 0 && one.topicWeighted < 0.99) shared++;
      }
    }
    // The samples share topic words, place names and area words: the cases the pass tells apart occur.
    expect(shared).toBeGreaterThan(10);
    const lamp = orders[0].profile;
    const self = wordCosines(lamp, lamp, fixed);
    for (const value of Object.values(self)) expect(value).toBeCloseTo(1, 12);
    // With every weight 1 the weighted cosines are the plain ones.
    const plain = new FixedTermWeights(unweighted, dictionary);
    for (const { profile: a } of orders) {
      for (const { profile: b } of orders) {
        const cosines = wordCosines(a, b, plain);
        expect(cosines.textWeighted).toBeCloseTo(cosines.text, 12);
      }
    }
  });

  it('compares profiles made with one dictionary whatever order their terms were first seen in', () => {
    const first = { phone: '1', address: '柳荫路33号', category: LAMP, content: '柳荫路33号门前的两盏路灯不亮已经一周。', day: 0 };
    const second = { phone: '2', address: '柳荫路33号附近', category: LAMP, content: '晚上走路看不见，柳荫路33号附近路灯都不亮。', day: 1 };
    const vectorIn = (seenFirst: Sample) => {
      const own = new TermDictionary();
      own.idsOf(wordsOf(order(seenFirst).profile).text.keys());
      const made = (sample: Sample): ComparedOrder => {
        const compared = order(sample);
        return { facts: compared.facts, profile: profileOf(compared.profile.source, own) };
      };
      return pairVector(made(second), made(first), new FixedTermWeights(background, own));
    };
    const one = vectorIn(first);
    const other = vectorIn(second);
    for (const name of Object.keys(one) as (keyof PairVector)[]) expect(other[name]).toBeCloseTo(one[name], 12);
    expect(one.textCosine).toBeGreaterThan(0.3);
  });

  it('weighs a shared rare word above a shared common one', () => {
    const frequencies = new DocumentFrequencies();
    for (let i = 0; i < 10; i++) frequencies.add(['夜间', i === 0 ? '塔吊' : '烧烤']);
    const profile = (content: string) => order({ phone: '1', address: '', category: LAMP, content, day: 0 }).profile;
    const night = profile('夜间，塔吊');
    const weights = new FixedTermWeights(frequencies, dictionary);
    const rare = wordCosines(night, profile('塔吊，烧烤'), weights);
    const common = wordCosines(night, profile('夜间，烧烤'), weights);
    expect(rare.text).toBeCloseTo(common.text, 12);
    expect(rare.textWeighted).toBeGreaterThan(common.textWeighted);
  });
});

/**
 * A cosine as defined, written out plainly: Σ a·b·w² over the words both have / √(Σ (a·w)² · Σ (b·w)²), the words
 * `excluded` left out of all three sums; 0 when a sum is 0.
 */
function definedCosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, weights: TermWeights, excluded: ReadonlySet<string> = new Set()): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, count] of a) {
    if (excluded.has(term)) continue;
    const w = weights.weight(term);
    normA += (count * w) ** 2;
    dot += count * (b.get(term) ?? 0) * w * w;
  }
  for (const [term, count] of b) if (!excluded.has(term)) normB += (count * weights.weight(term)) ** 2;
  return dot === 0 || normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
