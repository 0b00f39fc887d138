/**
 * The classifier at run time: a model object in, classify(text) out. Pure: the only I/O is
 * reading the bundled model file once, lazily, for the default classifier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoryFromFraudScore, isStrongLure, ruleCategory } from './category';
import { extractFeatures, type Features } from './features';
import { detectTextLanguage as detectLanguage } from '@srs/core';
import { sigmoid } from './linear';
import type { Signals } from './signals';
import type { Classification, ModelData, SpamCategory, StoredLinear } from './types';

/** Bound once: reading `Math` in a hot loop is slow where the global object is a sandbox (jest's vm contexts). */
const { min, max } = Math;

/** The artifact shipped in the package, beside src/ and dist/ alike. */
export const MODEL_FILE = join(__dirname, '..', 'model', 'model-v1.json');

/** Below this much confidence a strong lure (link + bank/parcel/toll pretext + payment or credentials) is raised to spam. */
const STRONG_LURE_CONFIDENCE = 0.9;
/** A one-time-code message is spam only when the model is at least this sure. */
const OTP_SPAM_PROBABILITY = 0.99;

/**
 * The model's weights as a dense array over the hashed feature space: one
 * memory read per feature (2^22 buckets, 16 MB per model), which is what
 * makes classification cheap enough for thousands of reports a second.
 */
class WeightTable {
  private readonly dense: Float32Array;
  readonly bias: number;
  readonly size: number;

  constructor(stored: StoredLinear, hashBits: number) {
    this.dense = new Float32Array(1 << hashBits);
    this.bias = stored.bias;
    this.size = stored.indices.length;
    for (let i = 0; i < stored.indices.length; i++) this.dense[stored.indices[i] as number] = stored.weights[i] as number;
  }

  get(key: number): number {
    return this.dense[key] ?? 0;
  }

  margin(features: Features): number {
    let s = this.bias;
    for (let i = 0; i < features.indices.length; i++) s += this.get(features.indices[i] as number) * (features.values[i] as number);
    return s;
  }
}

/** What the classifier saw, for evaluation and debugging. */
export interface Explanation extends Classification {
  /** Raw margin of the spam model. */
  margin: number;
  /** Probability of spam from the model alone (0.5 at the threshold). */
  modelProbability: number;
  /** The rule that changed the model's decision, if any. */
  override?: 'strong-lure' | 'one-time-code';
  /** Category by rule, before the learned fraud/marketing split. */
  ruleCategory?: SpamCategory;
  /** NaN when the fraud/marketing model was not needed (not spam, or a rule decided the category) */
  fraudProbability: number;
  signals: Signals;
}

export class SpamClassifier {
  private readonly spam: WeightTable;
  private readonly fraud: WeightTable;

  constructor(readonly model: ModelData) {
    validateModel(model);
    this.spam = new WeightTable(model.spam, model.features.hashBits);
    this.fraud = new WeightTable(model.fraudVsMarketing, model.features.hashBits);
  }

  get version(): string {
    return this.model.version;
  }

  classify(text: string): Classification {
    const { spam, category, confidence, language, probability, spamCategory, lure, modelVersion } = this.explain(text);
    return { spam, category, confidence, language, probability, spamCategory, lure, modelVersion };
  }

  explain(text: string): Explanation {
    const features = extractFeatures(typeof text === 'string' ? text : '', this.model.features);
    const s = features.signals;
    const margin = this.spam.margin(features);
    const modelProbability = sigmoid(this.model.spam.slope * (margin - this.model.spam.threshold));
    let p = modelProbability;
    let override: Explanation['override'];
    if (p < STRONG_LURE_CONFIDENCE && isStrongLure(s)) {
      p = STRONG_LURE_CONFIDENCE;
      override = 'strong-lure';
    } else if (p >= 0.5 && p < OTP_SPAM_PROBABILITY && isPlainOneTimeCode(s)) {
      p = 1 - p;
      override = 'one-time-code';
    }
    const spam = p >= 0.5;
    const rule = ruleCategory(s);
    // The fraud/marketing model decides only what no rule placed: skip its weights otherwise.
    const fraudProbability = rule ? Number.NaN : sigmoid(this.fraud.margin(features));
    const spamCategory = rule ?? categoryFromFraudScore(fraudProbability);
    return {
      spam,
      category: spam ? spamCategory : 'not_spam',
      confidence: clamp01(spam ? p : 1 - p),
      language: detectLanguage(features.clean),
      probability: clamp01(p),
      spamCategory,
      lure: isLure(s),
      modelVersion: this.model.version,
      margin,
      modelProbability,
      ...(override ? { override } : {}),
      ...(rule ? { ruleCategory: rule } : {}),
      fraudProbability,
      signals: s,
    };
  }
}

/** Money or credentials asked for through a link or a number to call: what the verdict counts as a lure. */
function isLure(s: Signals): boolean {
  return isStrongLure(s) || ((s.credential || s.payment) && (s.url || s.phone));
}

/** "Your code is 123456": a code, no link, no number to call, no money or prize. */
function isPlainOneTimeCode(s: Signals): boolean {
  return (
    s.otp &&
    !s.url &&
    !s.phone &&
    !s.money &&
    !s.prize &&
    !s.premiumNumber &&
    !s.tariff &&
    !s.shortCodeReply &&
    !s.accountAlert &&
    s.length <= 240
  );
}

function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0.5;
  return min(1, max(0, x));
}

export function validateModel(model: ModelData): void {
  const fail = (why: string): never => {
    throw new Error(`invalid spam classifier model: ${why}`);
  };
  if (!model || typeof model !== 'object') fail('not an object');
  if (model.format !== 'srs-sms-spam-classifier') fail(`unknown format ${String(model.format)}`);
  for (const part of ['spam', 'fraudVsMarketing'] as const) {
    const m = model[part];
    if (!m || !Array.isArray(m.indices) || !Array.isArray(m.weights) || m.indices.length !== m.weights.length) fail(`${part} weights`);
  }
  if (!Number.isFinite(model.spam.threshold) || !Number.isFinite(model.spam.slope)) fail('threshold or slope');
  if (!model.features || !Number.isInteger(model.features.hashBits)) fail('feature config');
}

export function createClassifier(model: ModelData): SpamClassifier {
  return new SpamClassifier(model);
}

export function loadModel(file: string = MODEL_FILE): ModelData {
  return JSON.parse(readFileSync(file, 'utf8')) as ModelData;
}

let shipped: SpamClassifier | undefined;

/** The classifier with the model committed in this package, loaded on first use. */
export function defaultClassifier(): SpamClassifier {
  shipped ??= createClassifier(loadModel());
  return shipped;
}

/** Classifies one message with the shipped model. */
export function classify(text: string): Classification {
  return defaultClassifier().classify(text);
}
