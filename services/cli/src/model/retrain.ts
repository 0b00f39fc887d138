/**
 * Learning from operators (issue 25, point 3): a candidate model trained on the
 * shipped corpora plus the operators' verdicts, measured beside the active model
 * on the same held-out splits, and the figures that fell, if any. Pure: the
 * command reads the corpora, the verdicts and the active model, and stores the
 * outcome.
 */
import { createHash } from 'node:crypto';
import {
  countAt,
  createClassifier,
  duplicateKey,
  mcc,
  trainModel,
  type BinaryCounts,
  type LabelledCorpus,
  type ModelData,
  type TrainingExample,
  type TrainOptions,
  type TrainProgress,
} from '@srs/classifier';

/** Which texts are held out: a keyed hash of each text, so the same ones on every run and every machine. */
export interface HeldOutSpec {
  seed: number;
  /** share of each corpus's spam and of its ham held out, and of the operators' verdicts */
  fraction: number;
}

export const HELD_OUT: HeldOutSpec = { seed: 7726, fraction: 0.2 };

/** How far a figure may fall before the candidate is refused, beyond one message's worth. */
export interface Tolerance {
  mcc: number;
  /** spam caught and ham blocked, as rates (0.005: half a percentage point) */
  rate: number;
}

export const TOLERANCE: Tolerance = { mcc: 0.01, rate: 0.005 };

/** An operator verdict counts as this many corpus messages: a campaign's text, judged by people who block it. */
export const OPERATOR_WEIGHT = 5;

/** The set of held-out examples the operators' verdicts make. */
export const OPERATOR_SET = 'operators';

/** Per text, how many distinct operators blocked it and how many called it a false positive. */
export interface OperatorVotes {
  text: string;
  spamOperators: number;
  hamOperators: number;
}

export interface OperatorLabel {
  text: string;
  spam: boolean;
  /** operators on the winning side */
  operators: number;
}

/**
 * One label per text by majority of the operators' voices (each operator one
 * voice per text, see ModelRepository.operatorLabels); a tie is dropped.
 * Masked parts become neutral stand-ins (see `surrogateText`).
 */
export function resolveOperatorLabels(rows: readonly OperatorVotes[]): { labels: OperatorLabel[]; tiesDropped: number } {
  const labels: OperatorLabel[] = [];
  let tiesDropped = 0;
  for (const row of rows) {
    if (row.spamOperators === row.hamOperators) {
      if (row.spamOperators > 0) tiesDropped++;
      continue;
    }
    const spam = row.spamOperators > row.hamOperators;
    const text = surrogateText(row.text);
    if (duplicateKey(text) === '') continue;
    labels.push({ text, spam, operators: spam ? row.spamOperators : row.hamOperators });
  }
  return { labels, tiesDropped };
}

/**
 * A campaign's text has its varying parts masked (`<url>`, `<phone>`, …, see
 * core `maskText`). The classifier reads links, numbers and amounts as
 * signals, so each mask becomes a neutral thing of that kind, the same for
 * every text: reserved example domains and a drama-range number, nobody's.
 */
const SURROGATES: Record<string, string> = {
  '<url>': 'http://example.com/x',
  '<email>': 'info@example.com',
  '<amount>': '$100',
  '<phone>': '+447700900123',
  '<name>': 'alex',
  '<token>': 'a1b2c3d4',
  '<num>': '1234',
};

export function surrogateText(masked: string): string {
  return masked.replace(/<(?:url|email|amount|phone|name|token|num)>/g, (mask) => SURROGATES[mask] as string);
}

/** A keyed hash of a text's duplicate key, in [0, 1). */
export function textHash(text: string, seed: number): number {
  return (
    createHash('sha256')
      .update(`${seed}\u0000${duplicateKey(text)}`)
      .digest()
      .readUInt32BE(0) /
    2 ** 32
  );
}

/**
 * A stratified split of one corpus: of its spam and of its ham, the `fraction`
 * whose keyed hashes are lowest (identical texts side by side) are held out.
 */
export function splitCorpus(
  examples: readonly TrainingExample[],
  spec: HeldOutSpec,
): { train: TrainingExample[]; heldOut: TrainingExample[] } {
  const held = new Set<TrainingExample>();
  for (const spam of [false, true]) {
    const group = examples
      .filter((e) => e.spam === spam)
      .map((e) => ({ e, h: textHash(e.text, spec.seed) }))
      .sort((a, b) => a.h - b.h);
    const count = Math.round(group.length * spec.fraction);
    if (count === 0) continue;
    // Texts equal to the last one held out go with it.
    const cut = group[count - 1]!.h;
    for (const { e, h } of group) if (h <= cut) held.add(e);
  }
  return { train: examples.filter((e) => !held.has(e)), heldOut: examples.filter((e) => held.has(e)) };
}

/**
 * The operators' verdicts held out: by the keyed hash alone, so that as
 * verdicts accumulate a text stays on the side it was on, and a model trained
 * before never saw the texts it is measured on now.
 */
export function splitOperatorLabels(
  labels: readonly OperatorLabel[],
  spec: HeldOutSpec,
): { train: OperatorLabel[]; heldOut: OperatorLabel[] } {
  const heldOut: OperatorLabel[] = [];
  const train: OperatorLabel[] = [];
  for (const label of labels) (textHash(label.text, spec.seed ^ 0x0b5) < spec.fraction ? heldOut : train).push(label);
  return { train, heldOut };
}

/** At most `max` examples of a corpus, spam and ham in proportion, the same ones every run (tests train on a few). */
export function limitCorpus(examples: readonly TrainingExample[], max: number, seed: number): TrainingExample[] {
  if (examples.length <= max) return [...examples];
  const spam = examples.filter((e) => e.spam);
  const keepSpam = Math.max(spam.length > 0 ? 1 : 0, Math.round((max * spam.length) / examples.length));
  const pick = (group: TrainingExample[], n: number) =>
    new Set(
      group
        .map((e) => ({ e, h: textHash(e.text, seed ^ 0x11) }))
        .sort((a, b) => a.h - b.h)
        .slice(0, n)
        .map((x) => x.e),
    );
  const kept = new Set([
    ...pick(spam, keepSpam),
    ...pick(
      examples.filter((e) => !e.spam),
      max - keepSpam,
    ),
  ]);
  return examples.filter((e) => kept.has(e));
}

export interface EvalSet {
  name: string;
  language: string;
  examples: Array<{ text: string; spam: boolean }>;
}

export interface Figures {
  set: string;
  language: string;
  n: number;
  spam: number;
  ham: number;
  mcc: number;
  /** share of the spam called spam */
  spamCaught: number;
  /** share of the ham called spam */
  hamBlocked: number;
  counts: BinaryCounts;
}

export interface Splits {
  train: TrainingExample[];
  /** the same, without the operators' verdicts: what a control trained like the shipped model learns from */
  trainCorporaOnly: TrainingExample[];
  heldOut: EvalSet[];
  operatorTrain: number;
  operatorHeldOut: number;
}

/**
 * Training and held-out examples. Held out: each corpus's stratified split and
 * the operators' held-out verdicts. No text held out anywhere is trained on
 * (a text in two corpora, or a corpus text an operator judged, stays out).
 */
export function buildSplits(
  corpora: readonly LabelledCorpus[],
  labels: readonly OperatorLabel[],
  spec: HeldOutSpec,
  operatorWeight: number,
): Splits {
  const heldOut: EvalSet[] = [];
  const corpusTrain: TrainingExample[] = [];
  for (const corpus of corpora) {
    const split = splitCorpus(corpus.examples, spec);
    heldOut.push({ name: corpus.name, language: corpus.language, examples: split.heldOut.map((e) => ({ text: e.text, spam: e.spam })) });
    corpusTrain.push(...split.train);
  }
  const ops = splitOperatorLabels(labels, spec);
  heldOut.push({ name: OPERATOR_SET, language: 'mixed', examples: ops.heldOut.map((l) => ({ text: l.text, spam: l.spam })) });
  const held = new Set(heldOut.flatMap((s) => s.examples.map((e) => duplicateKey(e.text))));
  const trainCorporaOnly = corpusTrain.filter((e) => !held.has(duplicateKey(e.text)));
  const operatorExamples: TrainingExample[] = ops.train
    .filter((l) => !held.has(duplicateKey(l.text)))
    .map((l) => ({ text: l.text, spam: l.spam, weight: operatorWeight }));
  return {
    train: [...trainCorporaOnly, ...operatorExamples],
    trainCorporaOnly,
    heldOut,
    operatorTrain: operatorExamples.length,
    operatorHeldOut: ops.heldOut.length,
  };
}

/** A model's figures on one held-out set. */
export function evaluate(classify: (text: string) => { spam: boolean }, set: EvalSet): Figures {
  const predicted = set.examples.map((e) => (classify(e.text).spam ? 1 : 0));
  const counts = countAt(
    predicted,
    set.examples.map((e) => (e.spam ? 1 : 0)),
    0.5,
  );
  const spam = counts.tp + counts.fn;
  const ham = counts.tn + counts.fp;
  return {
    set: set.name,
    language: set.language,
    n: set.examples.length,
    spam,
    ham,
    mcc: round4(mcc(counts)),
    spamCaught: round4(spam === 0 ? 1 : counts.tp / spam),
    hamBlocked: round4(ham === 0 ? 0 : counts.fp / ham),
    counts,
  };
}

export function evaluateModel(model: ModelData, sets: readonly EvalSet[]): Figures[] {
  const classifier = createClassifier(model);
  return sets.map((set) => evaluate((text) => classifier.classify(text), set));
}

/** A figure that fell beyond the tolerance. */
export interface Fall {
  set: string;
  figure: 'MCC' | 'spam caught' | 'ham blocked';
  before: number;
  after: number;
}

/**
 * The figures of `candidate` that are worse than those of `reference` on the
 * same set by more than the tolerance and by more than one message's worth
 * (on a small set one message moves a rate by 1/n). A set missing from the
 * reference, or without both classes for MCC, is not compared on that figure.
 */
export function compareFigures(candidate: readonly Figures[], reference: readonly Figures[], tolerance: Tolerance = TOLERANCE): Fall[] {
  const falls: Fall[] = [];
  for (const after of candidate) {
    const before = reference.find((r) => r.set === after.set);
    if (!before || after.n === 0) continue;
    if (after.spam > 0 && before.spamCaught - after.spamCaught > Math.max(tolerance.rate, 1 / after.spam) + 1e-9) {
      falls.push({ set: after.set, figure: 'spam caught', before: before.spamCaught, after: after.spamCaught });
    }
    if (after.ham > 0 && after.hamBlocked - before.hamBlocked > Math.max(tolerance.rate, 1 / after.ham) + 1e-9) {
      falls.push({ set: after.set, figure: 'ham blocked', before: before.hamBlocked, after: after.hamBlocked });
    }
    if (after.spam > 0 && after.ham > 0 && before.mcc - after.mcc > Math.max(tolerance.mcc, oneMessageMcc(before.counts)) + 1e-9) {
      falls.push({ set: after.set, figure: 'MCC', before: before.mcc, after: after.mcc });
    }
  }
  return falls;
}

/** How much one more mistake (a spam missed, or a ham blocked) moves the MCC of these counts. */
function oneMessageMcc(c: BinaryCounts): number {
  const base = mcc(c);
  const missed = c.tp > 0 ? base - mcc({ ...c, tp: c.tp - 1, fn: c.fn + 1 }) : 0;
  const blocked = c.tn > 0 ? base - mcc({ ...c, tn: c.tn - 1, fp: c.fp + 1 }) : 0;
  return Math.max(missed, blocked, 0);
}

export function describeFall(f: Fall): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const show = f.figure === 'MCC' ? (x: number) => x.toFixed(4) : pct;
  return `${f.set}: ${f.figure} ${f.figure === 'ham blocked' ? 'rose' : 'fell'} from ${show(f.before)} to ${show(f.after)}`;
}

/** What the held-out split was, recorded in each model trained here: a model with the same one is compared directly. */
export interface HeldOutRecord extends HeldOutSpec {
  /** the corpora the splits were drawn from, by name, with the digest of their examples */
  corpora: Record<string, string>;
}

export function heldOutRecord(corpora: readonly LabelledCorpus[], spec: HeldOutSpec): HeldOutRecord {
  const digest = (c: LabelledCorpus) =>
    createHash('sha256')
      .update(c.examples.map((e) => `${e.spam ? 1 : 0}\t${e.text}`).join('\n'))
      .digest('hex')
      .slice(0, 16);
  return { ...spec, corpora: Object.fromEntries(corpora.map((c) => [c.name, digest(c)])) };
}

/** True when `model` was trained here on the same held-out split: its figures on it are out of sample. */
export function sameHeldOut(model: ModelData, record: HeldOutRecord): boolean {
  const theirs = (model.training as { heldOut?: HeldOutRecord } | undefined)?.heldOut;
  if (!theirs || theirs.seed !== record.seed || theirs.fraction !== record.fraction) return false;
  const names = Object.keys(record.corpora);
  return names.length === Object.keys(theirs.corpora ?? {}).length && names.every((n) => theirs.corpora[n] === record.corpora[n]);
}

export interface RetrainInput {
  corpora: readonly LabelledCorpus[];
  operatorLabels: readonly OperatorLabel[];
  active: ModelData;
  /** the model whose feature configuration and training options the candidate takes: the shipped one, the current recipe */
  recipe: ModelData;
  /** the version the candidate gets */
  version: string;
  createdAt?: string;
  spec?: HeldOutSpec;
  tolerance?: Tolerance;
  operatorWeight?: number;
  /** training options beyond the active model's own (tests: fewer epochs or folds) */
  trainOptions?: Partial<TrainOptions>;
  onProgress?: (step: 'candidate' | 'control', progress: TrainProgress) => void;
}

export interface RetrainOutcome {
  model: ModelData;
  candidate: Figures[];
  /** what the candidate was compared with, set by set */
  reference: { version: string; kind: 'active' | 'control'; figures: Figures[] };
  /** the active model's own figures on the same sets (in sample on the corpora when it was trained on all of them) */
  active: Figures[];
  falls: Fall[];
  heldOut: HeldOutRecord;
  training: { examples: number; operatorTrain: number; operatorHeldOut: number; operatorWeight: number; milliseconds: number };
}

/**
 * Trains the candidate on the training splits plus the operators' verdicts,
 * with the shipped model's feature configuration and options, and measures it
 * beside the reference on every held-out set. The reference is the active
 * model, except on the corpora when the active model saw their held-out texts
 * (the shipped one, trained on every row: its figures there are in sample):
 * there it is a control trained exactly like the candidate without the
 * operators' verdicts, i.e. the active model's recipe measured out of sample.
 */
export function retrain(input: RetrainInput): RetrainOutcome {
  const started = Date.now();
  const spec = input.spec ?? HELD_OUT;
  const weight = input.operatorWeight ?? OPERATOR_WEIGHT;
  const record = heldOutRecord(input.corpora, spec);
  const splits = buildSplits(input.corpora, input.operatorLabels, spec, weight);
  const recipeOptions = (input.recipe.training as { options?: Record<string, unknown> } | undefined)?.options ?? {};
  const options: TrainOptions = {
    ...pickTrainOptions(recipeOptions),
    ...input.trainOptions,
    features: input.recipe.features,
  };
  const { model } = trainModel(splits.train, {
    ...options,
    version: input.version,
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    corpora: input.corpora.map((c) => ({ name: c.name, file: c.file ?? c.name, sha256: c.sha256 ?? '', rows: c.examples.length })),
    onProgress: (p) => input.onProgress?.('candidate', p),
  });
  model.training = {
    ...(model.training ?? {}),
    options,
    heldOut: record,
    operatorVerdicts: { train: splits.operatorTrain, heldOut: splits.operatorHeldOut, weight },
  };
  const candidate = evaluateModel(model, splits.heldOut);
  const active = evaluateModel(input.active, splits.heldOut);
  let reference: RetrainOutcome['reference'] = { version: input.active.version, kind: 'active', figures: active };
  if (!sameHeldOut(input.active, record)) {
    // Without verdicts to learn from, the control would be the candidate itself (same examples, same seed).
    const controlFigures =
      splits.operatorTrain === 0
        ? candidate.filter((f) => f.set !== OPERATOR_SET)
        : evaluateModel(
            trainModel(splits.trainCorporaOnly, {
              ...options,
              version: `${input.active.version}-control`,
              onProgress: (p) => input.onProgress?.('control', p),
            }).model,
            splits.heldOut.filter((s) => s.name !== OPERATOR_SET),
          );
    reference = {
      version: input.active.version,
      kind: 'control',
      figures: [...controlFigures, ...active.filter((f) => f.set === OPERATOR_SET)],
    };
  }
  return {
    model,
    candidate,
    reference,
    active,
    falls: compareFigures(candidate, reference.figures, input.tolerance ?? TOLERANCE),
    heldOut: record,
    training: {
      examples: splits.train.length,
      operatorTrain: splits.operatorTrain,
      operatorHeldOut: splits.operatorHeldOut,
      operatorWeight: weight,
      milliseconds: Date.now() - started,
    },
  };
}

/** The options a model records that trainModel takes again: its plain settings, not its version, date or corpora. */
function pickTrainOptions(o: Record<string, unknown>): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'version' || k === 'createdAt' || k === 'corpora' || k === 'features') continue;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[k] = v;
  }
  return out as Partial<TrainOptions>;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
