import { commonText, reportIncrements } from '@srs/core';
import {
  AnalysisRepository,
  AuditRepository,
  FeedRepository,
  PartitionsRepository,
  ReportsRepository,
  StatsRepository,
  StatsRollupRepository,
  type AnalysedReportInput,
  type NewReport,
  type Pool,
} from '@srs/db';
import { COUNT_BATCH } from '../../services/worker/src/index';
import type { PlanRecorder, Recorded } from './capture';

export interface Operation {
  title: string;
  /** what the service does with it, and what the plan should show */
  why: string;
  statements: Recorded[];
  /** the whole repository call, ms */
  wallMs: number;
  note?: string;
}

const DAY = 86_400_000;

/** The repository calls the services make, each recorded with the plans of the statements it sends. */
export async function explainOperations(recorder: PlanRecorder, pool: Pool, now: Date): Promise<Operation[]> {
  const ops: Operation[] = [];
  const run = async <T>(title: string, why: string, work: (p: Pool) => Promise<T>, note?: (result: T) => string): Promise<T> => {
    const started = Date.now();
    const { result, statements } = await recorder.record(work);
    ops.push({ title, why, statements, wallMs: Date.now() - started, ...(note ? { note: note(result) } : {}) });
    return result;
  };
  const seqs = (
    await pool.query<{ i: string; c: string }>(
      `SELECT (SELECT max(seq) / 2 FROM indicators)::text AS i, (SELECT max(seq) / 2 FROM campaigns)::text AS c`,
    )
  ).rows[0]!;

  await run(
    'Sharing feed: a page of indicators',
    'GET /v1/indicators from the middle of the feed: both branches read their index by seq, the merge stops after one page.',
    (p) => new FeedRepository(p).indicators({ afterSeq: BigInt(seqs.i), limit: 500, viewer: 'demo-uk' }),
    (r) => `${r.rows.length} rows`,
  );
  await run(
    'Sharing feed: a page of campaigns',
    'GET /v1/campaigns from the middle of the feed.',
    (p) => new FeedRepository(p).campaigns({ afterSeq: BigInt(seqs.c), limit: 500, sampleMinReporters: 3 }),
    (r) => `${r.rows.length} rows`,
  );

  const pending = await run(
    'Analyser: the next batch',
    "The reports table is the analyser's queue: each month's partial index of unanalysed reports (and of late senders), merged by id.",
    (p) => new AnalysisRepository(p).pending(500),
    (r) => `${r.length} reports`,
  );
  await run(
    'Analyser: writing the batch',
    'One transaction per batch; each report is found by id and received_at, so run-time pruning sends every probe to the primary key of its own month.',
    (p) =>
      new AnalysisRepository(p).writeBatch(
        [],
        pending.map(analysedAs),
        () => false,
        (e) => ({ spam: true, category: e.spamCategory, probability: 0.9, terms: {} }),
        () => ({ score: 0.5, publishable: false }),
        { reporters: 3, merge: commonText },
      ),
    () => `${pending.length} reports`,
  );
  await run(
    'Statistics rollup: counting a batch',
    "The rollup's work list is each month's partial index of uncounted reports, read and locked (SKIP LOCKED) in id order.",
    (p) => new StatsRollupRepository(p).rollUpReports(COUNT_BATCH, reportIncrements),
    (n) => `${n} reports counted`,
  );

  await run(
    'Statistics service: a week of the report cube, by day',
    'What the joint protection of one week reads for the cuboids published by day only: the day rollup, never the reports.',
    (p) => new StatsRepository(p).cubeRows('reports', 'day', new Date(now.getTime() - 7 * DAY), now, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    (r) => `${r.length} cells`,
  );
  await run(
    'Statistics service: live counters',
    'GET /v1/stats/live: the reports of the last hour, from the current month (and the DEFAULT partition) only.',
    (p) => new StatsRepository(p).liveCounts(new Date(now.getTime() - 3600_000)),
    (r) => `${r.length} rows`,
  );

  const old = (
    await pool.query<{ reference: string; operator_id: string; reporter_pseudonym: string; gateway_message_id: string }>(
      `SELECT reference, operator_id, reporter_pseudonym, gateway_message_id FROM reports WHERE received_at < $1 ORDER BY received_at DESC LIMIT 1`,
      [new Date(now.getTime() - 180 * DAY)],
    )
  ).rows[0]!;
  await run(
    'Subscriber STATUS: a report by its reference',
    'STATUS <reference> from a subscriber, for a six-month-old report: one probe of the reference index of each month.',
    (p) => new ReportsRepository(p).findForReporter(old.reference, old.operator_id, old.reporter_pseudonym),
    (r) => (r ? 'found' : 'not found'),
  );
  await run(
    'A report by its gateway message (idempotency key)',
    'A redelivered message or a sender attached later: one probe of the key index of each month.',
    (p) => new ReportsRepository(p).findByKey({ operatorId: old.operator_id, gateway: 'kannel', gatewayMessageId: old.gateway_message_id }),
    (r) => (r ? 'found' : 'not found'),
  );

  const batch = Array.from({ length: 200 }, (_, i) => newReport(i, now));
  await run(
    'Storing 200 new reports in one statement',
    "The worker's micro-batched insert: keys into report_keys, then the reports; the trigger checks each new reference against every month.",
    (p) => new ReportsRepository(p).insertManyOnce(batch),
    (r) => `${r.filter((x) => x.created).length} created`,
  );
  await run(
    'The same 200 reports again (redelivered)',
    'Every key is in report_keys: nothing is inserted, each report is found by its key.',
    (p) => new ReportsRepository(p).insertManyOnce(batch.map((r, i) => ({ ...r, reference: `EXAG${String(i).padStart(4, '0')}` }))),
    (r) => `${r.filter((x) => !x.created).length} found`,
  );

  await run(
    "Audit log: an operator's latest entries",
    'Newest first, read backwards from the index of each month of audit_log.',
    (p) => new AuditRepository(p).forOperator('demo-uk', 100),
    (r) => `${r.length} entries`,
  );
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 5, 1));
  await run(
    'Making a month ahead',
    "The worker's hourly maintenance: an empty table attached as a partition (reports locked in SHARE UPDATE EXCLUSIVE mode only).",
    (p) => new PartitionsRepository(p).ensureMonth('reports', ahead),
    (name) => `made ${name}`,
  );
  return ops;
}

/** What the analyser would write for a pending report (the values do not matter to the plan). */
function analysedAs(r: {
  id: number;
  operatorId: string;
  reporterPseudonym: string;
  receivedAt: Date;
  analysed: boolean;
  campaignId: number | null;
}): AnalysedReportInput {
  return {
    reportId: r.id,
    operatorId: r.operatorId,
    reporterPseudonym: r.reporterPseudonym,
    receivedAt: r.receivedAt,
    campaign: { id: r.campaignId ?? 1 },
    textAnalysed: !r.analysed,
    fingerprint: r.analysed ? null : `fp-${r.id}`,
    simhash: r.analysed ? null : '0123456789abcdef',
    maskedText: r.analysed ? null : 'your parcel <num> is held, pay the fee at <url>',
    modelProbability: 0.9,
    modelLogit: 2.2,
    spamCategory: 'smishing',
    lure: false,
    modelVersion: 'test',
    language: 'en',
    senderIncluded: false,
    linkKind: r.analysed ? null : 'link',
    linkDomains: r.analysed ? null : ['parcel-fee.top'],
    indicators: [],
  };
}

function newReport(i: number, now: Date): NewReport {
  const id = `explain-${i}`;
  return {
    reference: `EXPL${String(i).padStart(4, '0')}`,
    operatorId: 'demo-uk',
    gateway: 'kannel',
    gatewayMessageId: id,
    reporterPseudonym: 'explain-reporter',
    shortCode: '7726',
    body: `Your parcel is held, pay at https://parcel-fee.top/${id}`,
    coding: 'gsm7',
    smsc: null,
    channel: 'kannel',
    language: 'en',
    receivedAt: now,
    sender: { kind: 'alphanumeric', value: 'PARCELS', display: 'PARCELS' },
  };
}
