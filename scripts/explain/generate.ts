import type { Pool } from '@srs/db';

export interface DataSet {
  reports: number;
  /** the first instant of the reports, the start of a UTC month */
  from: Date;
  to: Date;
  campaigns: number;
  indicators: number;
  publishedIndicators: number;
  auditEntries: number;
  /** the newest reports are not analysed yet, and not counted yet: the analyser's and the rollup's backlogs */
  unanalysed: number;
  uncounted: number;
}

const OPERATORS = ['demo-uk', 'demo-fr', 'demo-uk-2', 'demo-id'];
const CATEGORIES = ['smishing', 'fraud', 'marketing', 'malware', 'premium_rate', 'not_spam'];

/**
 * Fills a migrated database in SQL (INSERT … SELECT generate_series), a chunk
 * at a time: reports spread evenly over the months from `from` to `to` (ids
 * follow time, as they do in service), with plausible values: four operators,
 * a million reporters, senders of three kinds, most analysed, counted and
 * clustered into campaigns; campaigns, indicators and operators' own
 * indicators for the feed; the statistics rollups of those reports; audit entries.
 */
export async function generate(pool: Pool, set: DataSet, say: (line: string) => void): Promise<void> {
  await pool.query(
    `INSERT INTO operators (id, name, country) VALUES ('demo-uk-2', 'Demo Two UK', 'GB'), ('demo-id', 'Demo Indonesia', 'ID') ON CONFLICT DO NOTHING`,
  );
  await timed(say, `${set.campaigns} campaigns`, () =>
    pool.query(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen,
                              report_count, reporter_count, operator_count)
       SELECT lpad(to_hex((g * 2654435761) % 4294967296), 8, '0') || lpad(to_hex((g::bigint * 40503) % 4294967296), 8, '0'), md5('c' || g),
              'your parcel <num> is held, pay the fee at <url>', 'your parcel <num> is held, pay the fee at <url>',
              g % 10 <> 0, ($3::text[])[1 + g % 5], 0.8, 'en', $1::timestamptz + (g::float8 / $2) * ($4::timestamptz - $1::timestamptz),
              $1::timestamptz + (g::float8 / $2) * ($4::timestamptz - $1::timestamptz) + interval '2 days', 3 + g % 40, 2 + g % 30, 1 + g % 4
         FROM generate_series(1, $2) g`,
      [set.from, set.campaigns, CATEGORIES, set.to],
    ),
  );
  await timed(say, `${set.indicators} indicators (30 % shared)`, () =>
    pool.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, report_count, reporter_count, operator_count,
                               score, publishable, ever_published)
       SELECT (ARRAY['url', 'domain', 'sender_msisdn', 'sender_alphanumeric', 'phone'])[1 + g % 5], 'value-' || g || '.example',
              ($3::text[])[1 + g % 5], 0.85, $1::timestamptz + (g::float8 / $2) * ($4::timestamptz - $1::timestamptz),
              $1::timestamptz + (g::float8 / $2) * ($4::timestamptz - $1::timestamptz) + interval '1 day', 2 + g % 30, 2 + g % 20, 1 + g % 4,
              CASE WHEN g % 10 < 3 THEN 0.7 ELSE 0.2 END, g % 10 < 3, g % 10 < 3
         FROM generate_series(1, $2) g`,
      [set.from, set.indicators, CATEGORIES, set.to],
    ),
  );
  await timed(say, `${set.publishedIndicators} operators' own indicators`, () =>
    pool.query(
      `INSERT INTO published_indicators (operator_id, client_id, type, value, category, tlp, confidence)
       SELECT ($2::text[])[1 + g % 4], 'client-' || g, 'domain', 'own-' || g || '.example', 'smishing',
              (ARRAY['clear', 'green', 'amber', 'red'])[1 + g % 4], 0.9
         FROM generate_series(1, $1) g`,
      [set.publishedIndicators, OPERATORS],
    ),
  );
  await insertReports(pool, set, say);
  await timed(say, 'report_keys of the last 35 days', async () => {
    // As the service would have them; the trigger is for new references, not these.
    await pool.query('ALTER TABLE report_keys DISABLE TRIGGER report_keys_references_unused');
    await pool.query(
      `INSERT INTO report_keys (operator_id, gateway, gateway_message_id, reference, received_at, created_at)
       SELECT operator_id, gateway, gateway_message_id, reference, received_at, stored_at FROM reports WHERE stored_at > now() - interval '35 days'`,
    );
    await pool.query('ALTER TABLE report_keys ENABLE TRIGGER report_keys_references_unused');
  });
  await timed(say, 'statistics rollups (total and by category, by hour and by day)', () =>
    pool.query(
      `INSERT INTO stats_reports (grain, cuboid, bucket, category, origin_country, sender_type, link_kind, operator_id, reports)
       SELECT g.grain, c.cuboid, date_trunc(g.grain, r.received_at, 'UTC'), CASE WHEN c.cuboid = 1 THEN r.category ELSE '' END, '', '', '',
              r.operator_id, count(*)
         FROM reports r CROSS JOIN (VALUES ('hour'), ('day')) g(grain) CROSS JOIN (VALUES (0), (1)) c(cuboid)
        WHERE r.stats_at IS NOT NULL
        GROUP BY 1, 2, 3, 4, 8`,
    ),
  );
  await timed(say, `${set.auditEntries} audit entries`, () =>
    pool.query(
      `INSERT INTO audit_log (at, key_id, operator_id, method, path, status, request_id)
       SELECT $1::timestamptz + (g::float8 / $2) * ($3::timestamptz - $1::timestamptz), 'key-' || (g % 40), ($4::text[])[1 + g % 4], 'GET',
              '/v1/indicators', 200, 'req-' || g
         FROM generate_series(1, $2) g`,
      [set.from, set.auditEntries, set.to, OPERATORS],
    ),
  );
  await timed(say, 'VACUUM ANALYZE', () => pool.query('VACUUM ANALYZE'));
}

const CHUNK = 250_000;

async function insertReports(pool: Pool, set: DataSet, say: (line: string) => void): Promise<void> {
  const started = Date.now();
  for (let lo = 1; lo <= set.reports; lo += CHUNK) {
    const hi = Math.min(set.reports, lo + CHUNK - 1);
    await pool.query(
      `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, coding, channel, language,
                            status, received_at, stored_at, awaiting_sender, sender_kind, sender_value, sender_display, completion, completed_at,
                            campaign_id, fingerprint, simhash, spam, category, confidence, text_language, counted, analysed_at, sender_indexed_at,
                            link_kind, link_domains, stats_at)
       SELECT 'G' || lpad(upper(to_hex(g)), 7, '0'), ($5::text[])[1 + g % 4], 'kannel', 'gen-' || g,
              md5('reporter' || ((g::bigint * 7919) % 1000000)), '7726',
              'Your parcel ' || (g % 100000) || ' is held. Pay the 1.99 fee at https://parcel-' || (g % 997) || '.top/p/' || g, 'gsm7', 'kannel', 'en',
              CASE WHEN a.analysed THEN CASE WHEN g % 8 = 0 THEN 'not_spam' ELSE 'confirmed_spam' END ELSE 'received' END,
              t.at, t.at + interval '2 seconds', a.awaiting,
              CASE WHEN a.awaiting THEN NULL ELSE (ARRAY['msisdn', 'short_code', 'alphanumeric'])[1 + g % 3] END,
              CASE WHEN a.awaiting THEN NULL WHEN g % 3 = 0 THEN '+4477009' || lpad((g % 100000)::text, 5, '0') WHEN g % 3 = 1 THEN '6' || (g % 9000) ELSE 'SHOP' || (g % 500) END,
              CASE WHEN a.awaiting THEN NULL ELSE 'sender' END,
              CASE WHEN a.awaiting THEN NULL ELSE 'one_message' END, CASE WHEN a.awaiting THEN NULL ELSE t.at + interval '2 seconds' END,
              CASE WHEN a.analysed AND g % 8 <> 0 AND g % 10 < 6 THEN 1 + (g::bigint * 31) % $6 END,
              CASE WHEN a.analysed THEN md5('text' || (g % 100000)) END, CASE WHEN a.analysed THEN lpad(to_hex(g % 4294967296), 16, '0') END,
              CASE WHEN a.analysed THEN g % 8 <> 0 END, CASE WHEN a.analysed THEN ($7::text[])[1 + g % 6] END, CASE WHEN a.analysed THEN 0.9 END,
              CASE WHEN a.analysed THEN 'en' END, CASE WHEN a.analysed THEN g % 5 <> 0 END,
              CASE WHEN a.analysed THEN t.at + interval '5 seconds' END,
              -- 40 of the newest analysed reports got their sender after their text was analysed: not indexed yet
              CASE WHEN a.analysed AND NOT (g > $4 - $10 - 2000 AND g % 50 = 0) THEN t.at + interval '5 seconds' END,
              CASE WHEN a.analysed THEN (ARRAY['none', 'link', 'shortener'])[1 + g % 3] END,
              CASE WHEN a.analysed AND g % 3 > 0 THEN ARRAY['parcel-' || (g % 997) || '.top'] END,
              CASE WHEN g <= $4 - $9 THEN t.at + interval '10 seconds' END
         FROM generate_series($1::int, $2::int) g
        CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g - 1)::float8 / $4) * ($8::timestamptz - $3::timestamptz) AS at) t
        CROSS JOIN LATERAL (SELECT g <= $4 - $10 AS analysed, g > $4 - 200 AS awaiting) a`,
      [lo, hi, set.from, set.reports, OPERATORS, set.campaigns, CATEGORIES, set.to, set.uncounted, set.unanalysed],
    );
    const rate = Math.round(hi / ((Date.now() - started) / 1000));
    say(`  reports: ${hi.toLocaleString('en')} / ${set.reports.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`);
  }
}

async function timed(say: (line: string) => void, what: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await work();
  say(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
