import type { Pool } from '../pool';
import { inTransaction } from '../transaction';

/** A version of the classifier's model as stored (migration 019). */
export interface ModelVersionRow {
  version: string;
  createdAt: Date;
  /** held-out figures, as `srs model train` measured them */
  metrics: Record<string, unknown>;
  active: boolean;
  activatedAt: Date | null;
  notes: string | null;
  /** false: the row stands for the model shipped in @srs/classifier at this version */
  hasArtifact: boolean;
}

/** The active version, without its artifact: what the worker polls. */
export interface ActiveModelRow {
  version: string;
  hasArtifact: boolean;
  activatedAt: Date | null;
}

export interface NewModelVersion {
  version: string;
  /** the model JSON (ModelData of @srs/classifier); null for the shipped model */
  artifact: object | null;
  metrics: Record<string, unknown>;
  notes: string | null;
}

/**
 * What operators said of the texts of the campaigns behind the consortium
 * indicators they sighted: per text, how many distinct operators blocked it
 * (spam) and how many reported it as a false positive (not spam). Each
 * operator has one voice per text, its latest sighting.
 */
export interface OperatorLabelRow {
  /** the campaign's shared text once shared, else its masked text: never a raw report body */
  text: string;
  spamOperators: number;
  hamOperators: number;
  campaigns: number;
}

/** Raised for a version that does not exist or cannot be stored; the CLI prints the message. */
export class ModelVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelVersionError';
  }
}

const COLUMNS = `version, created_at AS "createdAt", metrics, active, activated_at AS "activatedAt", notes, artifact IS NOT NULL AS "hasArtifact"`;

/** The classifier's model versions: which exists, which is active, and the operators' verdicts to learn from. */
export class ModelRepository {
  constructor(private readonly pool: Pool) {}

  async list(): Promise<ModelVersionRow[]> {
    const { rows } = await this.pool.query<ModelVersionRow>(`SELECT ${COLUMNS} FROM model_versions ORDER BY created_at, version`);
    return rows;
  }

  async get(version: string): Promise<ModelVersionRow | undefined> {
    const { rows } = await this.pool.query<ModelVersionRow>(`SELECT ${COLUMNS} FROM model_versions WHERE version = $1`, [version]);
    return rows[0];
  }

  /** The model JSON of a version; undefined when there is no such version or it is the shipped model. */
  async artifact(version: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ artifact: unknown }>('SELECT artifact FROM model_versions WHERE version = $1', [version]);
    return rows[0]?.artifact ?? undefined;
  }

  /** The active version (one small row, cheap to poll); undefined: none is, the shipped model judges. */
  async active(): Promise<ActiveModelRow | undefined> {
    const { rows } = await this.pool.query<ActiveModelRow>(
      `SELECT version, artifact IS NOT NULL AS "hasArtifact", activated_at AS "activatedAt" FROM model_versions WHERE active`,
    );
    return rows[0];
  }

  /** Stores a new, inactive version; a version that exists is refused. */
  async insert(input: NewModelVersion): Promise<ModelVersionRow> {
    const { rows } = await this.pool.query<ModelVersionRow>(
      `INSERT INTO model_versions (version, artifact, metrics, notes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (version) DO NOTHING RETURNING ${COLUMNS}`,
      [input.version, input.artifact === null ? null : JSON.stringify(input.artifact), JSON.stringify(input.metrics), input.notes],
    );
    if (!rows[0]) throw new ModelVersionError(`model version ${input.version} exists already`);
    return rows[0];
  }

  /** Stores the shipped model's row unless it exists (it has no artifact: the package holds it). */
  async ensureShipped(version: string, metrics: Record<string, unknown>): Promise<ModelVersionRow> {
    await this.pool.query(
      `INSERT INTO model_versions (version, artifact, metrics, notes) VALUES ($1, NULL, $2, 'shipped with @srs/classifier')
       ON CONFLICT (version) DO NOTHING`,
      [version, JSON.stringify(metrics)],
    );
    return (await this.get(version))!;
  }

  /**
   * Makes `version` the only active one, in one transaction (the partial
   * unique index allows no two); the worker picks it up at its next look.
   */
  async activate(version: string): Promise<ModelVersionRow> {
    return inTransaction(this.pool, async (client) => {
      // Two activations at once: one after the other, the last one wins.
      await client.query('LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE');
      const { rows: found } = await client.query<{ active: boolean }>('SELECT active FROM model_versions WHERE version = $1', [version]);
      if (!found[0]) throw new ModelVersionError(`no model version ${version}`);
      if (!found[0].active) {
        await client.query('UPDATE model_versions SET active = false WHERE active');
        await client.query('UPDATE model_versions SET active = true, activated_at = now() WHERE version = $1', [version]);
      }
      const { rows } = await client.query<ModelVersionRow>(`SELECT ${COLUMNS} FROM model_versions WHERE version = $1`, [version]);
      return rows[0]!;
    });
  }

  /**
   * The operators' verdicts on campaign texts. A sighting on a consortium
   * indicator (`c<id>`) speaks of every campaign that indicator came from:
   * `blocked` says its text is spam, `false_positive` that it is not. Each
   * operator counts once per text, with its latest sighting of it. The text is
   * what operators were shown: the campaign's shared text once at least
   * `sharedTextMinReporters` reporters made it, else its masked text. A
   * sighting its operator took back is no verdict.
   */
  async operatorLabels(sharedTextMinReporters: number): Promise<OperatorLabelRow[]> {
    const { rows } = await this.pool.query<OperatorLabelRow>(
      `WITH voiced AS (
         SELECT CASE WHEN c.text_reporters >= $1 AND c.shared_text IS NOT NULL THEN c.shared_text ELSE c.masked_text END AS text,
                c.id AS campaign_id, s.operator_id, s.kind, s.observed_at, s.id AS sighting_id
           FROM sightings s
           JOIN campaign_indicators ci ON ci.indicator_id = (CASE WHEN s.indicator_id ~ '^c[0-9]{1,18}$' THEN substr(s.indicator_id, 2)::bigint END)
           JOIN campaigns c ON c.id = ci.campaign_id
          WHERE s.revoked_at IS NULL
       ), latest AS (
         SELECT DISTINCT ON (text, operator_id) text, operator_id, kind
           FROM voiced
          ORDER BY text, operator_id, observed_at DESC, sighting_id DESC
       ), campaign_counts AS (
         SELECT text, count(DISTINCT campaign_id)::int AS campaigns FROM voiced GROUP BY text
       )
       SELECT l.text,
              count(*) FILTER (WHERE l.kind = 'blocked')::int AS "spamOperators",
              count(*) FILTER (WHERE l.kind = 'false_positive')::int AS "hamOperators",
              cc.campaigns
         FROM latest l JOIN campaign_counts cc USING (text)
        WHERE btrim(l.text) <> ''
        GROUP BY l.text, cc.campaigns
        ORDER BY l.text`,
      [sharedTextMinReporters],
    );
    return rows;
  }
}
