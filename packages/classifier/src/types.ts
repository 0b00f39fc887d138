import type { SpamCategory } from '@srs/core';
import type { FeatureConfig } from './features';

export { SPAM_CATEGORIES, type SpamCategory } from '@srs/core';
export type Category = SpamCategory | 'not_spam';

export interface Classification {
  spam: boolean;
  category: Category;
  /** Confidence in the spam / not-spam decision, 0..1 (0.5 at the decision boundary). */
  confidence: number;
  /** ISO 639-1 code ('en', 'id', 'zh', …) or 'und'. */
  language: string;
  /** Calibrated probability that the text is spam, 0..1 (the verdict weighs it with the reports' evidence). */
  probability: number;
  /** The kind of spam it would be: `category` when spam, the best guess otherwise (a verdict may overrule the model). */
  spamCategory: SpamCategory;
  /** A payment or credential lure: a link or number to call with a pretext asking for money or details. */
  lure: boolean;
  /** Version of the model that judged it. */
  modelVersion: string;
}

/** A sparse linear model as stored: parallel arrays of bucket indices and weights. */
export interface StoredLinear {
  bias: number;
  indices: number[];
  weights: number[];
}

export interface CorpusInfo {
  name: string;
  file: string;
  sha256: string;
  rows: number;
}

/** The model artifact (model/model-v1.json). */
export interface ModelData {
  format: 'srs-sms-spam-classifier';
  version: string;
  createdAt: string;
  corpora: CorpusInfo[];
  features: FeatureConfig;
  /** Spam vs not spam: the margin is compared with `threshold`; `slope` maps it to a probability. */
  spam: StoredLinear & { threshold: number; slope: number };
  /** Fraud vs marketing among spam that no rule claims. */
  fraudVsMarketing: StoredLinear;
  training?: Record<string, unknown>;
}
