import type { ReportKey, ReportsRepository } from '@srs/db';
import type { Logger } from '@srs/logging';

/** The window for the sender has passed: a report still waiting completes without one. */
export async function completeAfterTimeout(deps: { reports: ReportsRepository; logger: Logger }, report: ReportKey): Promise<void> {
  const row = await deps.reports.completeWithoutSender(report, 'no_sender_timeout');
  // Stored before its window was opened; gone only when retention deleted it, and then there is nothing to close.
  if (!row) {
    deps.logger.warn({ operatorId: report.operatorId }, 'sender window closed on a report no longer stored');
    return;
  }
  deps.logger.info({ reportId: row.id, completion: row.completion }, 'sender window closed');
}
