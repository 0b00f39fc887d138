import { DEFAULT_FEATURE_CONFIG, duplicateKey, mcc, trainModel, type LabelledCorpus, type TrainingExample } from '@srs/classifier';
import {
  buildSplits,
  compareFigures,
  HELD_OUT,
  OPERATOR_SET,
  resolveOperatorLabels,
  retrain,
  sameHeldOut,
  splitCorpus,
  splitOperatorLabels,
  surrogateText,
  type Figures,
  type OperatorLabel,
} from './retrain';

/** Small hashed space and few passes: these tests are about the procedure, not the model. */
const QUICK = { features: { ...DEFAULT_FEATURE_CONFIG, hashBits: 16 }, epochs: 4, folds: 2 };
const PLACES = ['the station', 'mum’s', 'the office', 'the gym', 'school', 'the pub', 'the cinema', 'church', 'the park', 'home'];

function corpus(name: string, n: number, offset = 0): LabelledCorpus {
  const examples: TrainingExample[] = [];
  for (let i = offset; i < offset + n; i++) {
    // Advertising no rule claims (a prize, a sum and a number to call would be a strong lure whatever the model learnt).
    examples.push({
      text: `EXCLUSIVE offer ${i}: ${10 + (i % 60)}% off every sofa this weekend only at FURNITURE WORLD, reply STOP${i} to opt out`,
      spam: true,
    });
    examples.push({
      text: `ok see you at ${PLACES[i % PLACES.length]} around ${1 + (i % 11)} pm, bring the ${i % 2 ? 'keys' : 'charger'} (${i})`,
      spam: false,
    });
    examples.push({
      text: `can you pick up ${i % 3 ? 'milk' : 'bread'} on the way back from ${PLACES[(i + 3) % PLACES.length]}? thx ${i}`,
      spam: false,
    });
  }
  return { name, language: 'en', examples };
}

function figures(set: string, counts: { tp: number; fp: number; tn: number; fn: number }): Figures {
  const spam = counts.tp + counts.fn;
  const ham = counts.tn + counts.fp;
  return {
    set,
    language: 'en',
    n: spam + ham,
    spam,
    ham,
    counts,
    mcc: mcc(counts),
    spamCaught: counts.tp / spam,
    hamBlocked: counts.fp / ham,
  };
}

describe('operator verdicts as labels', () => {
  it('takes the majority of the operators for each text, drops even splits, and puts neutral stand-ins for the masks', () => {
    const { labels, tiesDropped } = resolveOperatorLabels([
      { text: 'your parcel is held, pay <amount> at <url> or call <phone>', spamOperators: 2, hamOperators: 1 },
      { text: 'your code is <num>, do not share it', spamOperators: 0, hamOperators: 3 },
      { text: 'hi <name>, sale ends today', spamOperators: 1, hamOperators: 1 },
      { text: '<num>', spamOperators: 1, hamOperators: 0 },
    ]);
    expect(tiesDropped).toBe(1);
    expect(labels).toEqual([
      { text: 'your parcel is held, pay $100 at http://example.com/x or call +447700900123', spam: true, operators: 2 },
      { text: 'your code is 1234, do not share it', spam: false, operators: 3 },
      { text: '1234', spam: true, operators: 1 },
    ]);
    expect(surrogateText('mail <email> or <token>')).toBe('mail info@example.com or a1b2c3d4');
  });
});

describe('held-out splits', () => {
  it('holds out the same fifth of each class of a corpus on every run, identical texts on one side', () => {
    const c = corpus('a', 100);
    const twice = [...c.examples, { text: c.examples[0]!.text, spam: true }];
    const first = splitCorpus(twice, HELD_OUT);
    const again = splitCorpus([...twice].reverse(), HELD_OUT);
    expect(new Set(again.heldOut.map((e) => e.text))).toEqual(new Set(first.heldOut.map((e) => e.text)));
    const spamHeld = first.heldOut.filter((e) => e.spam).length;
    expect(spamHeld).toBeGreaterThanOrEqual(20);
    expect(spamHeld).toBeLessThanOrEqual(21);
    expect(first.heldOut.filter((e) => !e.spam)).toHaveLength(40);
    const key = duplicateKey(c.examples[0]!.text);
    const sides = [first.train, first.heldOut].map((side) => side.filter((e) => duplicateKey(e.text) === key).length);
    expect(sides.filter((n) => n > 0)).toHaveLength(1);
  });

  it('keeps an operator verdict on its side as more verdicts come in', () => {
    const label = (i: number): OperatorLabel => ({ text: `verdict text number ${i} about a parcel fee`, spam: i % 2 === 0, operators: 1 });
    const early = splitOperatorLabels(
      Array.from({ length: 50 }, (_, i) => label(i)),
      HELD_OUT,
    );
    const later = splitOperatorLabels(
      Array.from({ length: 500 }, (_, i) => label(i)),
      HELD_OUT,
    );
    const heldLater = new Set(later.heldOut.map((l) => l.text));
    expect(early.heldOut.length).toBeGreaterThan(0);
    for (const l of early.heldOut) expect(heldLater.has(l.text)).toBe(true);
    for (const l of early.train) expect(heldLater.has(l.text)).toBe(false);
  });

  it('trains on no text held out anywhere, and weighs the verdicts it trains on', () => {
    const a = corpus('a', 60);
    const b = { ...corpus('b', 60, 30), name: 'b' };
    const labels: OperatorLabel[] = a.examples.slice(0, 60).map((e) => ({ text: e.text, spam: e.spam, operators: 2 }));
    const splits = buildSplits([a, b], labels, HELD_OUT, 7);
    const held = new Set(splits.heldOut.flatMap((s) => s.examples.map((e) => duplicateKey(e.text))));
    expect(splits.train.some((e) => held.has(duplicateKey(e.text)))).toBe(false);
    expect(splits.heldOut.map((s) => s.name)).toEqual(['a', 'b', OPERATOR_SET]);
    expect(splits.train.filter((e) => e.weight === 7)).toHaveLength(splits.operatorTrain);
  });
});

describe('comparing figures', () => {
  it('names the figures that fell beyond the tolerance and beyond one message, and no others', () => {
    const before = [figures('uci', { tp: 180, fn: 20, tn: 790, fp: 10 }), figures('small', { tp: 9, fn: 1, tn: 9, fp: 1 })];
    const same = [figures('uci', { tp: 179, fn: 21, tn: 790, fp: 10 }), figures('small', { tp: 8, fn: 2, tn: 9, fp: 1 })];
    expect(compareFigures(same, before)).toEqual([]);
    const worse = [figures('uci', { tp: 160, fn: 40, tn: 780, fp: 20 }), figures('small', { tp: 9, fn: 1, tn: 9, fp: 1 })];
    expect(compareFigures(worse, before).map((f) => `${f.set} ${f.figure}`)).toEqual(['uci spam caught', 'uci ham blocked', 'uci MCC']);
    expect(compareFigures(worse, before, { mcc: 1, rate: 1 })).toEqual([]);
  });
});

describe('retrain', () => {
  const corpora = [corpus('a', 80), { ...corpus('b', 80, 500), name: 'b' }];
  const shipped = trainModel(
    corpora.flatMap((c) => c.examples),
    { ...QUICK, version: '1.0.0' },
  ).model;
  shipped.training = { options: { epochs: QUICK.epochs, folds: QUICK.folds } };

  it('trains a candidate that learns the verdicts, measures it beside a control when the active model saw the held-out texts, and records its split', () => {
    const verdicts = resolveOperatorLabels(
      Array.from({ length: 40 }, (_, i) => ({
        text: `Dear customer your bank account ${i} is locked, verify at <url> now`,
        spamOperators: 2,
        hamOperators: 0,
      })),
    ).labels;
    const outcome = retrain({
      corpora,
      operatorLabels: verdicts,
      active: shipped,
      recipe: shipped,
      version: '1.0.0+op.1',
      trainOptions: { seed: 3 },
    });
    expect(outcome.reference.kind).toBe('control');
    expect(outcome.candidate.map((f) => f.set)).toEqual(['a', 'b', OPERATOR_SET]);
    const ops = outcome.candidate.find((f) => f.set === OPERATOR_SET)!;
    expect(ops.n).toBeGreaterThan(0);
    expect(ops.spamCaught).toBe(1);
    expect(outcome.falls).toEqual([]);
    expect(outcome.model.version).toBe('1.0.0+op.1');
    expect(outcome.model.features.hashBits).toBe(16);
    expect(sameHeldOut(outcome.model, outcome.heldOut)).toBe(true);
    expect(sameHeldOut(shipped, outcome.heldOut)).toBe(false);

    // The next one is compared with it directly: it was trained on the same split.
    const next = retrain({ corpora, operatorLabels: verdicts, active: outcome.model, recipe: shipped, version: '1.0.0+op.2' });
    expect(next.reference).toMatchObject({ kind: 'active', version: '1.0.0+op.1' });
  });

  it('says which figure fell when the verdicts teach the model the opposite of the corpora', () => {
    // Operators (wrongly, and heavily weighted) call the corpora's advertising harmless.
    const verdicts = resolveOperatorLabels(
      corpora[0]!.examples.filter((e) => e.spam).map((e) => ({ text: e.text, spamOperators: 0, hamOperators: 2 })),
    ).labels;
    const outcome = retrain({
      corpora,
      operatorLabels: verdicts,
      active: shipped,
      recipe: shipped,
      version: '1.0.0+op.bad',
      operatorWeight: 50,
    });
    expect(outcome.falls.length).toBeGreaterThan(0);
    expect(outcome.falls.some((f) => f.set === 'a' && f.figure === 'spam caught')).toBe(true);
  });
});
