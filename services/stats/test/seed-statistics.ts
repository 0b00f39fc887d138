import { randomUUID } from 'node:crypto';
import { campaignIncrements, generateApiKey, indicatorIncrements, reportIncrements } from '@srs/core';
import { ApiKeysRepository, ParticipantsRepository, StatsRollupRepository, type Pool } from '@srs/db';

export const SEED_OPERATORS = [
  { id: 'op-north', name: 'North Mobile', country: 'GB' },
  { id: 'op-south', name: 'South Telecom', country: 'GB' },
  { id: 'op-east', name: 'East Cellular', country: 'FR' },
] as const;

const CATEGORIES = ['smishing', 'fraud', 'marketing', 'malware', 'premium_rate', 'not_spam'];
const SENDERS: Array<{ kind: 'msisdn' | 'short_code' | 'alphanumeric' | null; value: string | null }> = [
  { kind: 'msisdn', value: '+447700900123' },
  { kind: 'msisdn', value: '+2348031234567' },
  { kind: 'msisdn', value: '+33639981234' },
  { kind: 'msisdn', value: '+919876543210' },
  { kind: 'short_code', value: '60300' },
  { kind: 'alphanumeric', value: 'PARCELS' },
  { kind: null, value: null },
];
const DOMAINS = ['parcel-fee.top', 'secure-bank-login.xyz', 'bit.ly', 'prize-claim.click', 'tax-refund.co.uk', 'crypto-win.top'];

export interface SeededStatistics {
  regulatorKey: string;
  /** an operator's key: the statistics refuse it */
  operatorKey: string;
  reports: number;
  from: Date;
  to: Date;
}

/**
 * Fills a migrated database with three weeks of analysed reports, campaigns
 * and shared indicators, then runs the worker's rollup code over them, so the
 * statistics service answers from real rollups. Deterministic: the same seed
 * gives the same figures.
 */
export async function seedStatistics(
  pool: Pool,
  options: { reports?: number; days?: number; seed?: number; now?: Date } = {},
): Promise<SeededStatistics> {
  const count = options.reports ?? 2400;
  const days = options.days ?? 21;
  const now = options.now ?? new Date();
  let state = options.seed ?? 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(list: readonly T[], weights?: number[]): T => {
    if (!weights) return list[Math.floor(random() * list.length)]!;
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]!) < 0) return list[i]!;
    return list[list.length - 1]!;
  };

  const participants = new ParticipantsRepository(pool);
  for (const op of SEED_OPERATORS) await participants.upsertOperator(op);
  await participants.upsertRegulator({ id: 'test-regulator', name: 'Test Regulator', country: 'GB' });
  const keys = new ApiKeysRepository(pool);
  const regulator = generateApiKey();
  await keys.create({
    id: `key_${randomUUID().slice(0, 8)}`,
    regulatorId: 'test-regulator',
    name: 'test',
    prefix: regulator.prefix,
    hash: regulator.hash,
    scopes: ['stats'],
  });
  const operator = generateApiKey();
  await keys.create({
    id: `key_${randomUUID().slice(0, 8)}`,
    operatorId: SEED_OPERATORS[0].id,
    name: 'test',
    prefix: operator.prefix,
    hash: operator.hash,
    scopes: ['read', 'report'],
  });

  const from = new Date(now.getTime() - days * 86_400_000);
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    // Busier in the daytime and on weekdays, like real reporting.
    let at: Date;
    do at = new Date(from.getTime() + random() * (now.getTime() - from.getTime()));
    while (random() > (at.getUTCHours() >= 8 && at.getUTCHours() <= 21 ? 1 : 0.3) * (at.getUTCDay() % 6 === 0 ? 0.6 : 1));
    const op = pick(SEED_OPERATORS, [5, 3, 2]);
    const category = pick(CATEGORIES, [30, 20, 15, 5, 5, 8]);
    const sender = pick(SENDERS, [4, 3, 2, 1, 2, 3, 1]);
    const linkRoll = random();
    const domains = category !== 'not_spam' && linkRoll < 0.65 ? [pick(DOMAINS, [8, 5, 3, 3, 2, 1])] : [];
    const linkKind = domains.length === 0 ? 'none' : domains[0] === 'bit.ly' ? 'shortener' : 'link';
    rows.push([
      `T${i}${randomUUID().slice(0, 6)}`,
      op.id,
      `seed-${i}`,
      `pseudo-${Math.floor(random() * 900)}`,
      at,
      category,
      category !== 'not_spam',
      sender.kind,
      sender.value,
      linkKind,
      domains.join('\n'),
    ]);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const col = (c: number) => batch.map((r) => r[c]);
    await pool.query(
      `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at,
                            category, spam, confidence, analysed_at, awaiting_sender, sender_kind, sender_value, sender_indexed_at,
                            link_kind, link_domains, completion, completed_at)
       SELECT v.reference, v.operator_id, 'seed', v.message_id, v.pseudonym, '7726', 'seeded report', v.received_at,
              v.category, v.spam, 0.9, now(), false, v.sender_kind, v.sender_value, CASE WHEN v.sender_value IS NULL THEN NULL ELSE now() END,
              v.link_kind, string_to_array(NULLIF(v.domains, ''), E'\\n'), 'sender', now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS v(reference, operator_id, message_id, pseudonym, received_at, category, spam, sender_kind, sender_value, link_kind, domains)`,
      [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9), col(10)],
    );
  }

  // Campaigns and shared indicators: first reported across the period, shared minutes to hours later.
  for (let i = 0; i < 160; i++) {
    const first = new Date(from.getTime() + random() * (now.getTime() - from.getTime() - 3_600_000));
    const category = pick(CATEGORIES.slice(0, 5), [30, 20, 15, 5, 5]);
    await pool.query(
      `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, category, confidence, language, first_seen, last_seen, report_count, reporter_count, operator_count, text_reporters)
       VALUES ($1, $2, 'seeded', 'seeded', true, $3, 0.9, 'en', $4, $4, 3, 3, 1, 3)`,
      [i.toString(16).padStart(16, '0'), `fp-${i}`, category, first],
    );
    const sharedAt = new Date(first.getTime() + (60 + random() * 3 * 3600) * 1000);
    await pool.query(
      `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, reporter_count, operator_count, score, publishable, ever_published, shared_at)
       VALUES ($1, $2, $3, 0.9, $4, $4, 3, 1, 1, true, true, $5)`,
      [pick(['domain', 'url', 'sender_msisdn']), `seed-indicator-${i}.example`, category, first, sharedAt],
    );
  }

  const rollup = new StatsRollupRepository(pool);
  while ((await rollup.rollUpReports(1000, reportIncrements)) > 0);
  while ((await rollup.rollUpCampaigns(1000, campaignIncrements)) > 0);
  while ((await rollup.rollUpIndicators(1000, indicatorIncrements)) > 0);
  return { regulatorKey: regulator.key, operatorKey: operator.key, reports: count, from, to: now };
}
