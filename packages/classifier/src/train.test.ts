import { DEFAULT_FEATURE_CONFIG } from './features';
import { chooseThreshold, countAt, fitSlope, groupedFolds, mcc, trainModel } from './train';

const small = { ...DEFAULT_FEATURE_CONFIG, hashBits: 14 };
const examples = [
  ...[
    'claim your cash prize now',
    'you won a prize call now',
    'free prize claim today',
    'cash prize waiting claim',
    'win cash now call',
    'prize draw winner call now',
  ].map((text) => ({
    text,
    spam: true,
    category: 'fraud' as const,
  })),
  ...[
    'see you at lunch',
    'running late sorry',
    'meeting moved to three',
    'call me after work',
    'dinner at mine tonight?',
    'thanks for the lift',
  ].map((text) => ({ text, spam: false })),
];

describe('trainModel', () => {
  it('learns to separate the classes it is given', () => {
    const { model, report } = trainModel(examples, { features: small, folds: 3, epochs: 30 });
    expect(report).toMatchObject({ examples: 12, spam: 6, ham: 6 });
    expect(model.spam.indices.length).toBeGreaterThan(0);
    expect(model.features).toEqual(small);
  });

  it('is reproducible: the same examples and seed give the same weights', () => {
    const a = trainModel(examples, { features: small, folds: 3, createdAt: 'x' }).model;
    const b = trainModel(examples, { features: small, folds: 3, createdAt: 'x' }).model;
    expect(a).toEqual(b);
  });

  it('reports progress through every phase', () => {
    const phases = new Set<string>();
    trainModel(examples, { features: small, folds: 2, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['features', 'cross-validation', 'final', 'category']);
  });

  it('refuses to train on nothing', () => {
    expect(() => trainModel([])).toThrow(/no training examples/);
  });
});

describe('chooseThreshold', () => {
  it('picks the cut with the best MCC that keeps false positives within the limit', () => {
    const scores = [5, 4, 3, 2.5, 2, 1, 0, -1];
    const labels = [1, 1, 1, 0, 1, 0, 0, 0];
    // Without a limit the best cut lets the negative at 2.5 through to catch the positive at 2.
    const loose = chooseThreshold(scores, labels, 1);
    expect(countAt(scores, labels, loose)).toEqual({ tp: 4, fp: 1, tn: 3, fn: 0 });
    // With no false positive allowed it must stop above 2.5.
    const strict = chooseThreshold(scores, labels, 0);
    expect(countAt(scores, labels, strict)).toEqual({ tp: 3, fp: 0, tn: 4, fn: 1 });
    expect(strict).toBeGreaterThan(2.5);
    expect(strict).toBeLessThan(3);
  });
});

describe('mcc', () => {
  it('is 1 for a perfect split, 0 without a positive prediction, -1 for an inverted one', () => {
    expect(mcc({ tp: 5, fp: 0, tn: 5, fn: 0 })).toBe(1);
    expect(mcc({ tp: 0, fp: 0, tn: 5, fn: 5 })).toBe(0);
    expect(mcc({ tp: 0, fp: 5, tn: 0, fn: 5 })).toBe(-1);
  });
});

describe('fitSlope', () => {
  it('grows steeper when the scores separate the classes more cleanly', () => {
    const labels = [0, 0, 0, 1, 1, 1, 0, 1];
    const noisy = fitSlope([-1, -0.5, 0.2, 0.5, 1, -0.2, 0.6, 0.1], labels, 0);
    const clean = fitSlope([-1, -0.5, -0.2, 0.5, 1, 0.3, -0.6, 0.1], labels, 0);
    expect(clean).toBeGreaterThan(noisy);
    expect(noisy).toBeGreaterThan(0);
  });
});

describe('groupedFolds', () => {
  it('keeps identical texts (ignoring case and spaces around) in one fold, so cross-validation is not flattered by duplicates', () => {
    const texts = ['Win now', 'hello', ' win NOW ', 'bye', 'win now', 'other'];
    const folds = groupedFolds(texts, 3, 1);
    expect(folds[0]).toBe(folds[2]);
    expect(folds[0]).toBe(folds[4]);
    expect(new Set(folds).size).toBeGreaterThan(1);
    for (const f of folds) expect(f).toBeGreaterThanOrEqual(0);
  });
});
