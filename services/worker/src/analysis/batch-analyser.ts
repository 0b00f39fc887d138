import type { Config } from '@srs/config';
import {
  analyseMessage,
  assignCampaigns,
  campaignVerdict,
  commonText,
  isPublishable,
  linkFeatures,
  logit,
  NEAR_DUPLICATE_MAX_DISTANCE,
  scoreIndicator,
  senderIndicator,
  simhashBands,
  type IndicatorCandidate,
  type MessageAnalysis,
  type TextClassification,
} from '@srs/core';
import type {
  AnalysedReportInput,
  AnalyserLeadership,
  AnalysisRepository,
  IndicatorScoreRow,
  NewCampaignInput,
  PendingReport,
} from '@srs/db';
import type { Logger } from '@srs/logging';
import type { MessageAnalysisPool } from './message-analysis-pool';

export interface BatchAnalyserDeps {
  repository: AnalysisRepository;
  config: Pick<Config, 'analysis' | 'scoring' | 'verdict' | 'allowlist' | 'routing'>;
  logger: Logger;
  classify: (text: string) => TextClassification;
  /** worker threads doing the CPU part; absent: done on the analyser's own thread */
  threads?: MessageAnalysisPool;
  metrics?: AnalyserMetrics;
}

/** What the analyser counts (the worker's prom-client counters, or their stand-ins on the analyser's own thread). */
export interface AnalyserMetrics {
  reportsAnalysed: { inc(labels: { result: 'analysed' | 'failed' }, value: number): void };
  campaignsCreated: { inc(value: number): void };
}

export interface BatchOutcome {
  reports: number;
  campaignsCreated: number;
  failed: number;
}

const ALLOWLIST_REFRESH_MS = 60_000;
/** Reports analysed between two yields to the event loop. */
const ANALYSIS_SLICE = 25;
/** Under sustained load, every this many batches one is read after the commit, with late senders. */
const LATE_SENDER_EVERY = 8;
/** Campaigns whose feedback changed, decided again in one transaction. */
const REDECIDE_BATCH = 200;

interface PreparedBatch {
  size: number;
  fresh: Array<{ report: PendingReport; analysis: MessageAnalysis }>;
  senderOnly: PendingReport[];
  failed: number;
  maxId: number;
}

/**
 * Turns stored reports into campaigns and indicators, a batch at a time.
 * The reports table is its queue: a report is picked up until the batch that
 * analysed it commits, so a crash or a failed batch is simply done again, and
 * nothing is counted twice. One analyser runs at a time (an advisory lock),
 * which keeps campaign creation free of races; the others wait to take over.
 */
export class BatchAnalyser {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  /** a wake that came while no pause was running: the next pause returns at once, so none is lost */
  private wakePending = false;
  /** holds the leader's lock: only then do notifications from other processes wake it */
  private leading = false;
  private loop: Promise<void> | undefined;
  private allowlist = new Set<string>();
  private allowlistLoadedAt = 0;

  constructor(private readonly deps: BatchAnalyserDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /** A report was just stored: look now rather than after the idle pause. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else if (this.leading) this.wakePending = true;
  }

  /**
   * A worker process (this one or another) stored reports or gave one its
   * sender (NOTIFY srs_reports, or the listener listening again): the leader
   * looks now; the others leave the work to it and keep waiting for its lock.
   */
  notified(): void {
    if (this.leading) this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** Analyses one batch, then decides again what feedback reached; resolves with what the batch did (0 reports when none was waiting). */
  async runOnce(): Promise<BatchOutcome> {
    const outcome = await this.commit(await this.prepare({ withLateSenders: true }));
    await this.redecide();
    return outcome;
  }

  /**
   * Reads a batch and does the CPU work on it (normalise, fingerprint,
   * classify, extract), in slices that leave the event loop free, so that the
   * previous batch's writes proceed meanwhile.
   */
  private async prepare(options: { afterId?: number; withLateSenders: boolean }): Promise<PreparedBatch> {
    const { repository, config, classify, logger } = this.deps;
    const pending = await repository.pending(config.analysis.batchSize, options);
    const fresh: PreparedBatch['fresh'] = [];
    const senderOnly = pending.filter((r) => r.analysed);
    const todo = pending.filter((r) => !r.analysed);
    let failed = 0;
    const setAside = async (report: PendingReport, error: string) => {
      // A text the analysis cannot handle is set aside (and logged), not retried forever.
      failed++;
      logger.error({ err: error, reportId: report.id }, 'report could not be analysed');
      await repository.markFailed(report.id, error, report.receivedAt);
    };
    if (this.deps.threads && todo.length > 0) {
      const results = await this.deps.threads.analyse(todo.map((r) => ({ id: r.id, body: r.body, country: r.operatorCountry })));
      for (const [i, result] of results.entries()) {
        if (result.analysis) fresh.push({ report: todo[i]!, analysis: result.analysis });
        else await setAside(todo[i]!, result.error);
      }
    } else {
      for (const [i, report] of todo.entries()) {
        if (i % ANALYSIS_SLICE === ANALYSIS_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
        try {
          fresh.push({ report, analysis: analyseMessage(report.body, { defaultCountry: report.operatorCountry }, classify) });
        } catch (err) {
          await setAside(report, err instanceof Error ? err.message : String(err));
        }
      }
    }
    const maxId = pending.reduce((m, r) => Math.max(m, r.id), options.afterId ?? 0);
    return { size: pending.length, fresh, senderOnly, failed, maxId };
  }

  /** Clusters the prepared batch against the stored campaigns and writes it, in one transaction. */
  private async commit(batch: PreparedBatch): Promise<BatchOutcome> {
    const { repository, config, logger } = this.deps;
    if (batch.size === 0) return { reports: 0, campaignsCreated: 0, failed: 0 };
    await this.refreshAllowlist();
    const { fresh, senderOnly } = batch;
    const candidates = await repository.campaignCandidates([...new Set(fresh.flatMap((f) => f.analysis.bands))]);
    const assignments = assignCampaigns(
      fresh.map((f) => f.analysis),
      candidates,
      NEAR_DUPLICATE_MAX_DISTANCE,
      (hash) => simhashBands(hash),
    );

    const campaigns: NewCampaignInput[] = [];
    const reports: AnalysedReportInput[] = [];
    fresh.forEach(({ report, analysis }, i) => {
      const assignment = assignments[i]!;
      const { classification } = analysis;
      if (assignment.kind === 'new' && assignment.key === i) {
        campaigns.push({
          key: i,
          simhash: analysis.simhash,
          bands: analysis.bands,
          fingerprint: analysis.fingerprint,
          maskedText: analysis.masked,
          spam: classification.spam,
          category: classification.category,
          confidence: classification.probability,
          spamCategory: classification.spamCategory,
          language: classification.language,
        });
      }
      const sender = report.senderKind && report.senderValue ? senderIndicator(report.senderKind, report.senderValue) : undefined;
      // Every report's links and numbers are recorded; only its campaign's verdict shares them, so the classifier cannot veto the crowd.
      const indicators: IndicatorCandidate[] = [...analysis.indicators, ...(sender ? [sender] : [])];
      reports.push({
        reportId: report.id,
        operatorId: report.operatorId,
        reporterPseudonym: report.reporterPseudonym,
        receivedAt: report.receivedAt,
        campaign: assignment.kind === 'existing' ? { id: assignment.campaignId } : { key: assignment.key },
        textAnalysed: true,
        fingerprint: analysis.fingerprint,
        simhash: analysis.simhash,
        maskedText: analysis.masked,
        modelProbability: classification.probability,
        modelLogit: logit(classification.probability),
        spamCategory: classification.spamCategory,
        lure: classification.lure,
        modelVersion: classification.modelVersion,
        language: classification.language,
        senderIncluded: sender !== undefined,
        indicators,
        ...linkFeatures(analysis.indicators),
      });
    });
    for (const report of senderOnly) {
      if (report.campaignId === null || !report.senderKind || !report.senderValue) continue;
      reports.push({
        reportId: report.id,
        operatorId: report.operatorId,
        reporterPseudonym: report.reporterPseudonym,
        receivedAt: report.receivedAt,
        campaign: { id: report.campaignId },
        textAnalysed: false,
        fingerprint: null,
        simhash: null,
        maskedText: null,
        modelProbability: null,
        modelLogit: null,
        spamCategory: null,
        lure: false,
        modelVersion: null,
        language: null,
        senderIncluded: true,
        indicators: [senderIndicator(report.senderKind, report.senderValue)],
        linkKind: null,
        linkDomains: null,
      });
    }

    const result = await repository.writeBatch(
      campaigns,
      reports,
      // A shortener's domain carries everyone's links: its URLs are shared, the domain itself never.
      (i) => this.allowlist.has(`${i.type}:${i.value}`) || (i.type === 'domain' && i.shortener),
      (evidence) => campaignVerdict(evidence, config.verdict),
      this.scorer(new Date()),
      // Operators see what the first k reporters' masked texts share, never one subscriber's message.
      { reporters: config.scoring.shareTextMinReporters, merge: commonText },
    );
    logger.debug(
      { reports: reports.length, campaignsCreated: result.campaignsCreated, indicators: result.indicatorsTouched.length },
      'batch analysed',
    );
    return { reports: reports.length, campaignsCreated: result.campaignsCreated, failed: batch.failed };
  }

  /** Decides again the campaigns operator feedback reached; resolves with how many. */
  async redecide(): Promise<number> {
    const { repository, config } = this.deps;
    let total = 0;
    for (;;) {
      const n = await repository.redecideDue(
        REDECIDE_BATCH,
        (evidence) => campaignVerdict(evidence, config.verdict),
        this.scorer(new Date()),
      );
      total += n;
      if (n < REDECIDE_BATCH) return total;
    }
  }

  /** An indicator's score and whether it is shared, from its counts and the confidence its campaigns' verdicts give it. */
  private scorer(now: Date) {
    const policy = this.deps.config.scoring;
    return (row: Omit<IndicatorScoreRow, 'score' | 'publishable'>) => {
      const score = scoreIndicator(
        {
          reporters: row.reporterCount,
          operators: row.operatorCount,
          confidence: row.maxConfidence,
          lastSeen: row.lastSeen,
          feedback: row.feedback,
        },
        policy,
        now,
      );
      return {
        score,
        publishable: isPublishable({ score, reporters: row.reporterCount, allowlisted: row.allowlisted, status: row.status }, policy),
      };
    };
  }

  /** The operators' own short codes and the configured entries join the allowlist in the database. */
  async seedAllowlist(): Promise<void> {
    const { config, repository } = this.deps;
    const shortCodes = Object.entries(config.routing.operators).map(([id, p]) => ({
      type: 'sender_short_code',
      value: p.shortCode,
      reason: `short code of ${id}`,
    }));
    await repository.addToAllowlist([...shortCodes, ...config.allowlist.map((e) => ({ ...e, reason: 'configured (ALLOWLIST)' }))]);
  }

  private async refreshAllowlist(): Promise<void> {
    if (Date.now() - this.allowlistLoadedAt < ALLOWLIST_REFRESH_MS) return;
    const entries = await this.deps.repository.allowlist();
    this.allowlist = new Set(entries.map((e) => `${e.type}:${e.value}`));
    this.allowlistLoadedAt = Date.now();
  }

  private async run(): Promise<void> {
    const { logger, config } = this.deps;
    let leader: AnalyserLeadership | undefined;
    let failures = 0;
    let next: Promise<PreparedBatch> | undefined;
    let cycle = 0;
    while (!this.stopped) {
      try {
        leader ??= await this.becomeLeader();
        this.leading = leader !== undefined;
        if (!leader) {
          await this.pause(5_000);
          continue;
        }
        const batch = await (next ?? this.prepare({ withLateSenders: true }));
        next = undefined;
        if (batch.size === 0) {
          await this.redecide();
          await this.pause(config.analysis.idleMs);
          continue;
        }
        // Under load, read and analyse the next batch while this one is written. Late
        // senders are left to the batches read after a commit, so none is counted twice.
        cycle++;
        if (batch.size >= config.analysis.batchSize && cycle % LATE_SENDER_EVERY !== 0) {
          next = this.prepare({ afterId: batch.maxId, withLateSenders: false });
          next.catch(() => undefined);
        }
        const outcome = await this.commit(batch);
        // Feedback is heard under sustained load too.
        if (cycle % LATE_SENDER_EVERY === 0) await this.redecide();
        this.deps.metrics?.reportsAnalysed.inc({ result: 'analysed' }, outcome.reports);
        this.deps.metrics?.reportsAnalysed.inc({ result: 'failed' }, outcome.failed);
        this.deps.metrics?.campaignsCreated.inc(outcome.campaignsCreated);
        failures = 0;
      } catch (err) {
        failures++;
        next = undefined;
        logger.warn({ err, failures }, 'analysis batch failed; retrying');
        leader?.release();
        leader = undefined;
        this.leading = false;
        await this.pause(Math.min(30_000, 250 * 2 ** failures));
      }
    }
    await next?.catch(() => undefined);
    leader?.release();
    this.leading = false;
  }

  /** Takes the leadership when no other analyser holds it (the repository's advisory lock), then seeds the allowlist. */
  private async becomeLeader(): Promise<AnalyserLeadership | undefined> {
    const leadership = await this.deps.repository.tryLeadership();
    if (!leadership) return undefined;
    try {
      await this.seedAllowlist();
    } catch (err) {
      // Given up, not kept: a lock held by no loop would keep every analyser waiting.
      leadership.release();
      throw err;
    }
    this.deps.logger.info('analyser running');
    return leadership;
  }

  private pause(ms: number): Promise<void> {
    if (this.wakePending || this.stopped) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
