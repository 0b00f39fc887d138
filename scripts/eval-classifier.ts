/**
 * Evaluates the spam classifier.
 *
 *   npm run eval [-- --data DIR] [-- --json FILE]
 *
 * (a) SMS Spam Collection with the protocol of Almeida et al. (2011): the first 30% of the
 *     file trains a fresh model (same training code; threshold by cross-validation inside
 *     that 30%), the other 70% tests it. Printed beside the paper's best result.
 * (b) Indonesian corpus: stratified 70/30 split with a fixed seed; a fresh model learns from
 *     the UCI collection, the Indonesian 70% and the Chinese seeds; confusion matrix on the 30%.
 * (c) The SHIPPED model on hand-written modern examples (packages/classifier/fixtures).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createClassifier,
  defaultClassifier,
  indonesianExampleFromRow,
  trainModel,
  uciExampleFromRow,
  countAt,
  mcc,
  type Category,
  type IndonesianRow,
  type SpamClassifier,
} from '../packages/classifier/src';
import { loadCorpora, progressBar, resolveDataDir, seedExamples, TRAIN_OPTIONS } from './train-classifier';

const PAPER = { name: 'Almeida et al. 2011, best (SVM)', accuracy: 0.9764, spamCaught: 0.831, hamBlocked: 0.0018, mcc: 0.893 };
const TARGET = { mcc: 0.94, hamBlocked: 0.003 };
const INDONESIAN_SPLIT_SEED = 20240601;
const PREDICTED: Category[] = ['not_spam', 'fraud', 'marketing', 'smishing', 'premium_rate', 'malware', 'other'];

interface Binary {
  accuracy: number;
  spamCaught: number;
  hamBlocked: number;
  mcc: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

function binary(predicted: boolean[], actual: boolean[]): Binary {
  const c = countAt(
    predicted.map((p) => (p ? 1 : 0)),
    actual.map((a) => (a ? 1 : 0)),
    0.5,
  );
  return {
    accuracy: (c.tp + c.tn) / predicted.length,
    spamCaught: c.tp / Math.max(1, c.tp + c.fn),
    hamBlocked: c.fp / Math.max(1, c.fp + c.tn),
    mcc: mcc(c),
    ...c,
  };
}

const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;
const out = (s = ''): void => void process.stdout.write(s + '\n');

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ') + ' |';
  out(line(header));
  out('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of rows) out(line(r));
}

function uciProtocol(dataDir: string) {
  const { uci } = loadCorpora(dataDir);
  const cut = Math.floor(uci.length * 0.3);
  const train = uci.slice(0, cut);
  const test = uci.slice(cut);
  out(`(a) SMS Spam Collection, Almeida et al. protocol: first ${train.length} messages (30%) train, last ${test.length} (70%) test`);
  const bar = progressBar('train 30%');
  const { model, report } = trainModel(train.map(uciExampleFromRow), { ...TRAIN_OPTIONS, onProgress: bar.onProgress });
  bar.stop();
  const classifier = createClassifier(model);
  const actual = test.map((r) => r.label === 'spam');
  const explained = test.map((r) => classifier.explain(r.text));
  const full = binary(
    explained.map((e) => e.spam),
    actual,
  );
  const modelOnly = binary(
    explained.map((e) => e.modelProbability >= 0.5),
    actual,
  );
  const row = (name: string, b: { accuracy: number; spamCaught: number; hamBlocked: number; mcc: number }): string[] => [name, pct(b.accuracy), pct(b.spamCaught), pct(b.hamBlocked), b.mcc.toFixed(3)];
  out();
  table(
    ['', 'accuracy', 'spam caught', 'ham blocked', 'MCC'],
    [row(PAPER.name, PAPER), row('this classifier (model + rules)', full), row('this classifier, model alone', modelOnly)],
  );
  out();
  out(`  test counts: spam caught ${full.tp}/${full.tp + full.fn}, ham blocked ${full.fp}/${full.fp + full.tn}`);
  out(
    `  threshold chosen by 5-fold CV inside the 30%: ${report.crossValidation.threshold.toFixed(4)} (CV MCC ${report.crossValidation.mcc.toFixed(4)}, ` +
      `fp ${report.crossValidation.counts.fp}, fn ${report.crossValidation.counts.fn})`,
  );
  const met = full.mcc >= TARGET.mcc && full.hamBlocked <= TARGET.hamBlocked;
  out(`  target MCC >= ${TARGET.mcc} with ham blocked <= ${pct(TARGET.hamBlocked, 1)}: ${met ? 'MET' : 'NOT MET'}`);
  const overrides = explained.filter((e) => e.override).length;
  out(`  rule overrides on the test set: ${overrides}`);
  return { train: train.length, test: test.length, paper: PAPER, target: TARGET, targetMet: met, modelAndRules: full, modelAlone: modelOnly, crossValidation: report.crossValidation };
}

/** Stratified split: within each label, a seeded shuffle, the first 70% train. */
function stratifiedSplit(rows: IndonesianRow[], seed: number): { train: IndonesianRow[]; test: IndonesianRow[] } {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const train: IndonesianRow[] = [];
  const test: IndonesianRow[] = [];
  for (const label of [0, 1, 2] as const) {
    const group = rows.filter((r) => r.label === label);
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j] as IndonesianRow, group[i] as IndonesianRow];
    }
    const cut = Math.round(group.length * 0.7);
    train.push(...group.slice(0, cut));
    test.push(...group.slice(cut));
  }
  return { train, test };
}

function indonesianProtocol(dataDir: string) {
  const corpora = loadCorpora(dataDir);
  const { train, test } = stratifiedSplit(corpora.indonesian, INDONESIAN_SPLIT_SEED);
  out();
  out(`(b) Indonesian corpus: stratified 70/30 split (seed ${INDONESIAN_SPLIT_SEED}), ${train.length} train / ${test.length} test;`);
  out(`    the fresh model also learns from the whole UCI collection and the Chinese seeds`);
  const bar = progressBar('train id 70%');
  const { model } = trainModel([...corpora.uci.map(uciExampleFromRow), ...train.map(indonesianExampleFromRow), ...seedExamples()], {
    ...TRAIN_OPTIONS,
    onProgress: bar.onProgress,
  });
  bar.stop();
  const classifier = createClassifier(model);
  const names = { 0: 'normal', 1: 'fraud', 2: 'promo' } as const;
  const expected = { 0: 'not_spam', 1: 'fraud', 2: 'marketing' } as const;
  const matrix: Record<string, Record<string, number>> = {};
  let correct = 0;
  const predicted = test.map((r) => classifier.classify(r.text));
  test.forEach((r, i) => {
    const p = (predicted[i] as { category: Category }).category;
    const row = (matrix[names[r.label]] ??= Object.fromEntries(PREDICTED.map((c) => [c, 0])));
    row[p] = (row[p] ?? 0) + 1;
    if (p === expected[r.label]) correct++;
  });
  out();
  table(
    ['actual \\ predicted', ...PREDICTED, 'total'],
    (['normal', 'fraud', 'promo'] as const).map((name) => {
      const row = matrix[name] ?? {};
      return [name, ...PREDICTED.map((c) => String(row[c] ?? 0)), String(Object.values(row).reduce((s, n) => s + n, 0))];
    }),
  );
  const spamHam = binary(
    predicted.map((p) => p.spam),
    test.map((r) => r.label !== 0),
  );
  out();
  out(`  category accuracy (normal→not_spam, fraud→fraud, promo→marketing): ${pct(correct / test.length)} (${correct}/${test.length})`);
  out(`  spam vs not spam: accuracy ${pct(spamHam.accuracy)}, spam caught ${pct(spamHam.spamCaught)}, ham blocked ${pct(spamHam.hamBlocked)}, MCC ${spamHam.mcc.toFixed(3)}`);
  return { seed: INDONESIAN_SPLIT_SEED, train: train.length, test: test.length, confusion: matrix, categoryAccuracy: correct / test.length, spamVsNotSpam: spamHam };
}

interface ModernExample {
  text: string;
  spam: boolean;
  category?: string;
  language: string;
}

function modernExamples(classifier: SpamClassifier) {
  const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'packages', 'classifier', 'fixtures', 'modern-examples.json'), 'utf8')) as { examples: ModernExample[] };
  out();
  out(`(c) Shipped model ${classifier.version} on ${fixture.examples.length} hand-written modern examples (never trained on)`);
  out();
  const results = fixture.examples.map((e) => {
    const c = classifier.explain(e.text);
    return { ...e, predicted: { spam: c.spam, category: c.category, confidence: Math.round(c.confidence * 1000) / 1000, language: c.language, override: c.override ?? null } };
  });
  for (const r of results) {
    const ok = r.predicted.spam === r.spam;
    const cat = r.spam ? ` ${r.predicted.category}${r.category && r.predicted.category !== r.category ? ` (expected ${r.category})` : ''}` : '';
    const text = r.text.length > 70 ? r.text.slice(0, 69) + '…' : r.text;
    out(`  ${ok ? 'ok  ' : 'MISS'} ${r.spam ? 'spam' : 'ham '} → ${r.predicted.spam ? 'spam' : 'ham '}${cat} conf ${r.predicted.confidence.toFixed(2)} lang ${r.predicted.language}${r.predicted.override ? ` [${r.predicted.override}]` : ''}  ${text}`);
  }
  const spam = results.filter((r) => r.spam);
  const ham = results.filter((r) => !r.spam);
  const caught = spam.filter((r) => r.predicted.spam).length;
  const blocked = ham.filter((r) => r.predicted.spam).length;
  const categoryRight = spam.filter((r) => r.predicted.category === r.category).length;
  const languageRight = results.filter((r) => r.predicted.language === r.language).length;
  out();
  out(`  spam caught ${caught}/${spam.length}, ham blocked ${blocked}/${ham.length}, category as expected ${categoryRight}/${spam.length}, language right ${languageRight}/${results.length}`);
  return { spamCaught: caught, spam: spam.length, hamBlocked: blocked, ham: ham.length, categoryAsExpected: categoryRight, languageRight, results };
}

function speed(classifier: SpamClassifier, texts: string[]) {
  for (const t of texts.slice(0, 500)) classifier.classify(t); // warm up
  const started = process.hrtime.bigint();
  let n = 0;
  for (let round = 0; round < 3; round++) for (const t of texts) (classifier.classify(t), n++);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / n;
  out();
  out(`Speed: shipped model classifies one message in ${micros.toFixed(1)} µs on average (${n} classifications, one core)`);
  return { microsecondsPerMessage: micros, messages: n };
}

function main(): void {
  const argv = process.argv.slice(2);
  const dataDir = resolveDataDir(argv);
  const jsonIndex = argv.indexOf('--json');
  const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
  if (jsonIndex >= 0 && !jsonFile) throw new Error('--json needs a file name');

  const uci = uciProtocol(dataDir);
  const indonesian = indonesianProtocol(dataDir);
  const shipped = defaultClassifier();
  const modern = modernExamples(shipped);
  const corpora = loadCorpora(dataDir);
  const timing = speed(shipped, [...corpora.uci.map((r) => r.text), ...corpora.indonesian.map((r) => r.text)]);

  if (jsonFile) {
    const file = resolve(jsonFile);
    writeFileSync(file, JSON.stringify({ modelVersion: shipped.version, uci, indonesian, modern, speed: timing }, null, 2) + '\n');
    out(`\nMetrics written to ${file}`);
  }
}

main();
