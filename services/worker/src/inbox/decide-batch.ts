import type { Config } from '@srs/config';
import type { MessageDecision } from '@srs/core';
import {
  decideInboxEntry,
  inboxEntry,
  type ConversationStepJob,
  type InboxEntry,
  type InboxPartition,
  type InboxRecord,
  type PartitionCommit,
} from '@srs/queue';
import { readConversation, timerMember, writeConversation } from './stored-conversation';

export interface DecideDeps {
  config: Pick<Config, 'routing' | 'operator' | 'conversation' | 'rateLimits'>;
  /** carries out one decided message's steps (store reports, send replies); idempotent */
  carryOut(job: ConversationStepJob): Promise<void>;
  /** subscribers decided at once */
  concurrency: number;
}

export interface BatchOutcome {
  commit: PartitionCommit;
  /** subscribers whose chain stopped: the message that failed (it and their later ones stay in the inbox) */
  failed: Map<string, { record: InboxRecord; error: unknown }>;
  /** subscribers with every message of the batch decided */
  succeeded: Set<string>;
  /** what each decided message was taken for, to count once the commit has taken */
  outcomes: string[];
}

interface Pending {
  record: InboxRecord;
  entry: InboxEntry;
}

/**
 * Decides a batch read from one partition: each subscriber's messages in the
 * order they arrived, one after another, and the subscribers side by side.
 * A message's steps are carried out before its decision is committed; a
 * subscriber whose step fails stops there, and that message and the ones
 * after it are decided again later, from the state before it.
 */
export async function decideBatch(
  deps: DecideDeps,
  partition: InboxPartition,
  records: readonly InboxRecord[],
  skip: (pseudonym: string) => boolean,
): Promise<BatchOutcome> {
  const commit: PartitionCommit = { decided: [], conversations: [], timersAdded: [], timersDone: [], dead: [] };
  const bySubscriber = new Map<string, Pending[]>();
  for (const record of records) {
    const entry = parseEntry(record);
    if (!entry) {
      commit.dead.push({ record, reason: 'not an inbox entry' });
      continue;
    }
    const pseudonym = entry.reporter.pseudonym;
    if (skip(pseudonym)) continue;
    const chain = bySubscriber.get(pseudonym);
    if (chain) chain.push({ record, entry });
    else bySubscriber.set(pseudonym, [{ record, entry }]);
  }
  const stored = await partition.load([...bySubscriber.keys()]);
  const failed = new Map<string, { record: InboxRecord; error: unknown }>();
  const succeeded = new Set<string>();
  const outcomes: string[] = [];

  const decideSubscriber = async (pseudonym: string, chain: Pending[]) => {
    let conversation = readConversation(stored.get(pseudonym));
    let decidedAny = false;
    for (const { record, entry } of chain) {
      const decision = decideInboxEntry(conversation, entry, deps.config);
      try {
        await deps.carryOut(stepJob(entry, decision));
      } catch (error) {
        failed.set(pseudonym, { record, error });
        break;
      }
      conversation = { state: decision.state, windows: decision.windows };
      decidedAny = true;
      commit.decided.push(record.id);
      collectTimers(commit, pseudonym, entry, decision);
      outcomes.push(decision.outcome);
    }
    if (decidedAny) commit.conversations.push({ pseudonym, ...writeConversation(conversation) });
    if (!failed.has(pseudonym)) succeeded.add(pseudonym);
  };

  const subscribers = [...bySubscriber];
  let next = 0;
  const lanes = Array.from({ length: Math.min(deps.concurrency, subscribers.length) }, async () => {
    while (next < subscribers.length) {
      const [pseudonym, chain] = subscribers[next++]!;
      await decideSubscriber(pseudonym, chain);
    }
  });
  await Promise.all(lanes);
  return { commit, failed, succeeded, outcomes };
}

function parseEntry(record: InboxRecord): InboxEntry | undefined {
  try {
    const parsed = inboxEntry.safeParse(JSON.parse(record.data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function stepJob(entry: InboxEntry, decision: MessageDecision): ConversationStepJob {
  return {
    v: 2,
    operatorId: entry.operatorId,
    channel: entry.channel,
    gatewayMessageId: entry.gatewayMessageId,
    reporter: entry.reporter,
    shortCode: entry.shortCode,
    language: decision.language,
    coding: entry.coding,
    smsc: entry.smsc,
    receivedAt: new Date(entry.receivedAt).toISOString(),
    steps: decision.steps,
  };
}

/** A report opened waits for its sender until its timer; one completed by this message needs none. */
function collectTimers(commit: PartitionCommit, pseudonym: string, entry: InboxEntry, decision: MessageDecision): void {
  for (const step of decision.steps) {
    const member = (report: { gateway: string; gatewayMessageId: string }) =>
      timerMember({ pseudonym, operatorId: entry.operatorId, gateway: report.gateway, gatewayMessageId: report.gatewayMessageId });
    if (step.type === 'schedule_timeout') commit.timersAdded.push({ member: member(step.report), at: step.at });
    if (step.type === 'attach_sender' || step.type === 'close_report') commit.timersDone.push(member(step.report));
  }
}
