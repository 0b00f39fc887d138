import { CORPUS_SPECS, loadModel, shippedCorpora } from '@srs/classifier';
import { ModelRepository } from '@srs/db';
import { seedOperatorVerdict, type TestDatabase } from '@srs/testkit';
import { srsOnTestDatabase } from './cli-harness';

/** A quick run: two small corpora, few rows, few passes. */
const QUICK = ['--corpora', 'uci,smishx', '--max-rows', '250', '--epochs', '4', '--folds', '2'];

describe('srs model', () => {
  const { db, srs } = srsOnTestDatabase({ SHARE_TEXT_MIN_REPORTERS: '3' });
  const shipped = loadModel().version;
  const activeLine = () => srs('model', 'list').lines.find((l) => l.split('\t')[2] === 'active');

  it('trains a version from the operators’ verdicts, activates it when no figure fell, refuses one whose figures fell, and rolls back', async () => {
    // Nothing trained yet: the shipped model is the active one.
    const before = srs('model', 'list');
    expect(before.status).toBe(0);
    expect(before.lines).toHaveLength(1);
    expect(before.lines[0]).toMatch(new RegExp(`^${shipped.replace(/\./g, '\\.')}\t\\S+\tactive\t-\tshipped with @srs/classifier$`));

    // Operators' verdicts: spam blocked by both, a genuine notice disputed by both, one they disagree on.
    for (let i = 0; i < 12; i++) {
      await seedOperatorVerdict(db.pool, {
        maskedText: `first reporter's text ${i}`,
        sharedText: `urgent: your account ${i} is suspended, verify your details at <url> within <num> hours`,
        textReporters: 3,
        sightings: [
          { operator: 'demo-uk', kind: 'blocked' },
          { operator: 'demo-fr', kind: 'blocked' },
        ],
      });
      await seedOperatorVerdict(db.pool, {
        maskedText: `your parcel ${i} will be delivered tomorrow between <num> and <num>, no action needed`,
        sightings: [
          { operator: 'demo-uk', kind: 'false_positive' },
          { operator: 'demo-fr', kind: 'false_positive' },
        ],
      });
    }
    await seedOperatorVerdict(db.pool, {
      maskedText: 'sale ends tonight, reply stop to opt out',
      sightings: [
        { operator: 'demo-uk', kind: 'blocked' },
        { operator: 'demo-fr', kind: 'false_positive' },
      ],
    });

    const trained = srs('model', 'train', ...QUICK, '--version', 'ops-1', '--max-fall-mcc', '1', '--max-fall-rate', '1');
    expect({ status: trained.status, stderr: trained.stderr }).toEqual({ status: 0, stderr: '' });
    expect(trained.stdout).toContain(`active model: ${shipped} (shipped)`);
    expect(trained.stdout).toContain('operator verdicts: 24 texts (12 spam, 12 not spam), 1 dropped: operators disagree evenly');
    expect(trained.stdout).toMatch(/candidate: features \d+\/\d+/);
    expect(trained.stdout).toMatch(/\n {2}uci +\d+ +[\d.]+ → [\d.]+/);
    expect(trained.stdout).toMatch(/\n {2}operators +\d+ /);
    expect(trained.lines.at(-1)).toMatch(/^activated ops-1: no figure fell/);
    expect(activeLine()).toMatch(
      /^ops-1\t\S+\tactive\tmin MCC [\d.]+ \((uci|smishx)\), max ham blocked [\d.]+%, operators MCC [-\d.]+ \(n=\d+\)\ttrained from \d+ operator verdicts$/,
    );

    const models = new ModelRepository(db.pool);
    const stored = (await models.artifact('ops-1')) as {
      version: string;
      training: { heldOut: { seed: number }; operatorVerdicts: { train: number } };
    };
    expect(stored.version).toBe('ops-1');
    expect(stored.training.operatorVerdicts.train).toBeGreaterThan(10);
    // The shipped model is listed with the figures it had on the same held-out sets (for a roll back).
    expect((await models.get(shipped))!.metrics).toMatchObject({ inSample: true });

    // Operators (wrongly) call the SmishX spam harmless: a model that learns it catches less spam, and is not activated.
    const smishx = shippedCorpora(
      undefined,
      CORPUS_SPECS.filter((s) => s.name === 'smishx'),
    )[0]!;
    await disputeAll(
      db,
      smishx.examples.filter((e) => e.spam).map((e) => e.text),
    );
    const refused = srs(
      'model',
      'train',
      ...QUICK,
      '--version',
      'ops-2',
      '--operator-weight',
      '40',
      '--max-fall-mcc',
      '0',
      '--max-fall-rate',
      '0',
    );
    expect({ status: refused.status, stderr: refused.stderr }).toEqual({ status: 2, stderr: '' });
    expect(refused.stdout).toContain('active model: ops-1');
    expect(refused.stdout).toContain('compared with ops-1 on the same held-out sets');
    expect(refused.stdout).toContain('kept ops-1; ops-2 is stored but not active, because:');
    expect(refused.stdout).toMatch(/\n {2}smishx: spam caught fell from [\d.]+% to [\d.]+%/);
    expect(activeLine()).toMatch(/^ops-1\t/);
    expect(srs('model', 'list').lines.find((l) => l.startsWith('ops-2\t'))).toMatch(
      /^ops-2\t\S+\t-\t.*\tnot activated: smishx: spam caught fell/,
    );

    // Roll back to the shipped model, and forward again.
    expect(srs('model', 'activate', shipped)).toMatchObject({ status: 0, lines: [`activated ${shipped}`] });
    expect(activeLine()).toMatch(new RegExp(`^${shipped.replace(/\./g, '\\.')}\t`));
    expect(srs('model', 'activate', 'ops-1')).toMatchObject({ status: 0, lines: ['activated ops-1'] });
    expect(activeLine()).toMatch(/^ops-1\t/);
  });

  it('refuses unknown versions and malformed options with a clear message and exit code 1', () => {
    const cases: Array<[string[], RegExp]> = [
      [['model', 'activate', 'no-such-version'], /no model version no-such-version/],
      [['model', 'activate', 'bad version'], /letters, digits, dots/],
      [['model', 'train', '--corpora', 'uci,klingon'], /corpora among uci/],
      [['model', 'train', '--max-rows', '0'], /whole number above 0/],
    ];
    for (const [args, message] of cases) {
      const run = srs(...args);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toMatch(message);
    }
  });
});

/** Both operators report every one of `texts` as a false positive: one indicator the campaigns of all of them share. */
async function disputeAll(db: TestDatabase, texts: string[]): Promise<void> {
  const { rows: campaigns } = await db.pool.query<{ id: string }>(
    `INSERT INTO campaigns (simhash, fingerprint, masked_text, spam, category, confidence, language, first_seen, last_seen)
     SELECT '0123456789abcdef', 'dispute-' || n, t, true, 'smishing', 0.9, 'en', now(), now() FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)
     RETURNING id`,
    [texts],
  );
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, ever_published)
     VALUES ('domain', 'disputed.example', 'smishing', 0.9, now(), now(), true) RETURNING id`,
  );
  const indicator = rows[0]!.id;
  await db.pool.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) SELECT unnest($1::bigint[]), $2', [
    campaigns.map((c) => c.id),
    indicator,
  ]);
  await db.pool.query(
    `INSERT INTO sightings (operator_id, client_id, indicator_id, kind, observed_at)
     VALUES ('demo-uk', 'dispute-uk', $1, 'false_positive', now()), ('demo-fr', 'dispute-fr', $1, 'false_positive', now())`,
    [`c${indicator}`],
  );
}
