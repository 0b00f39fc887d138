import type { ReportsRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { senderTimeoutJob } from '@srs/queue';
import { ReportNotStoredYet } from './conversation-step';

/** The window for the sender has passed: a report still waiting completes without one. */
export async function completeAfterTimeout(deps: { reports: ReportsRepository; logger: Logger }, payload: unknown): Promise<void> {
  const job = senderTimeoutJob.parse(payload);
  const row = await deps.reports.completeWithoutSender({ operatorId: job.operatorId, ...job.report }, 'no_sender_timeout');
  if (!row) throw new ReportNotStoredYet('the report to time out is not stored yet');
  deps.logger.info({ reportId: row.id, completion: row.completion }, 'sender window closed');
}
