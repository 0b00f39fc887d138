import {
  LANGUAGES,
  MESSAGE_CODINGS,
  REPLY_KEYS,
  SENDER_KINDS,
  SMS_CODINGS,
  type ReportedSender,
  type ReportKey,
  type Step,
} from '@srs/core';
import { z } from 'zod';

/**
 * The job catalogue: every queue, the job names on it and their payloads.
 * Producers and workers both parse with these schemas, so a payload that does
 * not match fails loudly at the edge that made it. No payload carries a raw
 * MSISDN: reporters travel as a pseudonym and, where a reply needs it, sealed.
 */
export const QUEUES = {
  outbound: 'outbound-sms',
  /** served by the sharing API's delivery worker, not by services/worker */
  webhooks: 'webhook-deliveries',
  /** served by the intake's SMPP process, which holds the bind to the SMSC */
  smppSubmit: 'smpp-submit',
} as const;

export const JOB_NAMES = {
  sendSms: 'send-sms',
  deliverWebhook: 'deliver-webhook',
  submitSm: 'submit-sm',
} as const;

const pseudonym = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'HMAC-SHA256 pseudonym, base64url');
const sealed = z.string().regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, 'sealed value');
const language = z.enum(LANGUAGES);

export const gatewaySchema = z.enum(['kannel', 'smpp', 'twilio', 'webhook', 'app']);
export type Gateway = z.infer<typeof gatewaySchema>;

/** The connection a message came in on, and replies go out through. */
export const channelSchema = z.object({ gateway: gatewaySchema, connection: z.string().min(1).max(64) });
export type Channel = z.infer<typeof channelSchema>;

/** `A` and `B` are the same type: each is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when given `true`: where a contract is checked against the core type it carries. */
type Assert<T extends true> = T;

const reportKey = z.object({ gateway: z.string().min(1), gatewayMessageId: z.string().min(1).max(200) }) satisfies z.ZodType<ReportKey>;
const sender = z.object({
  kind: z.enum(SENDER_KINDS),
  value: z.string().min(1).max(32),
  display: z.string().min(1).max(20),
}) satisfies z.ZodType<ReportedSender>;
/** which reply a job sends, for logs and metrics */
const purpose = z.string().min(1).max(40);
const replyParams = z.object({
  ref: z.string().max(20).optional(),
  sender: z.string().max(40).optional(),
  shortCode: z.string().max(20).optional(),
  example: z.string().max(20).optional(),
});

/**
 * The steps of the conversation state machine (`@srs/core` decide), as the
 * worker carries them out. Core's `Step` is the definition; this schema adds
 * only the limits a queued payload keeps, and tsc fails below when the two differ.
 */
export const stepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open_report'), report: reportKey, text: z.string(), reply: z.boolean() }),
  z.object({ type: z.literal('file_report'), report: reportKey, text: z.string(), sender, reply: z.boolean() }),
  z.object({ type: z.literal('attach_sender'), report: reportKey, sender, reply: z.boolean() }),
  z.object({
    type: z.literal('close_report'),
    report: reportKey,
    reason: z.enum(['superseded', 'sender_unknown']),
    reply: z.boolean(),
  }),
  z.object({ type: z.literal('schedule_timeout'), report: reportKey, at: z.number() }),
  z.object({ type: z.literal('status'), reference: z.string().max(40) }),
  z.object({ type: z.literal('reply'), key: z.enum(REPLY_KEYS), params: replyParams }),
  z.object({ type: z.literal('opt_out') }),
  z.object({ type: z.literal('opt_in') }),
]);
type _StepIsCoreStep = Assert<Same<z.infer<typeof stepSchema>, Step>>;
export type StepPayload = Step;

/**
 * One subscriber message as the intake recorded it, the only write before the
 * gateway is answered. Everything the conversation decides about it is
 * decided behind the inbox, by the worker that owns the subscriber's partition.
 */
export const inboxEntry = z.object({
  v: z.literal(1),
  operatorId: z.string().min(1),
  channel: channelSchema,
  gatewayMessageId: z.string().min(1).max(200),
  reporter: z.object({ pseudonym, sealed: sealed.nullable() }),
  shortCode: z.string().min(1).max(20),
  text: z.string(),
  /** the sender the channel already gave (the app API) */
  sender: sender.optional(),
  coding: z.enum(MESSAGE_CODINGS).nullable(),
  smsc: z.string().max(100).nullable(),
  /** when the intake took it in (ms): the conversation runs on the service's clock */
  at: z.number().int().nonnegative(),
  /** the gateway's time of receipt when it gave one we could read, else `at`: stored on the report */
  receivedAt: z.number().int().nonnegative(),
  /** false for channels with no way back to the subscriber (the app API) */
  replies: z.boolean(),
});
export type InboxEntry = z.infer<typeof inboxEntry>;

/** A sender window the worker sweeps when it closes: the report completes without a sender unless one came. */
export const senderTimer = z.object({ operatorId: z.string().min(1), report: reportKey });
export type SenderTimer = z.infer<typeof senderTimer>;

/** One subscriber message as decided by the worker: the steps it carries out, in order. */
export const conversationStepJob = z.object({
  v: z.literal(2),
  operatorId: z.string().min(1),
  channel: channelSchema,
  gatewayMessageId: z.string().min(1).max(200),
  reporter: z.object({ pseudonym, sealed: sealed.nullable() }),
  shortCode: z.string().min(1).max(20),
  language,
  coding: z.enum(MESSAGE_CODINGS).nullable(),
  smsc: z.string().max(100).nullable(),
  receivedAt: z.iso.datetime(),
  steps: z.array(stepSchema),
});
export type ConversationStepJob = z.infer<typeof conversationStepJob>;

/** A reply to a subscriber, rendered, sent through the connection the subscriber wrote in on. */
export const outboundSmsJob = z.object({
  v: z.literal(2),
  operatorId: z.string().min(1),
  channel: channelSchema,
  sealedTo: sealed,
  from: z.string().min(1).max(20),
  text: z.string().min(1).max(1600),
  coding: z.enum(SMS_CODINGS),
  /** which reply this is, for logs and metrics; never the number */
  purpose,
  reportReference: z.string().optional(),
  /** names the reply (a hash of what it answers): a reply whose id is marked sent is not sent again */
  replyId: z.string().min(1).max(64).optional(),
});
export type OutboundSmsJob = z.infer<typeof outboundSmsJob>;

/**
 * A reply handed to the process that holds an SMPP bind, sent there as submit_sm.
 * The address stays sealed until that process unseals it to send.
 */
export const smppSubmitJob = z.object({
  v: z.literal(1),
  operatorId: z.string().min(1),
  /** the SMPP connection (bind) the subscriber wrote in on */
  connection: z.string().min(1).max(64),
  sealedTo: sealed,
  text: z.string().min(1).max(1600),
  coding: z.enum(SMS_CODINGS),
});
export type SmppSubmitJob = z.infer<typeof smppSubmitJob>;

/**
 * One webhook delivery to attempt. The job carries ids only: the message, its
 * target and its secrets are read from PostgreSQL when it runs.
 */
export const deliverWebhookJob = z.object({
  v: z.literal(1),
  deliveryId: z.string().regex(/^msg_[A-Za-z0-9_]{1,120}$/),
  /** the delivery's generation when queued: a replay makes the jobs of older ones obsolete */
  generation: z.number().int().min(0),
});
export type DeliverWebhookJob = z.infer<typeof deliverWebhookJob>;

/** One job per delivery and generation: queueing it again while it exists adds nothing. */
export function deliveryJobId(job: DeliverWebhookJob): string {
  return job.generation === 0 ? job.deliveryId : `${job.deliveryId}-r${job.generation}`;
}
