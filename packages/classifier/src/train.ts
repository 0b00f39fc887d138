/**
 * Training: examples in, a model object out. Pure (no I/O); the scripts read the corpora
 * and write the artifact. The decision threshold is chosen on out-of-fold scores of the
 * training examples only (k-fold cross-validation, duplicates kept in one fold), never on
 * a test set.
 */
import { DEFAULT_FEATURE_CONFIG, extractFeatures, type FeatureConfig, type Features } from './features';
import { rng, shuffle, sigmoid, trainLogistic, trainNaiveBayes, dot, type LinearModel, type SparseRow } from './linear';
import type { Signals } from './signals';
import type { CorpusInfo, ModelData, SpamCategory, StoredLinear } from './types';

export interface TrainingExample {
  text: string;
  spam: boolean;
  /** Kind of spam, when known; only 'fraud' and 'marketing' train the learned split. */
  category?: SpamCategory;
  /** Weight in the loss (default 1). */
  weight?: number;
  /** The corpus's own label ('ham', 'spam', 'smishing', 'fraud', 'promo', …), for evaluation only. */
  corpusLabel?: string;
}

export interface TrainProgress {
  phase: 'features' | 'cross-validation' | 'final' | 'category';
  done: number;
  total: number;
}

export interface TrainOptions {
  features?: FeatureConfig;
  epochs?: number;
  l2?: number;
  learningRate?: number;
  seed?: number;
  /** Folds of the cross-validation that picks the threshold (default 5). */
  folds?: number;
  /** Largest out-of-fold false-positive rate the threshold may allow (default 0.002). */
  maxFalsePositiveRate?: number;
  /** Features seen in fewer training messages are dropped from the artifact (default 2). */
  minDocumentFrequency?: number;
  /** At most this many weights per model are kept in the artifact, the largest in magnitude (default: all). */
  maxFeatures?: number;
  /**
   * Weight of the naive Bayes log-count ratios added to the logistic weights (0 = logistic
   * alone). The two see the same features; the sum is one linear model.
   */
  naiveBayes?: number;
  /** Laplace smoothing of the naive Bayes counts (weighted messages). */
  naiveBayesAlpha?: number;
  version?: string;
  createdAt?: string;
  corpora?: CorpusInfo[];
  onProgress?: (progress: TrainProgress) => void;
}

export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface TrainingReport {
  examples: number;
  spam: number;
  ham: number;
  distinctFeatures: number;
  keptFeatures: { spam: number; fraudVsMarketing: number };
  categoryExamples: { fraud: number; marketing: number };
  crossValidation: { folds: number; threshold: number; slope: number; counts: BinaryCounts; mcc: number };
  milliseconds: number;
}

/** Hyper-parameters, chosen by cross-validation inside the first 30% of the UCI collection. */
export const TRAIN_DEFAULTS = {
  epochs: 20,
  l2: 1e-4,
  learningRate: 0.5,
  seed: 1,
  folds: 5,
  maxFalsePositiveRate: 0.002,
  minDocumentFrequency: 2,
  naiveBayes: 0,
  naiveBayesAlpha: 1,
};

export function trainModel(examples: TrainingExample[], options: TrainOptions = {}): { model: ModelData; report: TrainingReport } {
  const started = Date.now();
  const o = { ...TRAIN_DEFAULTS, ...options };
  const config = options.features ?? DEFAULT_FEATURE_CONFIG;
  const dim = 1 << config.hashBits;
  const progress = options.onProgress ?? (() => undefined);
  if (examples.length === 0) throw new Error('no training examples');

  const rows: Features[] = [];
  for (let i = 0; i < examples.length; i++) {
    rows.push(extractFeatures((examples[i] as TrainingExample).text, config));
    if (i % 200 === 0 || i === examples.length - 1) progress({ phase: 'features', done: i + 1, total: examples.length });
  }
  const labels = examples.map((e) => (e.spam ? 1 : 0));
  const weights = examples.map((e) => e.weight ?? 1);
  const linear = { epochs: o.epochs, l2: o.l2, learningRate: o.learningRate, seed: o.seed };
  /** The spam model: logistic regression, plus naive Bayes ratios when asked for. */
  const fitSpam = (r: SparseRow[], y: number[], w: number[]): LinearModel => {
    const m = trainLogistic(r, y, dim, { ...linear, sampleWeights: w });
    if (o.naiveBayes > 0) {
      const nb = trainNaiveBayes(r, y, dim, o.naiveBayesAlpha, w);
      for (let j = 0; j < dim; j++) m.weights[j] = (m.weights[j] as number) + o.naiveBayes * (nb.weights[j] as number);
    }
    return m;
  };

  // Out-of-fold margins: each example scored by a model that did not see it (nor its duplicates).
  const foldOf = groupedFolds(
    examples.map((e) => e.text),
    o.folds,
    o.seed,
  );
  const oof = new Float64Array(examples.length);
  for (let f = 0; f < o.folds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    foldOf.forEach((fold, i) => (fold === f ? testIdx : trainIdx).push(i));
    const m = fitSpam(
      trainIdx.map((i) => rows[i] as SparseRow),
      trainIdx.map((i) => labels[i] as number),
      trainIdx.map((i) => weights[i] as number),
    );
    for (const i of testIdx) oof[i] = dot(m.weights, rows[i] as SparseRow) + m.bias;
    progress({ phase: 'cross-validation', done: f + 1, total: o.folds });
  }
  const threshold = chooseThreshold(oof, labels, o.maxFalsePositiveRate);
  const slope = fitSlope(oof, labels, threshold);
  const cvCounts = countAt(oof, labels, threshold);

  const final = fitSpam(rows, labels, weights);
  progress({ phase: 'final', done: 1, total: 1 });

  // Fraud vs marketing, on the spam whose kind is known.
  const catIdx = examples.map((e, i) => (e.spam && (e.category === 'fraud' || e.category === 'marketing') ? i : -1)).filter((i) => i >= 0);
  const catModel = trainLogistic(
    catIdx.map((i) => rows[i] as SparseRow),
    catIdx.map((i) => ((examples[i] as TrainingExample).category === 'fraud' ? 1 : 0)),
    dim,
    { ...linear, sampleWeights: catIdx.map((i) => weights[i] as number) },
  );
  progress({ phase: 'category', done: 1, total: 1 });

  const df = documentFrequency(rows, dim);
  const spamStored = store(final, df, o.minDocumentFrequency, options.maxFeatures);
  const catStored = store(catModel, df, o.minDocumentFrequency, options.maxFeatures);
  let distinct = 0;
  for (const n of df) if (n > 0) distinct++;

  const model: ModelData = {
    format: 'srs-sms-spam-classifier',
    version: options.version ?? '1.0.0',
    createdAt: options.createdAt ?? new Date().toISOString(),
    corpora: options.corpora ?? [],
    features: config,
    spam: { ...spamStored, threshold: round(threshold, 6), slope: round(slope, 6) },
    fraudVsMarketing: catStored,
  };
  const report: TrainingReport = {
    examples: examples.length,
    spam: labels.filter((y) => y === 1).length,
    ham: labels.filter((y) => y === 0).length,
    distinctFeatures: distinct,
    keptFeatures: { spam: spamStored.indices.length, fraudVsMarketing: catStored.indices.length },
    categoryExamples: {
      fraud: catIdx.filter((i) => (examples[i] as TrainingExample).category === 'fraud').length,
      marketing: catIdx.filter((i) => (examples[i] as TrainingExample).category === 'marketing').length,
    },
    crossValidation: { folds: o.folds, threshold, slope, counts: cvCounts, mcc: mcc(cvCounts) },
    milliseconds: Date.now() - started,
  };
  return { model, report };
}

/** Fold per example; identical texts (trimmed, case-folded) share a fold so CV is not flattered by duplicates. */
export function groupedFolds(texts: string[], folds: number, seed: number): number[] {
  const order = shuffle(
    texts.map((_, i) => i),
    rng(seed ^ 0x5eed),
  );
  const position = new Array<number>(texts.length);
  order.forEach((i, k) => (position[i] = k));
  const byText = new Map<string, number>();
  return texts.map((text, i) => {
    const key = text.trim().toLowerCase();
    let fold = byText.get(key);
    if (fold === undefined) {
      fold = (position[i] as number) % folds;
      byText.set(key, fold);
    }
    return fold;
  });
}

export function countAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): BinaryCounts {
  const c: BinaryCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) > threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  }
  return c;
}

export function mcc(c: BinaryCounts): number {
  const d = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn));
  return d === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / d;
}

/**
 * The threshold with the best MCC among those whose false-positive rate stays within the
 * limit; when several cuts tie, the middle one, which is least sensitive to noise.
 */
export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, maxFalsePositiveRate: number): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const positives = Array.from(labels as ArrayLike<number>).filter((y) => y === 1).length;
  const negatives = scores.length - positives;
  const c: BinaryCounts = { tp: 0, fp: 0, tn: negatives, fn: positives };
  const first = scores[order[0] as number] as number;
  const candidates: Array<{ cut: number; score: number }> = [{ cut: first + 1, score: mcc(c) }];
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (labels[i] === 1) {
      c.tp++;
      c.fn--;
    } else {
      c.fp++;
      c.tn--;
    }
    const here = scores[i] as number;
    const next = k + 1 < order.length ? (scores[order[k + 1] as number] as number) : here - 1;
    if (next === here) continue; // a cut must fall between distinct scores
    if (negatives > 0 && c.fp / negatives > maxFalsePositiveRate) break;
    candidates.push({ cut: (here + next) / 2, score: mcc(c) });
  }
  const best = Math.max(...candidates.map((x) => x.score));
  const ties = candidates.filter((x) => x.score >= best - 1e-12).map((x) => x.cut);
  return ties[Math.floor(ties.length / 2)] as number;
}

/** Slope a of p = sigmoid(a (s − t)), fitted by maximum likelihood (Newton's method). */
export function fitSlope(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number {
  let a = 1;
  for (let iter = 0; iter < 50; iter++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < scores.length; i++) {
      const x = (scores[i] as number) - threshold;
      const p = sigmoid(a * x);
      g += ((labels[i] as number) - p) * x;
      h += p * (1 - p) * x * x;
    }
    if (h <= 1e-12) break;
    const step = g / h;
    a = Math.min(50, Math.max(0.05, a + step));
    if (Math.abs(step) < 1e-6) break;
  }
  return a;
}

function documentFrequency(rows: Features[], dim: number): Uint32Array {
  const df = new Uint32Array(dim);
  for (const row of rows) for (const j of row.indices) df[j] = (df[j] as number) + 1;
  return df;
}

function store(model: LinearModel, df: Uint32Array, minDf: number, maxFeatures = Infinity): StoredLinear {
  let kept: number[] = [];
  for (let j = 0; j < model.weights.length; j++) {
    const w = model.weights[j] as number;
    if (w === 0 || (df[j] as number) < minDf || Math.abs(w) < 1e-4) continue;
    kept.push(j);
  }
  if (kept.length > maxFeatures) {
    // Pruning: the smallest weights move a margin least; ties broken by index, so it is reproducible.
    kept = kept
      .sort((a, b) => Math.abs(model.weights[b] as number) - Math.abs(model.weights[a] as number) || a - b)
      .slice(0, maxFeatures)
      .sort((a, b) => a - b);
  }
  return { bias: round(model.bias, 6), indices: kept, weights: kept.map((j) => round(model.weights[j] as number, 4)) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A weak label for spam of a corpus without kinds (the UCI collection): prize wording is
 * fraud, offers and opt-outs are marketing, anything else stays unlabelled.
 */
export function weakSpamCategory(signals: Signals): SpamCategory | undefined {
  if (signals.prize) return 'fraud';
  if (signals.promo || signals.optOut) return 'marketing';
  return undefined;
}
