import type { IndicatorStatus, LinkKind } from '@srs/core';
import type { Pool, PoolClient } from '../pool';
import { inFeedTransaction } from '../transaction';
import { applyVerdicts, type DecideVerdict } from './campaign-verdicts';
import { RECEIVED_AT_SLACK } from './received-at';

/** A report the analyser has to look at: new, or analysed before its sender arrived. */
export interface PendingReport {
  id: number;
  operatorId: string;
  operatorCountry: string;
  /** who the report counts as: the reporter's pseudonym, or one for all of an app key's unattested reporters */
  reporterPseudonym: string;
  body: string;
  senderKind: 'msisdn' | 'short_code' | 'alphanumeric' | null;
  senderValue: string | null;
  receivedAt: Date;
  /** already analysed: only its sender remains to be indexed */
  analysed: boolean;
  campaignId: number | null;
  spam: boolean | null;
  category: string | null;
  confidence: number | null;
}

export interface CampaignCandidateRow {
  id: number;
  simhash: string;
}

export interface IndicatorInput {
  type: string;
  value: string;
  ascii: string | null;
  shortener: boolean;
}

export interface NewCampaignInput {
  /** the batch-local key the reports refer to */
  key: number;
  simhash: string;
  bands: string[];
  fingerprint: string;
  maskedText: string;
  /** what the classifier said, until the verdict is decided in the same transaction */
  spam: boolean;
  category: string;
  confidence: number;
  /** the kind of spam the text reads as */
  spamCategory: string;
  language: string;
}

export interface AnalysedReportInput {
  reportId: number;
  operatorId: string;
  reporterPseudonym: string;
  receivedAt: Date;
  campaign: { id: number } | { key: number };
  /** false when only the sender is being indexed (the text was analysed before) */
  textAnalysed: boolean;
  /** null when only the sender is being indexed */
  fingerprint: string | null;
  simhash: string | null;
  /** the masked text (null when only the sender is being indexed) */
  maskedText: string | null;
  /** the classifier's probability of spam, and the kind of spam the text reads as (null when only the sender is being indexed) */
  modelProbability: number | null;
  /** the same probability as log-odds, which a campaign averages over its texts */
  modelLogit: number | null;
  spamCategory: string | null;
  /** the text asks for money or credentials through a link or a number */
  lure: boolean;
  modelVersion: string | null;
  language: string | null;
  /** true when the report's sender is among `indicators` */
  senderIncluded: boolean;
  /** links in the text (null when only the sender is being indexed) */
  linkKind: LinkKind | null;
  /** registrable domains the text links to (null when only the sender is being indexed) */
  linkDomains: string[] | null;
  indicators: IndicatorInput[];
}

export interface IndicatorScoreRow {
  id: number;
  reporterCount: number;
  operatorCount: number;
  maxConfidence: number;
  lastSeen: Date;
  feedback: number;
  allowlisted: boolean;
  status: IndicatorStatus;
  score: number;
  publishable: boolean;
}

/**
 * How a campaign's shared text is made: its first `reporters` distinct
 * reporters' masked texts are folded together with `merge` (core commonText).
 */
export interface SharedTextPolicy {
  reporters: number;
  merge: (common: string, masked: string) => string;
}

export interface BatchResult {
  campaignsCreated: number;
  reportsCounted: number;
  indicatorsTouched: IndicatorScoreRow[];
}

/**
 * Campaigns, indicators and the analyser's view of reports. Every write of a
 * batch happens in one transaction, with set-based statements over arrays, so
 * a batch costs a handful of round trips whatever its size, and a batch that
 * fails leaves nothing behind to be counted twice.
 */
/** Any value apart from the other advisory locks' (FEED_WRITE_LOCK): one analyser at a time across all worker processes holds it. */
const ANALYSER_LEADER_LOCK = 726_0004;

/** The analyser's leadership: a session-level advisory lock, held on a connection of its own until released. */
export interface AnalyserLeadership {
  /** Gives the leadership up: ends the session that holds the lock (once; later calls do nothing). */
  release(): void;
}

export class AnalysisRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Takes the analyser's leadership when no other analyser holds it (undefined
   * when one does). The lock lives as long as its session: the connection stays
   * out of the pool until released, and is then closed, not reused.
   */
  async tryLeadership(): Promise<AnalyserLeadership | undefined> {
    const client = await this.pool.connect();
    const held = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [ANALYSER_LEADER_LOCK]).then(
      ({ rows }) => rows[0]?.ok === true,
      (err: unknown) => {
        client.release(true);
        throw err;
      },
    );
    if (!held) {
      client.release();
      return undefined;
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        client.release(true);
      },
    };
  }

  /**
   * Reports waiting for analysis, oldest first, after `afterId` when given;
   * with `withLateSenders`, also reports analysed before their sender arrived.
   */
  async pending(limit: number, options: { afterId?: number; withLateSenders?: boolean } = {}): Promise<PendingReport[]> {
    const lateSenders = options.withLateSenders ?? true;
    // Each branch reads its rows straight from the partial index of every month
    // (a merge by id), so no report is looked up again by id across the months.
    const columns = `r.id, r.operator_id, r.reporter_pseudonym, r.gateway, r.channel, r.body, r.sender_kind, r.sender_value, r.received_at,
                     r.analysed_at, r.campaign_id, r.spam, r.category, r.confidence`;
    // A reporter number an app key claims without the `attest` scope is no evidence of a distinct
    // subscriber: all of that key's reports count as one reporter's.
    const { rows } = await this.pool.query<PendingReport>({
      // Named, so each connection parses and plans it once: the analyser asks for it several times a second.
      name: 'analysis-pending',
      text: `SELECT r.id::int AS id, r.operator_id AS "operatorId", o.country AS "operatorCountry",
              CASE WHEN r.gateway = 'app' AND NOT coalesce('attest' = ANY(k.scopes), false) THEN 'unattested ' || r.channel
                   ELSE r.reporter_pseudonym END AS "reporterPseudonym",
              r.body, r.sender_kind AS "senderKind",
              r.sender_value AS "senderValue", r.received_at AS "receivedAt",
              r.analysed_at IS NOT NULL AS analysed, r.campaign_id::int AS "campaignId",
              r.spam, r.category, r.confidence
         FROM (
           (SELECT ${columns} FROM reports r WHERE analysed_at IS NULL AND analysis_error IS NULL AND id > $2 ORDER BY id LIMIT $1)
           UNION ALL
           (SELECT ${columns} FROM reports r
             WHERE $3 AND analysed_at IS NOT NULL AND sender_value IS NOT NULL AND sender_indexed_at IS NULL AND analysis_error IS NULL
             ORDER BY id LIMIT $1)
         ) r
         JOIN operators o ON o.id = r.operator_id
         LEFT JOIN api_keys k ON r.gateway = 'app' AND k.prefix = substr(r.channel, 5)
        ORDER BY r.id
        LIMIT $1`,
      values: [limit, options.afterId ?? 0, lateSenders],
    });
    return rows;
  }

  /** `receivedAt` (when known) finds the report's month at once rather than probing each one. */
  async markFailed(reportId: number, error: string, receivedAt?: Date): Promise<void> {
    await this.pool.query(
      `UPDATE reports SET analysis_error = $2
        WHERE id = $1 AND ($3::timestamptz IS NULL OR received_at BETWEEN $3::timestamptz - ${RECEIVED_AT_SLACK} AND $3::timestamptz + ${RECEIVED_AT_SLACK})`,
      [reportId, error.slice(0, 500), receivedAt ?? null],
    );
  }

  async campaignCandidates(bands: string[]): Promise<CampaignCandidateRow[]> {
    if (bands.length === 0) return [];
    const { rows } = await this.pool.query<CampaignCandidateRow>(
      `SELECT DISTINCT c.id::int AS id, c.simhash
         FROM campaign_bands b JOIN campaigns c ON c.id = b.campaign_id
        WHERE b.band = ANY($1::text[])`,
      [bands],
    );
    return rows;
  }

  async allowlist(): Promise<Array<{ type: string; value: string }>> {
    const { rows } = await this.pool.query<{ type: string; value: string }>('SELECT type, value FROM allowlist');
    return rows;
  }

  async addToAllowlist(entries: Array<{ type: string; value: string; reason: string }>): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO allowlist (type, value, reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [entries.map((e) => e.type), entries.map((e) => e.value), entries.map((e) => e.reason)],
    );
  }

  /**
   * Decides again the verdicts of campaigns that operator feedback marked
   * (`verdict_due`), a batch at a time, and rescores their indicators: what
   * the verdict withdraws leaves the feed in the same transaction.
   */
  async redecideDue(
    limit: number,
    decide: DecideVerdict,
    score: (row: Omit<IndicatorScoreRow, 'score' | 'publishable'>) => { score: number; publishable: boolean },
  ): Promise<number> {
    // Looked at on every idle pass of the analyser: the partial index answers, and the feed's lock is taken only when there is work.
    const { rows: due } = await this.pool.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM campaigns WHERE verdict_due) AS any');
    if (!due[0]?.any) return 0;
    return inFeedTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `SELECT id::int AS id FROM campaigns WHERE verdict_due ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const { indicators } = await applyVerdicts(
        client,
        rows.map((r) => r.id),
        decide,
      );
      await rescore(client, new Map(indicators.map((id) => [id, { reporters: 0, operators: 0 }])), score);
      return rows.length;
    });
  }

  /**
   * Writes one analysed batch. The verdict of every campaign the batch
   * touched is decided again (`decide`) once its counts are in, and its
   * reports take it; `score` then turns the counts and confidence of each
   * indicator touched into its score and publishability; `allowlisted` says
   * which new indicators are legitimate senders or domains.
   */
  async writeBatch(
    campaigns: NewCampaignInput[],
    reports: AnalysedReportInput[],
    allowlisted: (indicator: IndicatorInput) => boolean,
    decide: DecideVerdict,
    score: (row: Omit<IndicatorScoreRow, 'score' | 'publishable'>) => { score: number; publishable: boolean },
    sharedText: SharedTextPolicy,
  ): Promise<BatchResult> {
    return inFeedTransaction(this.pool, async (client) => {
      const campaignIds = await insertCampaigns(client, campaigns);
      const campaignOf = (r: AnalysedReportInput): number => ('id' in r.campaign ? r.campaign.id : campaignIds.get(r.campaign.key)!);

      const analysed = reports.filter((r) => r.textAnalysed);
      const counted = await countOncePerReporterText(client, analysed);
      await updateCampaigns(client, analysed, campaignOf, counted, new Set(campaignIds.values()), sharedText);

      const touched = await upsertIndicators(client, reports, campaignOf, allowlisted);
      const { verdicts, indicators } = await applyVerdicts(client, [...new Set(reports.map(campaignOf))], decide, touched.keys());
      for (const id of indicators) if (!touched.has(id)) touched.set(id, { reporters: 0, operators: 0 });
      const scores = await rescore(client, touched, score);
      const verdictOf = (r: AnalysedReportInput) => verdicts.get(campaignOf(r));

      await client.query(
        `UPDATE reports r SET
            campaign_id = v.campaign_id, fingerprint = COALESCE(v.fingerprint, r.fingerprint),
            simhash = COALESCE(v.simhash, r.simhash), spam = COALESCE(v.spam, r.spam),
            category = COALESCE(v.category, r.category), confidence = COALESCE(v.confidence, r.confidence), text_language = COALESCE(v.language, r.text_language),
            model_version = COALESCE(v.model_version, r.model_version),
            counted = COALESCE(v.counted, r.counted),
            link_kind = COALESCE(v.link_kind, r.link_kind),
            link_domains = CASE WHEN v.link_kind IS NULL THEN r.link_domains ELSE string_to_array(v.link_domains, E'\\n') END,
            status = CASE WHEN r.status NOT IN ('received', 'confirmed_spam', 'not_spam') OR v.spam IS NULL THEN r.status WHEN v.spam THEN 'confirmed_spam' ELSE 'not_spam' END,
            analysed_at = COALESCE(r.analysed_at, now()),
            sender_indexed_at = CASE WHEN v.sender_included THEN now() ELSE r.sender_indexed_at END
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::real[], $8::text[], $9::boolean[], $10::boolean[], $11::text[], $12::text[], $13::timestamptz[], $14::text[])
             AS v(id, campaign_id, fingerprint, simhash, spam, category, confidence, language, counted, sender_included, link_kind, link_domains, received_at, model_version)
          -- Each report is found in its own month (run-time pruning), by the primary key.
          WHERE r.id = v.id AND r.received_at BETWEEN v.received_at - ${RECEIVED_AT_SLACK} AND v.received_at + ${RECEIVED_AT_SLACK}`,
        [
          reports.map((r) => r.reportId),
          reports.map(campaignOf),
          reports.map((r) => r.fingerprint),
          reports.map((r) => r.simhash),
          reports.map((r) => verdictOf(r)?.spam ?? null),
          reports.map((r) => verdictOf(r)?.category ?? null),
          reports.map((r) => r.modelProbability),
          reports.map((r) => r.language),
          reports.map((r) => (r.textAnalysed ? counted.has(r.reportId) : null)),
          reports.map((r) => r.senderIncluded),
          reports.map((r) => r.linkKind),
          // unnest cannot take arrays of uneven length: one newline-joined string per report
          reports.map((r) => (r.linkDomains ? r.linkDomains.join('\n') : null)),
          reports.map((r) => r.receivedAt),
          reports.map((r) => r.modelVersion),
        ],
      );
      return { campaignsCreated: campaigns.length, reportsCounted: counted.size, indicatorsTouched: scores };
    });
  }
}

async function insertCampaigns(client: PoolClient, campaigns: NewCampaignInput[]): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  if (campaigns.length === 0) return ids;
  const { rows } = await client.query<{ id: number; ord: number }>(
    `INSERT INTO campaigns (simhash, fingerprint, masked_text, spam, category, confidence, language, spam_category, first_seen, last_seen)
     SELECT v.simhash, v.fingerprint, v.masked_text, v.spam, v.category, v.confidence, v.language, v.spam_category, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::real[], $7::text[], $8::text[]) WITH ORDINALITY
         AS v(simhash, fingerprint, masked_text, spam, category, confidence, language, spam_category, ord)
      ORDER BY v.ord
     RETURNING id::int AS id`,
    [
      campaigns.map((c) => c.simhash),
      campaigns.map((c) => c.fingerprint),
      campaigns.map((c) => c.maskedText),
      campaigns.map((c) => c.spam),
      campaigns.map((c) => c.category),
      campaigns.map((c) => c.confidence),
      campaigns.map((c) => c.language),
      campaigns.map((c) => c.spamCategory),
    ],
  );
  // Identity values follow the insert order, which follows ORDER BY ord.
  const sorted = rows.map((r) => r.id).sort((a, b) => a - b);
  campaigns.forEach((c, i) => ids.set(c.key, sorted[i]!));
  const bandRows = campaigns.flatMap((c) => c.bands.map((band) => [band, ids.get(c.key)!] as const));
  await client.query(
    `INSERT INTO campaign_bands (band, campaign_id) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`,
    [bandRows.map((b) => b[0]), bandRows.map((b) => b[1])],
  );
  return ids;
}

/** The report ids that count: the first time this reporter sent this (masked) text. */
async function countOncePerReporterText(client: PoolClient, reports: AnalysedReportInput[]): Promise<Set<number>> {
  if (reports.length === 0) return new Set();
  const { rows } = await client.query<{ reporter_pseudonym: string; fingerprint: string }>(
    `INSERT INTO reporter_texts (reporter_pseudonym, fingerprint)
     SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING
     RETURNING reporter_pseudonym, fingerprint`,
    [reports.map((r) => r.reporterPseudonym), reports.map((r) => r.fingerprint ?? '')],
  );
  const fresh = new Set(rows.map((r) => `${r.reporter_pseudonym}\u0000${r.fingerprint}`));
  const counted = new Set<number>();
  for (const r of reports) {
    const key = `${r.reporterPseudonym}\u0000${r.fingerprint ?? ''}`;
    if (fresh.delete(key)) counted.add(r.reportId);
  }
  return counted;
}

async function updateCampaigns(
  client: PoolClient,
  reports: AnalysedReportInput[],
  campaignOf: (r: AnalysedReportInput) => number,
  counted: Set<number>,
  createdNow: ReadonlySet<number>,
  sharedText: SharedTextPolicy,
): Promise<void> {
  if (reports.length === 0) return;
  const ids = reports.map(campaignOf);
  const reporterPairs = await insertPairs(
    client,
    'campaign_reporters',
    'campaign_id',
    'reporter_pseudonym',
    ids,
    reports.map((r) => r.reporterPseudonym),
  );
  const newReporters = reporterPairs.map((p) => p.a);
  const newOperators = (
    await insertPairs(
      client,
      'campaign_operators',
      'campaign_id',
      'operator_id',
      ids,
      reports.map((r) => r.operatorId),
    )
  ).map((p) => p.a);
  const texts = await foldSharedTexts(client, reports, campaignOf, reporterPairs, createdNow, sharedText);
  interface Entry {
    reports: number;
    reporters: number;
    operators: number;
    first: Date;
    last: Date;
    logitSum: number;
    texts: number;
    lure: boolean;
    best: AnalysedReportInput;
  }
  const perCampaign = new Map<number, Entry>();
  for (const r of reports) {
    const id = campaignOf(r);
    const entry = perCampaign.get(id) ?? {
      reports: 0,
      reporters: 0,
      operators: 0,
      first: r.receivedAt,
      last: r.receivedAt,
      logitSum: 0,
      texts: 0,
      lure: false,
      best: r,
    };
    if (counted.has(r.reportId)) entry.reports++;
    if (r.receivedAt < entry.first) entry.first = r.receivedAt;
    if (r.receivedAt > entry.last) entry.last = r.receivedAt;
    entry.logitSum += r.modelLogit ?? 0;
    entry.texts++;
    entry.lure ||= r.lure;
    if ((r.modelProbability ?? 0) > (entry.best.modelProbability ?? 0)) entry.best = r;
    perCampaign.set(id, entry);
  }
  for (const id of newReporters) perCampaign.get(id)!.reporters++;
  for (const id of newOperators) perCampaign.get(id)!.operators++;
  const entries = [...perCampaign.entries()];
  // The kind of spam follows the text the classifier is surest of, over all the campaign's texts: a later text
  // replaces it only when the classifier is surer of it, so the kind settles instead of following each batch.
  await client.query(
    `UPDATE campaigns c SET
        report_count = c.report_count + v.reports, reporter_count = c.reporter_count + v.reporters,
        operator_count = c.operator_count + v.operators,
        -- A campaign made in this batch was stamped now() on insert: its times are its reports' own.
        first_seen = CASE WHEN v.created THEN v.first ELSE LEAST(c.first_seen, v.first) END,
        last_seen = CASE WHEN v.created THEN v.last ELSE GREATEST(c.last_seen, v.last) END,
        spam_category = CASE WHEN c.model_texts = 0 OR v.best_logit > COALESCE(c.spam_category_logit, c.model_logit_sum / c.model_texts)
                             THEN v.spam_category ELSE c.spam_category END,
        spam_category_logit = CASE WHEN c.model_texts = 0 THEN v.best_logit
                                   ELSE GREATEST(v.best_logit, COALESCE(c.spam_category_logit, c.model_logit_sum / c.model_texts)) END,
        model_logit_sum = c.model_logit_sum + v.logit_sum, model_texts = c.model_texts + v.texts, lure = c.lure OR v.lure,
        shared_text = COALESCE(v.text, c.shared_text), text_reporters = COALESCE(v.text_reporters, c.text_reporters),
        seq = nextval('change_seq'), updated_at = now()
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::float8[], $9::float8[], $10::int[], $11::boolean[], $12::text[], $13::int[], $14::boolean[])
         AS v(id, reports, reporters, operators, first, last, spam_category, best_logit, logit_sum, texts, lure, text, text_reporters, created)
      WHERE c.id = v.id`,
    [
      entries.map(([id]) => id),
      entries.map(([, e]) => e.reports),
      entries.map(([, e]) => e.reporters),
      entries.map(([, e]) => e.operators),
      entries.map(([, e]) => e.first),
      entries.map(([, e]) => e.last),
      entries.map(([, e]) => e.best.spamCategory ?? 'other'),
      entries.map(([, e]) => e.best.modelLogit ?? 0),
      entries.map(([, e]) => e.logitSum),
      entries.map(([, e]) => e.texts),
      entries.map(([, e]) => e.lure),
      entries.map(([id]) => texts.get(id)?.text ?? null),
      entries.map(([id]) => texts.get(id)?.reporters ?? null),
      entries.map(([id]) => createdNow.has(id)),
    ],
  );
  await countEarlyReporters(client, reports, campaignOf, reporterPairs);
}

/** Adds the new reporters whose first report came within an hour of their campaign's first report. */
async function countEarlyReporters(
  client: PoolClient,
  reports: AnalysedReportInput[],
  campaignOf: (r: AnalysedReportInput) => number,
  newPairs: Array<{ a: number; b: string }>,
): Promise<void> {
  if (newPairs.length === 0) return;
  const firstAt = new Map<string, Date>();
  for (const r of reports) {
    const key = `${campaignOf(r)}\u0000${r.reporterPseudonym}`;
    const at = firstAt.get(key);
    if (!at || r.receivedAt < at) firstAt.set(key, r.receivedAt);
  }
  await client.query(
    `UPDATE campaigns c SET early_reporters = c.early_reporters + e.n
       FROM (SELECT v.id, count(*)::int AS n FROM unnest($1::bigint[], $2::timestamptz[]) AS v(id, at)
               JOIN campaigns c2 ON c2.id = v.id WHERE v.at <= c2.first_seen + interval '1 hour' GROUP BY v.id) e
      WHERE c.id = e.id`,
    [newPairs.map((p) => p.a), newPairs.map((p) => firstAt.get(`${p.a}\u0000${p.b}`)!)],
  );
}

/**
 * Each campaign's shared text after folding in its new reporters, until it
 * holds `sharedText.reporters` of them: a reporter's first report of the batch
 * in the campaign stands for them. Campaigns made by this batch start empty;
 * only older ones still short of k are read.
 */
async function foldSharedTexts(
  client: PoolClient,
  reports: AnalysedReportInput[],
  campaignOf: (r: AnalysedReportInput) => number,
  newPairs: Array<{ a: number; b: string }>,
  createdNow: ReadonlySet<number>,
  sharedText: SharedTextPolicy,
): Promise<Map<number, { text: string; reporters: number }>> {
  const folded = new Map<number, { text: string; reporters: number }>();
  if (newPairs.length === 0) return folded;
  const older = [...new Set(newPairs.map((p) => p.a))].filter((id) => !createdNow.has(id));
  const current = new Map<number, { text: string | null; reporters: number }>(
    [...createdNow].map((id) => [id, { text: null, reporters: 0 }]),
  );
  if (older.length > 0) {
    const { rows } = await client.query<{ id: number; text: string | null; reporters: number }>(
      `SELECT id::int AS id, shared_text AS text, text_reporters AS reporters FROM campaigns
        WHERE id = ANY($1::bigint[]) AND text_reporters < $2`,
      [older, sharedText.reporters],
    );
    for (const r of rows) current.set(r.id, { text: r.text, reporters: r.reporters });
  }
  const isNew = new Set(newPairs.map((p) => `${p.a}\u0000${p.b}`));
  for (const r of [...reports].sort((x, y) => x.reportId - y.reportId)) {
    const id = campaignOf(r);
    const campaign = current.get(id);
    const masked = r.maskedText;
    if (!campaign || masked === null || campaign.reporters >= sharedText.reporters || !isNew.delete(`${id}\u0000${r.reporterPseudonym}`))
      continue;
    const text = campaign.text === null ? masked : sharedText.merge(campaign.text, masked);
    campaign.text = text;
    campaign.reporters++;
    folded.set(id, { text, reporters: campaign.reporters });
  }
  return folded;
}

/** Inserts (a, b) pairs, ignoring those already there; returns each pair that was new, once. */
async function insertPairs(
  client: PoolClient,
  table: string,
  aColumn: string,
  bColumn: string,
  a: number[],
  b: string[],
): Promise<Array<{ a: number; b: string }>> {
  if (a.length === 0) return [];
  const { rows } = await client.query<{ a: number; b: string }>(
    `INSERT INTO ${table} (${aColumn}, ${bColumn})
     SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING
     RETURNING ${aColumn}::int AS a, ${bColumn} AS b`,
    [a, b],
  );
  return rows;
}

/**
 * Upserts the batch's indicators and links them to their campaigns, and adds
 * to each campaign what they show (sender kinds, allowlisted senders,
 * shorteners, new and legitimate domains); resolves with the new distinct
 * reporters and operators per indicator. Confidence and category come later,
 * from the campaigns' verdicts.
 */
async function upsertIndicators(
  client: PoolClient,
  reports: AnalysedReportInput[],
  campaignOf: (r: AnalysedReportInput) => number,
  allowlisted: (indicator: IndicatorInput) => boolean,
): Promise<Map<number, { reporters: number; operators: number }>> {
  interface Agg {
    input: IndicatorInput;
    category: string;
    first: Date;
    last: Date;
    reports: number;
  }
  const byKey = new Map<string, Agg>();
  const links: Array<{ key: string; report: AnalysedReportInput }> = [];
  for (const r of reports) {
    for (const i of r.indicators) {
      const key = `${i.type}\u0000${i.value}`;
      const agg = byKey.get(key);
      if (!agg) byKey.set(key, { input: i, category: r.spamCategory ?? 'other', first: r.receivedAt, last: r.receivedAt, reports: 1 });
      else {
        agg.reports++;
        if (r.receivedAt < agg.first) agg.first = r.receivedAt;
        if (r.receivedAt > agg.last) agg.last = r.receivedAt;
      }
      links.push({ key, report: r });
    }
  }
  if (byKey.size === 0) return new Map();
  const aggs = [...byKey.values()];
  const { rows } = await client.query<{
    id: number;
    type: string;
    value: string;
    allowlisted: boolean;
    shortener: boolean;
    fresh: boolean;
  }>(
    `INSERT INTO indicators (type, value, ascii, shortener, category, max_confidence, first_seen, last_seen, report_count, allowlisted)
     SELECT v.type, v.value, v.ascii, v.shortener, v.category, 0, v.first_seen, v.last_seen, v.report_count, v.allowlisted
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::boolean[])
         AS v(type, value, ascii, shortener, category, first_seen, last_seen, report_count, allowlisted)
     ON CONFLICT (type, value) DO UPDATE SET
        first_seen = LEAST(indicators.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(indicators.last_seen, EXCLUDED.last_seen),
        report_count = indicators.report_count + EXCLUDED.report_count
     RETURNING id::int AS id, type, value, allowlisted, shortener, first_seen > now() - interval '1 day' AS fresh`,
    [
      aggs.map((a) => a.input.type),
      aggs.map((a) => a.input.value),
      aggs.map((a) => a.input.ascii),
      aggs.map((a) => a.input.shortener),
      aggs.map((a) => a.category),
      aggs.map((a) => a.first),
      aggs.map((a) => a.last),
      aggs.map((a) => a.reports),
      aggs.map((a) => allowlisted(a.input)),
    ],
  );
  const byIndicator = new Map(rows.map((r) => [`${r.type}\u0000${r.value}`, r]));
  const ids = links.map((l) => byIndicator.get(l.key)!.id);
  const newReporters = (
    await insertPairs(
      client,
      'indicator_reporters',
      'indicator_id',
      'reporter_pseudonym',
      ids,
      links.map((l) => l.report.reporterPseudonym),
    )
  ).map((p) => p.a);
  const newOperators = (
    await insertPairs(
      client,
      'indicator_operators',
      'indicator_id',
      'operator_id',
      ids,
      links.map((l) => l.report.operatorId),
    )
  ).map((p) => p.a);
  await client.query(
    `INSERT INTO campaign_indicators (campaign_id, indicator_id)
     SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
    [links.map((l) => campaignOf(l.report)), ids],
  );
  await addCampaignFlags(
    client,
    links.map((l) => ({ campaignId: campaignOf(l.report), indicator: byIndicator.get(l.key)! })),
  );
  const increments = new Map<number, { reporters: number; operators: number }>();
  for (const id of new Set(ids)) increments.set(id, { reporters: 0, operators: 0 });
  for (const id of newReporters) increments.get(id)!.reporters++;
  for (const id of newOperators) increments.get(id)!.operators++;
  return increments;
}

/** What the batch's indicators show of each campaign, OR-ed into what its earlier ones showed. */
async function addCampaignFlags(
  client: PoolClient,
  links: Array<{ campaignId: number; indicator: { type: string; allowlisted: boolean; shortener: boolean; fresh: boolean } }>,
): Promise<void> {
  const flags = new Map<number, boolean[]>();
  for (const { campaignId, indicator: i } of links) {
    const f = flags.get(campaignId) ?? [false, false, false, false, false, false, false, false];
    const sender = i.type.startsWith('sender_');
    const domain = i.type === 'domain' && !i.shortener;
    const shown = [
      i.type === 'sender_msisdn',
      i.type === 'sender_short_code',
      i.type === 'sender_alphanumeric',
      sender && i.allowlisted,
      i.shortener,
      domain && !i.allowlisted && i.fresh,
      domain && i.allowlisted,
      i.shortener || (domain && !i.allowlisted),
    ];
    flags.set(
      campaignId,
      f.map((v, k) => v || shown[k]!),
    );
  }
  const entries = [...flags.entries()].filter(([, f]) => f.some(Boolean));
  if (entries.length === 0) return;
  const column = (k: number) => entries.map(([, f]) => f[k]!);
  await client.query(
    `UPDATE campaigns c SET sender_long_number = c.sender_long_number OR v.long_number, sender_short_code = c.sender_short_code OR v.short_code,
            sender_alphanumeric = c.sender_alphanumeric OR v.alphanumeric, sender_allowlisted = c.sender_allowlisted OR v.sender_allowlisted,
            link_shortener = c.link_shortener OR v.shortener, link_new_domain = c.link_new_domain OR v.new_domain,
            link_legitimate_domain = c.link_legitimate_domain OR v.legitimate_domain, link_unlisted_domain = c.link_unlisted_domain OR v.unlisted_domain
       FROM unnest($1::bigint[], $2::boolean[], $3::boolean[], $4::boolean[], $5::boolean[], $6::boolean[], $7::boolean[], $8::boolean[], $9::boolean[])
         AS v(id, long_number, short_code, alphanumeric, sender_allowlisted, shortener, new_domain, legitimate_domain, unlisted_domain)
      WHERE c.id = v.id`,
    [entries.map(([id]) => id), column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7)],
  );
}

/** Adds the new counts, scores each touched indicator and records it as one change of the feed: one statement. */
async function rescore(
  client: PoolClient,
  increments: Map<number, { reporters: number; operators: number }>,
  score: (row: Omit<IndicatorScoreRow, 'score' | 'publishable'>) => { score: number; publishable: boolean },
): Promise<IndicatorScoreRow[]> {
  if (increments.size === 0) return [];
  const { rows } = await client.query<Omit<IndicatorScoreRow, 'score' | 'publishable'>>(
    `SELECT id::int AS id, reporter_count AS "reporterCount", operator_count AS "operatorCount", max_confidence AS "maxConfidence",
            last_seen AS "lastSeen", feedback, allowlisted, status
       FROM indicators WHERE id = ANY($1::bigint[])`,
    [[...increments.keys()]],
  );
  const scored = rows.map((r) => {
    const add = increments.get(r.id)!;
    const counted = { ...r, reporterCount: r.reporterCount + add.reporters, operatorCount: r.operatorCount + add.operators };
    return { ...counted, ...score(counted) };
  });
  await client.query(
    `UPDATE indicators i SET reporter_count = v.reporters, operator_count = v.operators, score = v.score, publishable = v.publishable,
            ever_published = i.ever_published OR v.publishable, seq = nextval('change_seq'), updated_at = now()
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::real[], $5::boolean[]) AS v(id, reporters, operators, score, publishable)
      WHERE i.id = v.id`,
    [
      scored.map((s) => s.id),
      scored.map((s) => s.reporterCount),
      scored.map((s) => s.operatorCount),
      scored.map((s) => s.score),
      scored.map((s) => s.publishable),
    ],
  );
  return scored;
}
