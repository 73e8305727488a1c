/**
 * `npm run train:repeat -- <file.jsonl> [more.jsonl …]`: fits the similarity model's weights on labelled files (the
 * format of ../shared/data/repeat-dev.jsonl) and writes src/repeat-detection/model/similarity-weights.ts.
 *
 * The model is a logistic regression over the pair features of similarity-model.ts (each scaled to mean 0 and
 * standard deviation 1, so a weight says how much that signal counts), fitted on the pairs the detector's index
 * actually proposes (the keys of matter-keys.ts within the windows), labelled by the files' matterId. The two
 * thresholds are then chosen on the same files by replaying the detector's matter assignment. Before fitting on
 * everything, it reports a cross-check: trained on half of the districts, measured on the others (other places,
 * other streets' words) — the figure to expect on a city the model has not seen.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PAIR_FEATURES, type PairFeature, type PairVector, type SimilarityWeights } from '../similarity-model';
import { candidatePairs, prepare, proposedPairs, type PreparedOrder } from './offline-detector';
import { precisionRecall, truePairs, summaryLine, type PrecisionRecall } from './pair-scores';
import { readDataset, type DatasetOrder } from './repeat-dataset';

const WINDOWS = { repeatWindowDays: 90, hotspotWindowDays: 30 };
const L2 = 0.01;
const ITERATIONS = 4000;
const LEARNING_RATE = 0.5;
const SIMILAR_FLOOR = 0.3;

interface Example {
  vector: PairVector;
  same: boolean;
}

function examplesOf(prepared: readonly PreparedOrder[]): { examples: Example[]; candidates: ReturnType<typeof candidatePairs> } {
  const candidates = candidatePairs(prepared, WINDOWS);
  const examples = candidates.flat().map((pair) => ({ vector: pair.vector, same: prepared[pair.later].order.matterId === prepared[pair.earlier].order.matterId }));
  return { examples, candidates };
}

/** Logistic regression by gradient descent; positives weighted up to the negatives' count (they are rare). */
function fit(examples: readonly Example[]): Pick<SimilarityWeights, 'features' | 'bias'> {
  const n = examples.length;
  const columns = PAIR_FEATURES.map((name) => examples.map((e) => e.vector[name]));
  const means = columns.map((values) => values.reduce((a, b) => a + b, 0) / n);
  const scales = columns.map((values, j) => Math.sqrt(values.reduce((a, v) => a + (v - means[j]) ** 2, 0) / n) || 1);
  const x = examples.map((_, i) => PAIR_FEATURES.map((_, j) => (columns[j][i] - means[j]) / scales[j]));
  const y = examples.map((e) => (e.same ? 1 : 0));
  const positives = y.reduce<number>((a, b) => a + b, 0);
  const positiveWeight = Math.sqrt((n - positives) / Math.max(1, positives));
  const w = new Array<number>(PAIR_FEATURES.length).fill(0);
  let bias = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gradient = new Array<number>(w.length).fill(0);
    let biasGradient = 0;
    for (let i = 0; i < n; i++) {
      let z = bias;
      for (let j = 0; j < w.length; j++) z += w[j] * x[i][j];
      const error = (1 / (1 + Math.exp(-z)) - y[i]) * (y[i] === 1 ? positiveWeight : 1);
      for (let j = 0; j < w.length; j++) gradient[j] += error * x[i][j];
      biasGradient += error;
    }
    for (let j = 0; j < w.length; j++) w[j] -= LEARNING_RATE * (gradient[j] / n + L2 * w[j]);
    bias -= LEARNING_RATE * (biasGradient / n);
  }
  const features = Object.fromEntries(PAIR_FEATURES.map((name, j) => [name, { mean: round(means[j]), scale: round(scales[j]), weight: round(w[j]) }])) as Record<PairFeature, { mean: number; scale: number; weight: number }>;
  return { features, bias: round(bias) };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function measure(prepared: readonly PreparedOrder[], candidates: ReturnType<typeof candidatePairs>, weights: SimilarityWeights): { repeats: PrecisionRecall; hotspots: PrecisionRecall } {
  const proposed = proposedPairs(prepared, candidates, weights);
  const truth = truePairs(prepared.map((p) => p.order));
  return { repeats: precisionRecall(proposed.repeats, truth.repeats), hotspots: precisionRecall(proposed.hotspots, truth.hotspots) };
}

const GRID = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97];

/** The worst of the four figures (both precisions and recalls) for every pair of thresholds of the grid. */
function gridFigures(prepared: readonly PreparedOrder[], candidates: ReturnType<typeof candidatePairs>, model: Pick<SimilarityWeights, 'features' | 'bias'>): number[][] {
  return GRID.map((repeatThreshold) =>
    GRID.map((hotspotThreshold) => {
      const m = measure(prepared, candidates, { ...model, repeatThreshold, hotspotThreshold, similarFloor: SIMILAR_FLOOR, trainedOn: '' });
      return Math.min(m.repeats.precision, m.repeats.recall, m.hotspots.precision, m.hotspots.recall);
    }),
  );
}

/** Halves of the districts: the model fitted on one half is measured on the other (other places, other words). */
function districtFolds(orders: readonly DatasetOrder[]): { trainOn: string[]; train: DatasetOrder[]; test: DatasetOrder[] }[] {
  const districts = [...new Set(orders.map((o) => o.district))].sort();
  if (districts.length < 2) return [];
  const half = Math.ceil(districts.length / 2);
  const splits = [districts.slice(0, half), districts.slice(half), districts.filter((_, i) => i % 2 === 0), districts.filter((_, i) => i % 2 === 1)];
  return splits
    .map((trainOn) => ({ trainOn, train: orders.filter((o) => trainOn.includes(o.district)), test: orders.filter((o) => !trainOn.includes(o.district)) }))
    .filter((fold) => fold.train.length > 0 && fold.test.length > 0);
}

/**
 * The thresholds, chosen where they hold on places the model was not fitted on: for each split of the districts, the
 * model is fitted on one half and replayed on the other over a grid of thresholds; each cell is judged by its worst
 * figure over all splits, averaged with its grid neighbours (the middle of a broad good region rather than a lone
 * best cell). Thresholds fitted on the training file alone move a lot between splits; these do not.
 */
function chooseThresholds(orders: readonly DatasetOrder[]): { repeatThreshold: number; hotspotThreshold: number } {
  const folds = districtFolds(orders);
  const sets = folds.length > 0 ? folds : [{ trainOn: [], train: [...orders], test: [...orders] }];
  const perFold = sets.map((fold) => {
    const model = fit(examplesOf(prepare(fold.train)).examples);
    const prepared = prepare(fold.test);
    return gridFigures(prepared, candidatePairs(prepared, WINDOWS), model);
  });
  const worst = GRID.map((_, i) => GRID.map((__, j) => Math.min(...perFold.map((cells) => cells[i][j]))));
  let best = { repeatThreshold: 0.5, hotspotThreshold: 0.5, smoothed: -1, own: -1 };
  GRID.forEach((repeatThreshold, i) =>
    GRID.forEach((hotspotThreshold, j) => {
      const neighbours = [worst[i - 1]?.[j], worst[i + 1]?.[j], worst[i][j - 1], worst[i][j + 1], worst[i][j]].filter((c) => c !== undefined);
      const smoothed = neighbours.reduce((a, c) => a + c, 0) / neighbours.length;
      const own = worst[i][j];
      if (smoothed > best.smoothed + 1e-9 || (Math.abs(smoothed - best.smoothed) <= 1e-9 && own > best.own)) best = { repeatThreshold, hotspotThreshold, smoothed, own };
    }),
  );
  return { repeatThreshold: best.repeatThreshold, hotspotThreshold: best.hotspotThreshold };
}

export function train(orders: readonly DatasetOrder[], thresholds: { repeatThreshold: number; hotspotThreshold: number }): SimilarityWeights {
  const model = fit(examplesOf(prepare(orders)).examples);
  return { ...model, ...thresholds, similarFloor: SIMILAR_FLOOR, trainedOn: '' };
}

/** What to expect on another city: for each split, thresholds and weights from one half only, measured on the other. */
function crossCheck(orders: readonly DatasetOrder[]): void {
  for (const fold of districtFolds(orders)) {
    const weights = train(fold.train, chooseThresholds(fold.train));
    const prepared = prepare(fold.test);
    const m = measure(prepared, candidatePairs(prepared, WINDOWS), weights);
    console.log(`cross-check: trained on ${fold.trainOn.join('、')}, measured on the other districts: ${summaryLine(m.repeats, m.hotspots)}`);
  }
}

function main(): void {
  const files = process.argv.slice(2).map((f) => (isAbsolute(f) ? f : resolve(process.env.INIT_CWD ?? process.cwd(), f)));
  if (files.length === 0) throw new Error('Usage: npm run train:repeat -- <file.jsonl> [more.jsonl …]');
  const orders = files.flatMap((file) => readDataset(file));
  crossCheck(orders);
  const weights = { ...train(orders, chooseThresholds(orders)), trainedOn: `${files.map((f) => f.split('/').pop()).join(', ')} (${orders.length} orders)` };
  const prepared = prepare(orders);
  const m = measure(prepared, candidatePairs(prepared, WINDOWS), weights);
  console.log(`on the training files themselves: ${summaryLine(m.repeats, m.hotspots)}`);
  console.log(`thresholds: repeat ${weights.repeatThreshold}, hotspot ${weights.hotspotThreshold}`);
  for (const name of PAIR_FEATURES) console.log(`  ${name.padEnd(24)} weight ${weights.features[name].weight.toFixed(3)}`);
  const target = join(__dirname, '..', '..', '..', 'src', 'repeat-detection', 'model', 'similarity-weights.ts');
  if (process.env.TRAIN_DRY_RUN === '1') return;
  writeFileSync(
    target,
    `import type { SimilarityWeights } from '../similarity-model';\n\n/** Written by \`npm run train:repeat\` (evaluation/train-repeat.ts); do not edit by hand. */\nexport const SIMILARITY_WEIGHTS: SimilarityWeights = ${JSON.stringify(weights, null, 2)};\n`,
  );
  console.log(`wrote ${target}`);
}

if (require.main === module) main();
