/**
 * The training corpora shipped in packages/classifier/corpora (see its README.md), read
 * and parsed into labelled examples. The only I/O is reading those files; parsing,
 * weighting and the cross-set duplicate check are pure (`parseCorpus`, `dropCrossDuplicates`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './corpus';
import type { TrainingExample } from './train';
import type { SpamCategory } from './types';

/** The corpora beside src/ and dist/ alike. */
export const CORPORA_DIR = join(__dirname, '..', 'corpora');

export interface LabelledCorpus {
  /** Short name (the file name without extension). */
  name: string;
  /** Main language(s), ISO 639-1, comma separated ('en', 'zh', 'en,hi,te'). */
  language: string;
  examples: TrainingExample[];
  file?: string;
  sha256?: string;
  /** Rows in the file. */
  rows?: number;
  /** Rows dropped because their text (normalised) is also in another corpus. */
  crossDuplicatesDropped?: number;
  /** Rows left out of training on purpose (see `CorpusSpec.exclude`). */
  excluded?: number;
}

type Format = 'tsv' | 'indonesian-csv';

export interface CorpusSpec {
  file: string;
  name: string;
  language: string;
  format: Format;
  title: string;
  /**
   * Effective size of each class in the loss: a class with more rows than its budget gets
   * weight budget/rows per example, so one big corpus does not drown the others.
   */
  budget?: { ham?: number; spam?: number };
  /**
   * At most this many rows of a class are kept (a seeded sample, the same on every run): the
   * weight budget already caps their say, and fewer rows train faster.
   */
  sample?: { ham?: number; spam?: number };
  /** Weight of every example of the corpus (noisy labels weigh less). Default 1. */
  weight?: number;
  /** Rows not used at all (labels that contradict what this service calls spam). */
  exclude?: (text: string, spam: boolean) => boolean;
}

/**
 * Vietnamese advertising from operators and brands is labelled 0 ("not smishing") in that
 * corpus, but subscribers report advertising as spam: such rows teach the model the
 * opposite of what it needs, so they are left out (neither ham nor spam).
 */
const VIETNAMESE_ADVERT =
  /\[qc\]|\(qc\)|\bqc:|khuy[eếê]n m[aạã]i|\bkm\b|ưu đãi|uu dai|soạn .{1,20} gửi|soan .{1,20} gui|tặng|giảm giá|giam gia/iu;

export const CORPUS_SPECS: readonly CorpusSpec[] = [
  {
    file: 'uci-sms-spam-collection.tsv',
    name: 'uci',
    language: 'en',
    format: 'tsv',
    title: 'SMS Spam Collection v.1 (UCI #228, Almeida & Gómez Hidalgo 2011)',
  },
  {
    file: 'indonesian-sms-spam-v1.csv',
    name: 'indonesian',
    language: 'id',
    format: 'indonesian-csv',
    title: 'Indonesian SMS spam dataset v1 (Rahmi & Wibisono 2016)',
  },
  {
    file: 'chinese-sms-spam-800k-subset.tsv',
    name: 'chinese-800k',
    language: 'zh',
    format: 'tsv',
    title: 'Chinese labelled SMS set, 800k subset (digits masked)',
    // 94,816 "ham" rows are mostly web-text fragments, not SMS: they weigh as 2,500 messages.
    budget: { ham: 2_500, spam: 4_000 },
    sample: { ham: 15_000 },
  },
  {
    file: 'chinese-sms-spam-real-2013-2014.tsv',
    name: 'chinese-2013',
    language: 'zh',
    format: 'tsv',
    title: 'Chinese SMS spam/ham, real messages 2013–2014',
    budget: { ham: 3_219, spam: 3_500 },
  },
  {
    file: 'indian-sms-spam-en-hi-te.tsv',
    name: 'indian',
    language: 'en,hi,te',
    format: 'tsv',
    title: 'Revised Indian SMS set (en, hi, te)',
    weight: 0.7,
  },
  {
    file: 'smishx-sms-smishing-en.tsv',
    name: 'smishx',
    language: 'en',
    format: 'tsv',
    title: 'SmishX re-labelled SMS set (Wang et al., SOUPS 2025)',
  },
  {
    file: 'vietnamese-sms-smishing.tsv',
    name: 'vietnamese',
    language: 'vi',
    format: 'tsv',
    title: 'Vietnamese SMS smishing set (2020–2025)',
    exclude: (text, spam) => !spam && VIETNAMESE_ADVERT.test(text),
  },
  {
    file: 'bengali-sms-spam-telegrambangla.tsv',
    name: 'bengali',
    language: 'bn',
    format: 'tsv',
    title: 'TeleGramBangla Bengali SMS spam set',
  },
];

/** SmishX's own labels, and the Indonesian ones, mapped to the classifier's spam kinds. */
const CATEGORY_OF_LABEL: Record<string, SpamCategory | undefined> = { smishing: 'smishing', fraud: 'fraud', promo: 'marketing' };

/** A file's text → examples (unweighted), with the corpus's own label kept in `corpusLabel`. */
export function parseCorpus(content: string, format: Format): TrainingExample[] {
  if (format === 'indonesian-csv') {
    const [header, ...records] = parseCsv(content);
    if (!header || header[0] !== 'Teks' || header[1] !== 'label') throw new Error(`unexpected Indonesian header ${JSON.stringify(header)}`);
    return records
      .filter((r) => r.length >= 2 && (r[0] ?? '') !== '')
      .map((r) => {
        const label = ['normal', 'fraud', 'promo'][Number(r[1])];
        if (!label) throw new Error(`Indonesian label ${r[1]}`);
        const category = CATEGORY_OF_LABEL[label];
        return { text: r[0] as string, spam: label !== 'normal', corpusLabel: label, ...(category ? { category } : {}) };
      });
  }
  const examples: TrainingExample[] = [];
  for (const line of content.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`line without a tab: ${line.slice(0, 40)}`);
    const label = line.slice(0, tab);
    if (label !== 'ham' && label !== 'spam') throw new Error(`label ${label}`);
    let text = line.slice(tab + 1);
    let corpusLabel: string = label;
    const second = text.indexOf('\t');
    if (second >= 0) {
      corpusLabel = text.slice(second + 1).trim() || label;
      text = text.slice(0, second);
    }
    const category = label === 'spam' ? CATEGORY_OF_LABEL[corpusLabel] : undefined;
    examples.push({ text, spam: label === 'spam', corpusLabel, ...(category ? { category } : {}) });
  }
  return examples;
}

/** The key two corpora's texts are compared by: NFKC, lower case, letters and digits only. */
export function duplicateKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Drops, from every corpus, the texts that also occur (by `duplicateKey`) in another one. */
export function dropCrossDuplicates(corpora: LabelledCorpus[]): LabelledCorpus[] {
  const owners = new Map<string, Set<number>>();
  corpora.forEach((c, k) => {
    for (const e of c.examples) {
      const key = duplicateKey(e.text);
      if (key === '') continue;
      let set = owners.get(key);
      if (!set) owners.set(key, (set = new Set()));
      set.add(k);
    }
  });
  return corpora.map((c) => {
    const kept = c.examples.filter((e) => ((owners.get(duplicateKey(e.text))?.size ?? 1) as number) < 2);
    return { ...c, examples: kept, crossDuplicatesDropped: (c.crossDuplicatesDropped ?? 0) + c.examples.length - kept.length };
  });
}

/** Sets each example's weight from its corpus's budget and weight (see `CorpusSpec`). */
export function weightCorpus(examples: TrainingExample[], spec: Pick<CorpusSpec, 'budget' | 'weight'>): TrainingExample[] {
  const spam = examples.filter((e) => e.spam).length;
  const ham = examples.length - spam;
  const base = spec.weight ?? 1;
  const hamWeight = base * (spec.budget?.ham !== undefined && ham > spec.budget.ham ? spec.budget.ham / ham : 1);
  const spamWeight = base * (spec.budget?.spam !== undefined && spam > spec.budget.spam ? spec.budget.spam / spam : 1);
  return examples.map((e) => ({ ...e, weight: (e.weight ?? 1) * (e.spam ? spamWeight : hamWeight) }));
}

/**
 * Every shipped corpus as labelled, weighted examples: parsed, rows excluded by their
 * spec left out, texts found in more than one corpus dropped from all, then weighted.
 */
export function shippedCorpora(dir: string = CORPORA_DIR, specs: readonly CorpusSpec[] = CORPUS_SPECS): LabelledCorpus[] {
  const parsed: LabelledCorpus[] = specs.map((spec) => {
    const bytes = readFileSync(join(dir, spec.file));
    const all = parseCorpus(bytes.toString('utf8'), spec.format);
    const examples = sampleClasses(spec.exclude ? all.filter((e) => !spec.exclude!(e.text, e.spam)) : all, spec.sample);
    return {
      name: spec.name,
      language: spec.language,
      examples,
      file: spec.file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: all.length,
      excluded: all.length - examples.length,
    };
  });
  return dropCrossDuplicates(parsed).map((c, k) => ({ ...c, examples: weightCorpus(c.examples, specs[k] as CorpusSpec) }));
}

/**
 * Keeps at most `limit` examples of each class, chosen by a hash of the text (so the same
 * rows on every run and every machine), in file order.
 */
export function sampleClasses(examples: TrainingExample[], limit: CorpusSpec['sample']): TrainingExample[] {
  if (!limit) return examples;
  const keep = new Set<TrainingExample>();
  for (const spam of [false, true]) {
    const group = examples.filter((e) => e.spam === spam);
    const cap = spam ? limit.spam : limit.ham;
    if (cap === undefined || group.length <= cap) {
      for (const e of group) keep.add(e);
      continue;
    }
    const ranked = group
      .map((e, i) => ({ e, key: createHash('sha1').update(`${i}\u0000${e.text}`).digest().readUInt32BE(0) }))
      .sort((a, b) => a.key - b.key);
    for (const { e } of ranked.slice(0, cap)) keep.add(e);
  }
  return examples.filter((e) => keep.has(e));
}
