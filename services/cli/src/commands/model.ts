import {
  CORPUS_SPECS,
  loadModel,
  shippedCorpora,
  validateModel,
  type LabelledCorpus,
  type ModelData,
  type TrainProgress,
} from '@srs/classifier';
import { ModelRepository, ModelVersionError, type ModelVersionRow } from '@srs/db';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context';
import { positiveInteger } from '../options';
import {
  describeFall,
  HELD_OUT,
  limitCorpus,
  OPERATOR_SET,
  OPERATOR_WEIGHT,
  resolveOperatorLabels,
  retrain,
  TOLERANCE,
  type Figures,
  type RetrainOutcome,
} from '../model/retrain';

/** Exit code of `model train` when the candidate was stored but not activated (a figure fell). */
export const NOT_ACTIVATED_EXIT_CODE = 2;

interface TrainCommandOptions {
  corpora?: string[];
  maxRows?: number;
  data?: string;
  version?: string;
  operatorWeight: number;
  epochs?: number;
  folds?: number;
  maxFallMcc: number;
  maxFallRate: number;
}

export function registerModelCommands(program: Command, context: CliContext): void {
  const model = program
    .command('model')
    .description("the classifier's model versions: train one from the operators' verdicts, list them, activate one");

  model
    .command('train')
    .description(
      "train a new version on the shipped corpora plus the operators' verdicts (sightings: blocked = spam, false positive = not spam), " +
        'compare it with the active model on held-out splits, and activate it only if no figure fell (exit code 2 and the figures that fell otherwise)',
    )
    .option(
      '--corpora <names>',
      `only these shipped corpora, comma-separated (of ${CORPUS_SPECS.map((s) => s.name).join(', ')})`,
      corpusNames,
    )
    .option('--max-rows <n>', 'at most this many rows of each corpus, spam and ham in proportion (a quick run)', positiveInteger)
    .option('--data <dir>', 'read the corpora from this directory instead of the ones shipped with @srs/classifier')
    .option(
      '--version <version>',
      'the new version (default: <shipped version>+op.<UTC time>, e.g. 2.0.0+op.2026-12-06T041233Z)',
      versionName,
    )
    .option('--operator-weight <w>', 'weight of one operator verdict against one corpus message', positiveNumber, OPERATOR_WEIGHT)
    .option('--epochs <n>', 'training epochs (default: those of the shipped model)', positiveInteger)
    .option('--folds <n>', 'cross-validation folds that choose the threshold (default: those of the shipped model)', positiveInteger)
    .option(
      '--max-fall-mcc <x>',
      'how far an MCC may fall (beyond one message) and still count as not worse',
      nonNegativeNumber,
      TOLERANCE.mcc,
    )
    .option(
      '--max-fall-rate <x>',
      'how far spam caught may fall, or ham blocked rise, as a rate (beyond one message)',
      nonNegativeNumber,
      TOLERANCE.rate,
    )
    .action(async (options: TrainCommandOptions) => {
      const repository = new ModelRepository(context.pool());
      const shipped = loadModel();
      const active = await activeModel(repository, shipped);
      context.print(`active model: ${active.version}${active.version === shipped.version ? ' (shipped)' : ''}`);

      context.print(`reading the shipped corpora${options.data ? ` from ${options.data}` : ''}…`);
      const corpora = selectCorpora(options.data ? shippedCorpora(options.data) : shippedCorpora(), options);
      for (const c of corpora)
        context.print(
          `  ${c.name.padEnd(14)} ${String(c.examples.length).padStart(7)} examples (${c.examples.filter((e) => e.spam).length} spam)`,
        );

      const votes = await repository.operatorLabels(context.config.scoring.shareTextMinReporters);
      const { labels, tiesDropped } = resolveOperatorLabels(votes);
      const spam = labels.filter((l) => l.spam).length;
      context.print(
        `operator verdicts: ${labels.length} texts (${spam} spam, ${labels.length - spam} not spam)${tiesDropped ? `, ${tiesDropped} dropped: operators disagree evenly` : ''}`,
      );

      // e.g. 2.0.0+op.2026-12-06T041233Z (no long run of digits, which the logs would mask as a phone number)
      const version =
        options.version ??
        `${shipped.version}+op.${new Date()
          .toISOString()
          .replace(/:/g, '')
          .replace(/\.\d+Z$/, 'Z')}`;
      if (await repository.get(version)) throw new ModelVersionError(`model version ${version} exists already`);
      context.print(`training ${version} (held out: ${HELD_OUT.fraction * 100}% of each corpus's spam and ham, and of the verdicts)…`);
      const outcome = retrain({
        corpora,
        operatorLabels: labels,
        active,
        recipe: shipped,
        version,
        operatorWeight: options.operatorWeight,
        tolerance: { mcc: options.maxFallMcc, rate: options.maxFallRate },
        trainOptions: { ...(options.epochs ? { epochs: options.epochs } : {}), ...(options.folds ? { folds: options.folds } : {}) },
        onProgress: progressPrinter(context.print),
      });
      printComparison(context.print, outcome);

      if (active.version === shipped.version)
        await repository.ensureShipped(shipped.version, figuresRecord(outcome.active, { inSample: outcome.reference.kind === 'control' }));
      const accepted = outcome.falls.length === 0;
      const notes = accepted
        ? `trained from ${outcome.training.operatorTrain} operator verdicts`
        : `not activated: ${outcome.falls.map(describeFall).join('; ')}`;
      await repository.insert({ version, artifact: outcome.model, metrics: metricsRecord(outcome), notes });
      if (accepted) {
        await repository.activate(version);
        context.print(`activated ${version}: no figure fell (the worker picks it up within its refresh interval)`);
      } else {
        context.print(`kept ${active.version}; ${version} is stored but not active, because:`);
        for (const fall of outcome.falls) context.print(`  ${describeFall(fall)}`);
        context.print(`(\`srs model activate ${version}\` activates it anyway)`);
        process.exitCode = NOT_ACTIVATED_EXIT_CODE;
      }
    });

  model
    .command('list')
    .description('list the model versions: created, active, held-out figures (lowest corpus MCC, highest ham blocked, operator verdicts)')
    .action(async () => {
      const repository = new ModelRepository(context.pool());
      const shipped = loadModel();
      const rows = await repository.list();
      const active = rows.find((r) => r.active);
      if (!rows.some((r) => r.version === shipped.version)) {
        context.print(
          listLine(
            {
              version: shipped.version,
              createdAt: new Date(shipped.createdAt),
              metrics: {},
              active: false,
              activatedAt: null,
              notes: 'shipped with @srs/classifier',
              hasArtifact: false,
            },
            !active,
          ),
        );
      }
      for (const row of rows) context.print(listLine(row, row.active || (!active && !row.hasArtifact && row.version === shipped.version)));
    });

  model
    .command('activate')
    .description('make VERSION the active model (to roll back, activate the one before); the worker picks it up without a restart')
    .argument('<version>', 'a version `model list` shows', versionName)
    .action(async (version: string) => {
      const repository = new ModelRepository(context.pool());
      const shipped = loadModel();
      if (version === shipped.version) await repository.ensureShipped(shipped.version, {});
      const row = await repository.get(version);
      if (!row) throw new ModelVersionError(`no model version ${version} (see \`srs model list\`)`);
      if (row.hasArtifact) validateModel((await repository.artifact(version)) as ModelData);
      else if (version !== shipped.version)
        throw new ModelVersionError(`${version} was a shipped model this build does not ship (it ships ${shipped.version})`);
      const done = await repository.activate(version);
      context.print(`activated ${done.version}`);
    });
}

/** The active model's JSON: the stored artifact, or the shipped model when none is active or the active row stands for it. */
async function activeModel(repository: ModelRepository, shipped: ModelData): Promise<ModelData> {
  const row = await repository.active();
  if (!row || !row.hasArtifact) return shipped;
  const model = (await repository.artifact(row.version)) as ModelData;
  validateModel(model);
  return model;
}

function selectCorpora(all: LabelledCorpus[], options: TrainCommandOptions): LabelledCorpus[] {
  const chosen = options.corpora ? all.filter((c) => options.corpora!.includes(c.name)) : all;
  return options.maxRows ? chosen.map((c) => ({ ...c, examples: limitCorpus(c.examples, options.maxRows!, HELD_OUT.seed) })) : chosen;
}

/** One line at each phase and every tenth of the way: training on every corpus takes minutes. */
function progressPrinter(print: (line: string) => void): (step: 'candidate' | 'control', p: TrainProgress) => void {
  let last = '';
  return (step, p) => {
    const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
    const key = `${step} ${p.phase} ${tenth}`;
    if (key === last) return;
    last = key;
    print(`  ${step === 'control' ? 'control (no verdicts)' : 'candidate'}: ${p.phase} ${p.done}/${p.total}`);
  };
}

function printComparison(print: (line: string) => void, outcome: RetrainOutcome): void {
  const ref = outcome.reference;
  print(
    ref.kind === 'control'
      ? `compared, on the corpora, with a control trained like the candidate but without the verdicts (${ref.version} was not trained on this split: its own figures there may be in sample), and with ${ref.version} itself on the operators' held-out verdicts:`
      : `compared with ${ref.version} on the same held-out sets:`,
  );
  print(`  ${'set'.padEnd(14)} ${'n'.padStart(6)}  ${'MCC'.padStart(15)}  ${'spam caught'.padStart(17)}  ${'ham blocked'.padStart(15)}`);
  for (const after of outcome.candidate) {
    if (after.n === 0) {
      print(`  ${after.set.padEnd(14)} ${'0'.padStart(6)}  (nothing held out)`);
      continue;
    }
    const before = ref.figures.find((f) => f.set === after.set);
    const pair = (f: (x: Figures) => number, fmt: (x: number) => string) => `${before ? fmt(f(before)) : '-'} → ${fmt(f(after))}`;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    print(
      `  ${after.set.padEnd(14)} ${String(after.n).padStart(6)}  ${pair(
        (x) => x.mcc,
        (x) => x.toFixed(3),
      ).padStart(15)}  ${pair((x) => x.spamCaught, pct).padStart(17)}  ${pair((x) => x.hamBlocked, pct).padStart(15)}`,
    );
  }
  print(
    `trained on ${outcome.training.examples} examples, ${outcome.training.operatorTrain} of them operator verdicts (weight ${outcome.training.operatorWeight}), in ${(outcome.training.milliseconds / 1000).toFixed(1)} s`,
  );
}

function figuresRecord(figures: Figures[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, sets: figures.map(({ counts: _counts, ...f }) => f) };
}

function metricsRecord(outcome: RetrainOutcome): Record<string, unknown> {
  return {
    heldOut: outcome.heldOut,
    sets: outcome.candidate.map(({ counts: _counts, ...f }) => f),
    reference: {
      version: outcome.reference.version,
      kind: outcome.reference.kind,
      sets: outcome.reference.figures.map(({ counts: _counts, ...f }) => f),
    },
    falls: outcome.falls,
    training: outcome.training,
  };
}

/** `version  created  active  key figures  notes`, tab-separated. */
function listLine(row: ModelVersionRow, active: boolean): string {
  const sets = ((row.metrics as { sets?: Array<Omit<Figures, 'counts'>> }).sets ?? []).filter((s) => s.n > 0);
  const corpora = sets.filter((s) => s.set !== OPERATOR_SET);
  const ops = sets.find((s) => s.set === OPERATOR_SET);
  const inSample = (row.metrics as { inSample?: boolean }).inSample ? ' (in sample: it was trained on these texts)' : '';
  const figures = corpora.length
    ? [
        `min MCC ${Math.min(...corpora.map((s) => s.mcc)).toFixed(3)} (${corpora.reduce((a, s) => (s.mcc < a.mcc ? s : a)).set})`,
        `max ham blocked ${(Math.max(...corpora.map((s) => s.hamBlocked)) * 100).toFixed(2)}%`,
        ops ? `operators MCC ${ops.mcc.toFixed(3)} (n=${ops.n})` : 'operators -',
      ].join(', ') + inSample
    : '-';
  return [row.version, row.createdAt.toISOString(), active ? 'active' : '-', figures, row.notes ?? ''].join('\t');
}

function corpusNames(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(CORPUS_SPECS.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (names.length === 0 || unknown.length) throw new InvalidArgumentError(`corpora among ${[...known].join(', ')}`);
  return names;
}

function versionName(value: string): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,99}$/.test(value))
    throw new InvalidArgumentError('letters, digits, dots, plus, dashes and underscores, up to 100');
  return value;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number above 0');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number, 0 or above');
  return n;
}
