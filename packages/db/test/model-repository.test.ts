import { createTestDatabase, seedOperatorVerdict, type TestDatabase } from '@srs/testkit';
import { ModelRepository, ModelVersionError } from '../src';

describe('model repository', () => {
  let db: TestDatabase;
  let models: ModelRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    models = new ModelRepository(db.pool);
  });
  afterAll(() => db.drop());

  it('stores versions inactive, activates one at a time in a transaction, and refuses unknown or repeated versions', async () => {
    expect(await models.active()).toBeUndefined();
    await models.ensureShipped('1.0.0', {});
    await models.insert({
      version: '1.0.0+op.a',
      artifact: { format: 'srs-sms-spam-classifier', weights: [0.5, -1.25] },
      metrics: { sets: [] },
      notes: 'a',
    });
    await models.insert({ version: '1.0.0+op.b', artifact: { format: 'srs-sms-spam-classifier' }, metrics: {}, notes: null });
    await expect(models.insert({ version: '1.0.0+op.a', artifact: {}, metrics: {}, notes: null })).rejects.toThrow(ModelVersionError);

    const listed = await models.list();
    expect(listed.map((r) => [r.version, r.hasArtifact, r.active])).toEqual([
      ['1.0.0', false, false],
      ['1.0.0+op.a', true, false],
      ['1.0.0+op.b', true, false],
    ]);
    expect(await models.artifact('1.0.0+op.a')).toEqual({ format: 'srs-sms-spam-classifier', weights: [0.5, -1.25] });
    expect(await models.artifact('1.0.0')).toBeUndefined();

    // Activations at once: each one alone, and one version active afterwards.
    await Promise.all(['1.0.0+op.a', '1.0.0+op.b', '1.0.0+op.a', '1.0.0+op.b'].map((v) => models.activate(v)));
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM model_versions WHERE active');
    expect(rows[0]!.n).toBe(1);

    const b = await models.activate('1.0.0+op.b');
    expect(b).toMatchObject({ version: '1.0.0+op.b', active: true });
    expect(b.activatedAt).toBeInstanceOf(Date);
    expect(await models.active()).toMatchObject({ version: '1.0.0+op.b', hasArtifact: true });
    await models.activate('1.0.0');
    expect(await models.active()).toMatchObject({ version: '1.0.0', hasArtifact: false });
    expect((await models.get('1.0.0+op.b'))!.active).toBe(false);
    await expect(models.activate('9.9.9')).rejects.toThrow(/no model version 9.9.9/);
    expect((await models.active())!.version).toBe('1.0.0');

    await expect(db.pool.query("UPDATE model_versions SET active = true WHERE version = '1.0.0+op.a'")).rejects.toThrow(
      /model_versions_one_active_idx/,
    );
  });

  it('reads the operators’ verdicts per text: the shown text, each operator once with its latest sighting, both sides counted', async () => {
    const spam = await seedOperatorVerdict(db.pool, {
      maskedText: 'your parcel is held, pay <amount> at <url> first reporter',
      sharedText: 'your parcel is held, pay <amount> at <url>',
      textReporters: 3,
      sightings: [
        { operator: 'demo-uk', kind: 'blocked' },
        { operator: 'demo-uk', kind: 'blocked' },
        { operator: 'demo-fr', kind: 'false_positive' },
        // demo-fr changed its mind: its latest sighting counts
        { operator: 'demo-fr', kind: 'blocked' },
      ],
    });
    // Not yet shared (too few reporters): the masked text, which is what the campaign holds.
    await seedOperatorVerdict(db.pool, {
      maskedText: 'your code is <num>, do not share it',
      sharedText: 'your code is <num>',
      textReporters: 1,
      sightings: [
        { operator: 'demo-uk', kind: 'false_positive' },
        { operator: 'demo-fr', kind: 'blocked' },
      ],
    });
    // A second campaign with the same shown text: still one voice per operator.
    await seedOperatorVerdict(db.pool, {
      maskedText: 'another first report',
      sharedText: 'your parcel is held, pay <amount> at <url>',
      textReporters: 5,
      sightings: [{ operator: 'demo-uk', kind: 'false_positive', observedAt: new Date(Date.now() - 3_600_000) }],
    });
    // A sighting on an operator's own published indicator, or on none, says nothing of a campaign text.
    await db.pool.query(
      `INSERT INTO sightings (operator_id, client_id, indicator_id, kind, observed_at) VALUES ('demo-uk', 'p-1', 'p1', 'blocked', now()), ('demo-uk', 'x-1', 'c999999', 'blocked', now())`,
    );

    const labels = await models.operatorLabels(3);
    expect(labels).toEqual([
      { text: 'your code is <num>, do not share it', spamOperators: 1, hamOperators: 1, campaigns: 1 },
      { text: 'your parcel is held, pay <amount> at <url>', spamOperators: 2, hamOperators: 0, campaigns: 2 },
    ]);
    expect(spam.indicatorId).toBeGreaterThan(0);
  });
});
