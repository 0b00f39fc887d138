import { inFeedTransaction, ReportsRepository } from '@srs/db';
import { testReport, uniqueSuffix } from '@srs/testkit';
import type { SharingService } from './attack-harness';

export const HOUR = 3_600_000;

export interface CampaignSeed {
  category: string;
  spam?: boolean;
  everSpam?: boolean;
  reporters: number;
  /** reporters behind the shared text (it is shown from k on) */
  textReporters?: number;
  /** the operators that reported it */
  operators: string[];
  /** one report per entry, this many hours ago */
  reportsHoursAgo: number[];
  /** the operator of each report, in the order of reportsHoursAgo; the first operator's by default */
  reportOperators?: string[];
  /** defaults to the newest report */
  lastSeenHoursAgo?: number;
  /** published consortium indicators the campaign holds (created when new, else shared with other campaigns) */
  indicators?: Array<{ type: string; value: string }>;
}

/**
 * A campaign as the analyser leaves it, with its reports (stored through the
 * reports repository), operators and published indicators; its row id and
 * STIX id.
 */
export async function seedCampaign(service: SharingService, seed: CampaignSeed): Promise<{ id: string; stixId: string }> {
  const now = Date.now();
  const times = seed.reportsHoursAgo.map((h) => new Date(now - h * HOUR));
  const last = new Date(now - (seed.lastSeenHoursAgo ?? Math.min(...seed.reportsHoursAgo)) * HOUR);
  const first = new Date(Math.min(last.getTime(), ...times.map((t) => t.getTime())));
  const text = `Your parcel ${seed.category} is held: pay at <URL>`;
  const campaign = await inFeedTransaction(service.db.pool, async (client) => {
    const { rows } = await client.query<{ id: string; stixUuid: string }>(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, ever_spam, category, confidence, language, first_seen,
                              last_seen, report_count, reporter_count, operator_count, text_reporters)
       VALUES ('0123456789abcdef', $1, $2, $2, $3, $4, $5, 0.87, 'en', $6, $7, $8, $9, $10, $11) RETURNING id, stix_uuid::text AS "stixUuid"`,
      [
        `fp-${uniqueSuffix()}`,
        text,
        seed.spam ?? true,
        seed.everSpam ?? seed.spam ?? true,
        seed.category,
        first,
        last,
        times.length,
        seed.reporters,
        seed.operators.length,
        seed.textReporters ?? seed.reporters,
      ],
    );
    const id = rows[0]!.id;
    for (const op of seed.operators)
      await client.query('INSERT INTO campaign_operators (campaign_id, operator_id) VALUES ($1, $2)', [id, op]);
    for (const indicator of seed.indicators ?? []) {
      const { rows: found } = await client.query<{ id: string }>(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published,
                                 reporter_count, operator_count)
         VALUES ($1, $2, $3, 0.9, $4, $5, 0.8, true, true, $6, $7)
         ON CONFLICT (type, value) DO UPDATE SET last_seen = excluded.last_seen RETURNING id`,
        [indicator.type, indicator.value, seed.category, first, last, seed.reporters, seed.operators.length],
      );
      await client.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) VALUES ($1, $2)', [id, found[0]!.id]);
    }
    return rows[0]!;
  });
  const reports = new ReportsRepository(service.db.pool);
  for (const [i, receivedAt] of times.entries()) {
    const operatorId = seed.reportOperators?.[i] ?? seed.operators[0]!;
    const { row } = await reports.insertOnce(testReport({ operatorId, receivedAt, reporterPseudonym: `p-${uniqueSuffix()}` }));
    await service.db.pool.query('UPDATE reports SET campaign_id = $1 WHERE id = $2 AND received_at = $3', [
      campaign.id,
      row.id,
      receivedAt,
    ]);
  }
  return { id: campaign.id, stixId: `campaign--${campaign.stixUuid}` };
}
