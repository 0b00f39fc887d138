import type { Pool } from '@srs/db';
import { uniqueSuffix } from './ids';

export interface VerdictSeed {
  /** the campaign's masked text (what the analyser keeps of the first report) */
  maskedText: string;
  /** its shared text, and how many reporters made it (shown to operators from SHARE_TEXT_MIN_REPORTERS on) */
  sharedText?: string;
  textReporters?: number;
  /** the sightings operators sent on the campaign's indicator, in this order */
  sightings: Array<{ operator: string; kind: 'blocked' | 'false_positive'; observedAt?: Date }>;
}

/**
 * A campaign with one shared consortium indicator and the operators'
 * sightings of it, written straight to the tables: what `srs model train`
 * reads as operator verdicts. Returns the campaign's and indicator's ids.
 */
export async function seedOperatorVerdict(pool: Pool, seed: VerdictSeed): Promise<{ campaignId: number; indicatorId: number }> {
  const suffix = uniqueSuffix();
  const { rows: campaign } = await pool.query<{ id: string }>(
    `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen,
                            report_count, reporter_count, operator_count, text_reporters)
     VALUES ('0123456789abcdef', $1, $2, $3, true, 'smishing', 0.9, 'en', now(), now(), 3, 3, 1, $4) RETURNING id`,
    [`fp-${suffix}`, seed.sharedText ?? null, seed.maskedText, seed.textReporters ?? 0],
  );
  const { rows: indicator } = await pool.query<{ id: string }>(
    `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
     VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.8, true, true, 3) RETURNING id`,
    [`verdict-${suffix}.example`],
  );
  const campaignId = Number(campaign[0]!.id);
  const indicatorId = Number(indicator[0]!.id);
  await pool.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) VALUES ($1, $2)', [campaignId, indicatorId]);
  for (const [i, s] of seed.sightings.entries()) {
    await pool.query(`INSERT INTO sightings (operator_id, client_id, indicator_id, kind, observed_at) VALUES ($1, $2, $3, $4, $5)`, [
      s.operator,
      `s-${suffix}-${i}`,
      `c${indicatorId}`,
      s.kind,
      s.observedAt ?? new Date(Date.now() - 60_000 + i * 1000),
    ]);
  }
  return { campaignId, indicatorId };
}
