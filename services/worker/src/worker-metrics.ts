import { Counter, type Registry } from '@srs/http';

/** What the worker's own loops did, beside the queues' job metrics. */
export interface WorkerMetrics {
  /** reports by what the analyser made of them: analysed, or set aside as failed */
  reportsAnalysed: Counter<'result'>;
  campaignsCreated: Counter;
  /** rows added to the statistics, raw reports deleted past retention, and months of them dropped */
  statistics: Counter<'kind'>;
  /** replies by the way they left: sent at once (direct), handed to the outbound queue (queued) and sent from it (outbound), or found already sent */
  replies: Counter<'path'>;
}

export function workerMetrics(registry: Registry): WorkerMetrics {
  return {
    reportsAnalysed: new Counter({
      name: 'srs_reports_analysed_total',
      help: 'Reports the analyser processed, by result (analysed, failed: set aside with its error)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    campaignsCreated: new Counter({
      name: 'srs_campaigns_created_total',
      help: 'New campaigns (clusters of near-identical texts)',
      registers: [registry],
    }),
    statistics: new Counter({
      name: 'srs_statistics_rollup_total',
      help: 'Reports, campaigns and indicators added to the regulator statistics, raw reports deleted past retention (deleted), and months of them dropped (partitions_dropped)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    replies: new Counter({
      name: 'srs_replies_total',
      help: 'Replies to subscribers by path: direct (sent where the message was decided), queued (to the outbound queue, which retries), outbound (sent from the outbound queue), already_sent (a rerun found it sent)',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
  };
}
