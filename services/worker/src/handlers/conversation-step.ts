import { newReportReference, type ReplyParams } from '@srs/core';
import {
  REFERENCE_TAKEN_CONSTRAINT,
  type ReportKey,
  type ReportRow,
  type ReportsRepository,
  type NewReport,
  type ReportStatus,
} from '@srs/db';
import type { Logger } from '@srs/logging';
import { type ConversationStepJob, type OutboundSmsJob, type StepPayload } from '@srs/queue';
import { render } from '../replies/render';

export interface ConversationStepDeps {
  reports: ReportsRepository;
  /** where replies go: sent at once, or queued (ReplyDispatcher) */
  replies: { dispatch(reply: OutboundSmsJob, key: string): Promise<void> };
  logger: Logger;
  /** a report was stored or got its sender: the analyser may look at once */
  onReportStored?: () => void;
  /** how a new report is stored; `reports.insertOnce` when not given (the worker batches them) */
  insertReport?: (report: NewReport) => Promise<{ row: ReportRow; created: boolean }>;
}

const STATUS_REPLY: Record<ReportStatus, string> = {
  received: 'status_received',
  confirmed_spam: 'status_confirmed',
  sender_blocked: 'status_blocked',
  not_spam: 'status_not_spam',
};

/** A step that needs a report not stored (yet): the inbox retries the message with backoff. */
export class ReportNotStoredYet extends Error {}

/**
 * Carries out the steps decided for one subscriber message, in order: store
 * or complete reports, then send the replies they call for. Idempotent: every
 * database step is, and each reply is keyed so a rerun sends nothing twice: a
 * report's replies by the report and the reply, others by the message and its
 * step. A rerun happens when a worker dies between carrying a message out and
 * committing its decision: the next owner of the partition decides it again.
 */
export async function carryOutConversationStep(deps: ConversationStepDeps, job: ConversationStepJob): Promise<void> {
  const { reports } = deps;
  const keyOf = (report: { gateway: string; gatewayMessageId: string }): ReportKey => ({ operatorId: job.operatorId, ...report });
  /** `about`: the report a reply acknowledges, sent once whichever message's step gets to it first */
  const reply = async (index: number, key: string, params: ReplyParams, about?: { report: ReportKey; reference: string }) => {
    if (!job.reporter.sealed) return;
    const { text, coding } = render(key, job.language, { shortCode: job.shortCode, ...params });
    await deps.replies.dispatch(
      {
        v: 2,
        operatorId: job.operatorId,
        channel: job.channel,
        sealedTo: job.reporter.sealed,
        from: job.shortCode,
        text,
        coding,
        purpose: key,
        ...(about ? { reportReference: about.reference } : {}),
      },
      about
        ? `report/${about.report.operatorId}/${about.report.gateway}/${about.report.gatewayMessageId}/${key}`
        : `${job.operatorId}/${job.channel.gateway}/${job.gatewayMessageId}/${index}`,
    );
  };

  for (const [index, step] of job.steps.entries()) {
    const row = await carryOut(step, index);
    if (row) deps.logger.info({ step: step.type, reportId: row.id, operatorId: job.operatorId }, 'report updated');
  }
  deps.onReportStored?.();

  async function carryOut(step: StepPayload, index: number): Promise<ReportRow | undefined> {
    switch (step.type) {
      case 'open_report':
      case 'file_report': {
        const sender = step.type === 'file_report' ? step.sender : undefined;
        const { row } = await insertWithFreshReference(
          deps.insertReport ?? ((r) => reports.insertOnce(r)),
          newReport(job, step.report, step.text, sender),
        );
        if (step.reply) {
          const about = { report: keyOf(step.report), reference: row.reference };
          if (sender) await reply(index, 'report_complete', { ref: row.reference, sender: sender.display }, about);
          else await reply(index, 'ask_sender', { ref: row.reference }, about);
        }
        return row;
      }
      case 'attach_sender': {
        const row = await reports.attachSender(keyOf(step.report), step.sender);
        if (!row) throw new ReportNotStoredYet('the report this sender belongs to is not stored yet');
        // The sender the report kept: a second attach (see above) changes nothing and must not name its own.
        const sender = row.senderDisplay ?? step.sender.display;
        if (step.reply)
          await reply(index, 'report_complete', { ref: row.reference, sender }, { report: keyOf(step.report), reference: row.reference });
        return row;
      }
      case 'close_report': {
        const completion = step.reason === 'superseded' ? 'no_sender_superseded' : 'no_sender_unknown';
        const row = await reports.completeWithoutSender(keyOf(step.report), completion);
        if (!row) throw new ReportNotStoredYet('the report to complete is not stored yet');
        if (step.reply)
          await reply(index, 'report_complete_no_sender', { ref: row.reference }, { report: keyOf(step.report), reference: row.reference });
        return row;
      }
      case 'status': {
        const row = await reports.findForReporter(step.reference, job.operatorId, job.reporter.pseudonym);
        await reply(index, row ? STATUS_REPLY[row.status] : 'status_unknown', { ref: step.reference.slice(0, 8) });
        return undefined;
      }
      case 'reply':
        await reply(index, step.key, step.params);
        return undefined;
      case 'schedule_timeout':
      case 'opt_out':
      case 'opt_in':
        // Kept in the inbox with the conversation (timers, opt-out); nothing to store here.
        return undefined;
    }
  }
}

function newReport(
  job: ConversationStepJob,
  report: { gateway: string; gatewayMessageId: string },
  text: string,
  sender: NewReport['sender'],
): Omit<NewReport, 'reference'> {
  return {
    operatorId: job.operatorId,
    gateway: report.gateway,
    gatewayMessageId: report.gatewayMessageId,
    reporterPseudonym: job.reporter.pseudonym,
    shortCode: job.shortCode,
    body: text,
    coding: job.coding,
    smsc: job.smsc,
    channel: job.channel.connection,
    language: job.language,
    receivedAt: new Date(job.receivedAt),
    ...(sender ? { sender } : {}),
  };
}

async function insertWithFreshReference(
  insert: (report: NewReport) => Promise<{ row: ReportRow; created: boolean }>,
  report: Omit<NewReport, 'reference'>,
): Promise<{ row: ReportRow; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await insert({ ...report, reference: newReportReference() });
    } catch (err) {
      // A reference collision gets a new reference; anything else is retried by the queue.
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === REFERENCE_TAKEN_CONSTRAINT && attempt < 5) continue;
      throw err;
    }
  }
}
