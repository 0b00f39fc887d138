import type { CampaignEvidence, Verdict } from '@srs/core';
import type { PoolClient } from '../pool';
import { RECEIVED_AT_SLACK } from './received-at';

/** What a campaign's verdict is decided on (core's CampaignEvidence), as stored, with the verdict it has now. */
export interface CampaignEvidenceRow extends CampaignEvidence {
  id: number;
  current: { spam: boolean; category: string; probability: number };
}

/** A verdict as stored: core's, without its sum. */
export type CampaignVerdictRow = Omit<Verdict, 'logOdds'>;

export type DecideVerdict = (evidence: CampaignEvidenceRow) => CampaignVerdictRow;

export interface AppliedVerdicts {
  verdicts: Map<number, CampaignVerdictRow>;
  /** campaigns whose verdict moved enough that all their indicators are weighed again */
  moved: number[];
  /** indicators whose confidence was recomputed: they are to be rescored */
  indicators: number[];
}

/** A change of probability from which a campaign's every indicator is weighed again (not just those a batch touched). */
const PROBABILITY_STEP = 0.02;

/**
 * Decides the verdict of each campaign again, from what is stored now, and
 * carries it where it counts: the campaign (spam, category, confidence =
 * probability, terms; a change of the feed), its reports when spam or
 * category changed (their status and category; the statistics rollup moves
 * their counts), and the confidence and category of its indicators: those
 * in `touched`, and all of them when its probability moved. An indicator's
 * confidence is the highest probability among the spam campaigns it is in.
 */
export async function applyVerdicts(
  client: PoolClient,
  campaignIds: number[],
  decide: DecideVerdict,
  touched: Iterable<number> = [],
): Promise<AppliedVerdicts> {
  const verdicts = new Map<number, CampaignVerdictRow>();
  if (campaignIds.length === 0) return { verdicts, moved: [], indicators: [] };
  const evidence = await readEvidence(client, campaignIds);
  const moved: number[] = [];
  const flipped: number[] = [];
  for (const e of evidence) {
    const v = decide(e);
    verdicts.set(e.id, v);
    if (v.spam !== e.current.spam || v.category !== e.current.category) flipped.push(e.id);
    if (
      v.spam !== e.current.spam ||
      v.category !== e.current.category ||
      Math.abs(v.probability - e.current.probability) >= PROBABILITY_STEP
    )
      moved.push(e.id);
  }
  const ids = [...verdicts.keys()];
  await client.query(
    `UPDATE campaigns c SET spam = v.spam, ever_spam = c.ever_spam OR v.spam, category = v.category, confidence = v.probability, verdict_terms = v.terms,
            verdict_at = now(), verdict_due = false, seq = nextval('change_seq'), updated_at = now()
       FROM unnest($1::bigint[], $2::boolean[], $3::text[], $4::real[], $5::jsonb[]) AS v(id, spam, category, probability, terms)
      WHERE c.id = v.id`,
    [
      ids,
      ids.map((id) => verdicts.get(id)!.spam),
      ids.map((id) => verdicts.get(id)!.category),
      ids.map((id) => verdicts.get(id)!.probability),
      ids.map((id) => JSON.stringify(verdicts.get(id)!.terms)),
    ],
  );
  if (flipped.length > 0) {
    // Reports already analysed follow their campaign; those of the batch at hand get it when they are written.
    // reports has no index by campaign (each index costs every report three writes): the campaign's reports
    // are found among those received while it was seen, which is minutes for a verdict that turns early.
    await client.query(
      `UPDATE reports r SET spam = c.spam, category = c.category,
              status = CASE WHEN r.status IN ('confirmed_spam', 'not_spam') THEN CASE WHEN c.spam THEN 'confirmed_spam' ELSE 'not_spam' END ELSE r.status END
         FROM campaigns c
        WHERE c.id = ANY($1::bigint[]) AND r.campaign_id = c.id AND r.analysed_at IS NOT NULL
          AND r.received_at BETWEEN c.first_seen - ${RECEIVED_AT_SLACK} AND c.last_seen + ${RECEIVED_AT_SLACK}
          AND (r.spam IS DISTINCT FROM c.spam OR r.category IS DISTINCT FROM c.category)`,
      [flipped],
    );
  }
  const indicators = new Set(touched);
  if (moved.length > 0) {
    const { rows } = await client.query<{ id: number }>(
      `SELECT DISTINCT indicator_id::int AS id FROM campaign_indicators WHERE campaign_id = ANY($1::bigint[])`,
      [moved],
    );
    for (const r of rows) indicators.add(r.id);
  }
  const list = [...indicators];
  if (list.length > 0) {
    await client.query(
      `UPDATE indicators i SET max_confidence = COALESCE(best.probability, 0), category = COALESCE(best.category, i.category)
         FROM unnest($1::bigint[]) AS v(id)
         LEFT JOIN LATERAL (
           SELECT c.confidence AS probability, c.category FROM campaign_indicators ci JOIN campaigns c ON c.id = ci.campaign_id
            WHERE ci.indicator_id = v.id AND c.spam ORDER BY c.confidence DESC LIMIT 1) best ON true
        WHERE i.id = v.id AND NOT i.allowlisted`,
      [list],
    );
  }
  return { verdicts, moved, indicators: list };
}

async function readEvidence(client: PoolClient, ids: number[]): Promise<CampaignEvidenceRow[]> {
  const { rows } = await client.query<{
    id: number;
    model_logit: number;
    spam_category: string;
    reporter_count: number;
    operator_count: number;
    early_reporters: number;
    sender_long_number: boolean;
    sender_short_code: boolean;
    sender_alphanumeric: boolean;
    sender_allowlisted: boolean;
    link_shortener: boolean;
    link_new_domain: boolean;
    link_legitimate_domain: boolean;
    link_unlisted_domain: boolean;
    lure: boolean;
    blocking: number;
    disputing: number;
    spam: boolean;
    category: string;
    confidence: number;
  }>(
    `SELECT c.id::int AS id, CASE WHEN c.model_texts > 0 THEN c.model_logit_sum / c.model_texts ELSE 0 END AS model_logit,
            c.spam_category, c.reporter_count, c.operator_count, c.early_reporters,
            c.sender_long_number, c.sender_short_code, c.sender_alphanumeric, c.sender_allowlisted,
            c.link_shortener, c.link_new_domain, c.link_legitimate_domain, c.link_unlisted_domain, c.lure,
            (SELECT count(*) FROM campaign_feedback f WHERE f.campaign_id = c.id AND f.kind = 'blocked')::int AS blocking,
            (SELECT count(*) FROM campaign_feedback f WHERE f.campaign_id = c.id AND f.kind = 'false_positive')::int AS disputing,
            c.spam, c.category, c.confidence
       FROM campaigns c WHERE c.id = ANY($1::bigint[])
      ORDER BY c.id`,
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    modelLogit: r.model_logit,
    spamCategory: r.spam_category,
    reporters: r.reporter_count,
    operators: r.operator_count,
    earlyReporters: r.early_reporters,
    senders: {
      longNumber: r.sender_long_number,
      shortCode: r.sender_short_code,
      alphanumeric: r.sender_alphanumeric,
      allowlisted: r.sender_allowlisted,
    },
    links: {
      shortener: r.link_shortener,
      newDomain: r.link_new_domain,
      legitimateDomain: r.link_legitimate_domain,
      unlistedDomain: r.link_unlisted_domain,
    },
    lure: r.lure,
    feedback: { blockingOperators: r.blocking, disputingOperators: r.disputing },
    current: { spam: r.spam, category: r.category, probability: r.confidence },
  }));
}
