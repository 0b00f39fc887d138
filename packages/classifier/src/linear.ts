/**
 * A small, deterministic trainer for sparse linear models: L2-regularised logistic
 * regression fitted with AdaGrad over shuffled epochs. Hand-written because the npm
 * libraries we looked at want dense matrices, and these vectors have 2^22 dimensions.
 */

/** Bound once: reading `Math` in a hot loop is slow where the global object is a sandbox (jest's vm contexts). */
const { sqrt, exp, floor, imul } = Math;

export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

export interface LinearOptions {
  epochs: number;
  /** L2 penalty per example step, applied to the active features (sparse L2). */
  l2: number;
  learningRate: number;
  seed: number;
  /** Weight of positive examples in the loss (1 = balanced by count). */
  positiveWeight?: number;
  /** Optional per-example weights (multiplied with positiveWeight). */
  sampleWeights?: ArrayLike<number>;
}

export interface LinearModel {
  weights: Float64Array;
  bias: number;
}

/** A deterministic PRNG (mulberry32), so training is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = imul(a ^ (a >>> 15), 1 | a);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function dot(weights: ArrayLike<number>, row: SparseRow): number {
  let s = 0;
  for (let k = 0; k < row.indices.length; k++) s += (weights[row.indices[k] as number] as number) * (row.values[k] as number);
  return s;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + exp(-z));
  const e = exp(z);
  return e / (1 + e);
}

export function trainLogistic(rows: SparseRow[], labels: ArrayLike<number>, dim: number, options: LinearOptions): LinearModel {
  const weights = new Float64Array(dim);
  const grad2 = new Float64Array(dim);
  let bias = 0;
  let biasGrad2 = 0;
  const random = rng(options.seed);
  const order = rows.map((_, i) => i);
  const eta = options.learningRate;
  const positiveWeight = options.positiveWeight ?? 1;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const row = rows[i] as SparseRow;
      const y = labels[i] as number;
      const p = sigmoid(dot(weights, row) + bias);
      const sampleWeight = (y === 1 ? positiveWeight : 1) * (options.sampleWeights ? (options.sampleWeights[i] as number) : 1);
      const g = (p - y) * sampleWeight;
      for (let k = 0; k < row.indices.length; k++) {
        const j = row.indices[k] as number;
        const gj = g * (row.values[k] as number) + options.l2 * (weights[j] as number);
        grad2[j] = (grad2[j] as number) + gj * gj;
        weights[j] = (weights[j] as number) - (eta * gj) / sqrt((grad2[j] as number) + 1e-8);
      }
      biasGrad2 += g * g;
      bias -= (eta * g) / sqrt(biasGrad2 + 1e-8);
    }
  }
  return { weights, bias };
}

/**
 * Naive Bayes log-count ratios over the same sparse rows (Bernoulli presence, Laplace
 * smoothing `alpha`, weighted examples): r_j = log((s_j+α)/(S+2α)) − log((h_j+α)/(H+2α)).
 * One pass, no iterations; its weights are added (scaled) to the logistic model's, which
 * makes the pair one linear model (an ensemble at no run-time cost).
 */
export function trainNaiveBayes(
  rows: SparseRow[],
  labels: ArrayLike<number>,
  dim: number,
  alpha: number,
  sampleWeights?: ArrayLike<number>,
): LinearModel {
  const spam = new Float64Array(dim);
  const ham = new Float64Array(dim);
  let spamTotal = 0;
  let hamTotal = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as SparseRow;
    const w = sampleWeights ? (sampleWeights[i] as number) : 1;
    const counts = labels[i] === 1 ? spam : ham;
    if (labels[i] === 1) spamTotal += w;
    else hamTotal += w;
    for (let k = 0; k < row.indices.length; k++) {
      const j = row.indices[k] as number;
      counts[j] = (counts[j] as number) + w;
    }
  }
  const weights = new Float64Array(dim);
  const spamNorm = Math.log(spamTotal + 2 * alpha);
  const hamNorm = Math.log(hamTotal + 2 * alpha);
  for (let j = 0; j < dim; j++) {
    const s = spam[j] as number;
    const h = ham[j] as number;
    if (s === 0 && h === 0) continue;
    weights[j] = Math.log(s + alpha) - spamNorm - (Math.log(h + alpha) - hamNorm);
  }
  return { weights, bias: 0 };
}
