import type { Pool } from '../pool';
import { inFeedTransaction } from '../transaction';

/** Changes time alone makes: published indicators past their `valid_until`, and shared ones whose score has decayed. */
export class ExpiryRepository {
  constructor(private readonly pool: Pool) {}

  /** Marks published indicators whose validity has ended as expired; each one appears in the feed once more. */
  async expirePublished(now: Date): Promise<number> {
    return inFeedTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE published_indicators SET status = 'expired', seq = nextval('change_seq'), updated_at = now()
          WHERE status = 'active' AND valid_until IS NOT NULL AND valid_until <= $1`,
        [now],
      );
      return rowCount ?? 0;
    });
  }

  /**
   * Rescores shared consortium indicators not reported for `staleAfterMs`;
   * those `decide` no longer shares are withdrawn (and appear in the feed).
   */
  async withdrawDecayed(
    now: Date,
    staleAfterMs: number,
    decide: (row: {
      reporters: number;
      operators: number;
      maxConfidence: number;
      lastSeen: Date;
      feedback: number;
      allowlisted: boolean;
    }) => {
      score: number;
      publishable: boolean;
    },
  ): Promise<number> {
    return inFeedTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{
        id: number;
        reporters: number;
        operators: number;
        maxConfidence: number;
        lastSeen: Date;
        feedback: number;
        allowlisted: boolean;
      }>(
        `SELECT id::int AS id, reporter_count AS reporters, operator_count AS operators, max_confidence AS "maxConfidence",
                last_seen AS "lastSeen", feedback, allowlisted
           FROM indicators WHERE publishable AND last_seen < $1 LIMIT 5000 FOR UPDATE`,
        [new Date(now.getTime() - staleAfterMs)],
      );
      const withdrawn = rows.map((r) => ({ id: r.id, ...decide(r) })).filter((r) => !r.publishable);
      if (withdrawn.length === 0) return 0;
      await client.query(
        `UPDATE indicators i SET score = v.score, publishable = false, seq = nextval('change_seq'), updated_at = now()
           FROM unnest($1::bigint[], $2::real[]) AS v(id, score) WHERE i.id = v.id`,
        [withdrawn.map((w) => w.id), withdrawn.map((w) => w.score)],
      );
      return withdrawn.length;
    });
  }
}
