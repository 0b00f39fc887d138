import { DEFAULT_VERDICT_WEIGHTS, LANGUAGES, type VerdictWeights } from '@srs/core';
import { z } from 'zod';

/**
 * Every environment variable the project reads, with the default that works on a
 * developer machine beside the Kannel harness. docs/CONFIGURATION.md is
 * generated from these descriptions (`npm run -s config:table`).
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list; unset or blank is an empty one. */
const commaList = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

export const DEV_MSISDN_HMAC_KEY = 'dev-only-msisdn-hmac-key-change-me-in-production';
export const DEV_MSISDN_ENCRYPTION_KEY = 'ZGV2LW9ubHktMzItYnl0ZS1rZXktY2hhbmdlLW1lISE';

/** Any of the verdict's weights, by name; an unknown name is an error, not ignored. */
const verdictWeightsOverride = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_VERDICT_WEIGHTS).map((key) => [key, z.number().finite().optional()])) as Record<
      keyof VerdictWeights,
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .strict();

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('`production` refuses the development secrets'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),

  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://postgres@127.0.0.1:5432/srs')
    .describe('PostgreSQL URL; `npm start` starts a local server when none answers there, and creates the database'),
  DATABASE_POOL_SIZE: positiveInt
    .default(10)
    .describe(
      'PostgreSQL connections per process (the worker opens 4 more for the analyser on its own thread; the worker and the sharing API each hold one more, listening for notifications)',
    ),
  DATABASE_REPLICA_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe('read-only PostgreSQL URL (a streaming replica) the statistics service reads aggregates from; unset, it reads DATABASE_URL'),
  PARTITION_PREMAKE_MONTHS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24)
    .default(3)
    .describe('monthly partitions of reports and audit_log the worker makes ahead of the current month (checked hourly)'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .default('redis://127.0.0.1:6379')
    .describe('Redis URL (queues, dedup keys); `npm start` starts a local Redis when none answers there'),
  REDIS_CLUSTER_NODES: commaList()
    .superRefine((nodes, ctx) => {
      for (const node of nodes) {
        if (!/^(rediss?:\/\/([^@/]*@)?)?[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(node)) {
          ctx.addIssue({ code: 'custom', message: `"${node}" is not host:port or redis://[user:password@]host:port` });
        }
      }
    })
    .describe(
      'Redis Cluster seed nodes, comma-separated `host:port` (or `redis://user:password@host:port`); when set, every service uses the cluster and REDIS_URL is not read',
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/)
    .default('srs')
    .describe('prefix of every Redis key (queues, conversation state, limits); each queue adds its own hash tag, `<prefix>:{reports}:…`'),

  HOST: z.string().min(1).default('127.0.0.1').describe('address the HTTP services bind to (`0.0.0.0` in containers)'),
  INTAKE_PORT: port.default(3000).describe('intake HTTP port (gateway webhooks)'),
  AUTH_FAILURES_PER_MINUTE: positiveInt
    .default(20)
    .describe(
      'failed API-key authentications (missing, unknown or revoked keys) one client address may make per minute; beyond, every API-key request from it is answered 429 with Retry-After',
    ),
  SHARING_PORT: port.default(3001).describe('sharing API HTTP port (operators: change feed of indicators and campaigns)'),
  SHARING_RATE_LIMIT_PER_MINUTE: positiveInt
    .default(600)
    .describe('requests one sharing API key may make per minute (429 with Retry-After beyond)'),
  SHARING_WEBHOOK_ALLOW_PRIVATE_TARGETS: bool
    .default(false)
    .describe('let webhook subscriptions target loopback and private addresses (development and tests only)'),
  SHARING_WEBHOOK_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('one webhook delivery attempt, from connecting to the last byte of the answer'),
  SHARING_WEBHOOK_ATTEMPTS: positiveInt
    .default(10)
    .describe('attempts per webhook delivery (exponential backoff from 5 s) before it is given up'),
  SHARING_WEBHOOK_POLL_MS: positiveInt
    .default(5000)
    .describe(
      'how often the webhook dispatcher looks for new changes when none woke it: each committed change wakes it at once (NOTIFY srs_changes), so this is the fallback while notifications are lost',
    ),
  SHARING_WEBHOOK_CONCURRENCY: positiveInt
    .default(8)
    .describe(
      "webhook deliveries one sharing API process makes at once; keep the deployment's total well above SHARING_WEBHOOK_OPERATOR_IN_FLIGHT",
    ),
  SHARING_WEBHOOK_SUBSCRIPTION_IN_FLIGHT: positiveInt
    .default(2)
    .describe(
      'webhook deliveries of one subscription in the queue at once (queued, sending or waiting to retry), across the deployment; the rest wait in change order',
    ),
  SHARING_WEBHOOK_OPERATOR_IN_FLIGHT: positiveInt
    .default(4)
    .describe(
      'webhook deliveries of one operator in the queue at once, across the deployment: all the delivery workers one slow receiver can hold',
    ),
  SHARING_WEBHOOK_BACKLOG_WARN_SECONDS: positiveInt
    .default(300)
    .describe('a webhook subscription whose oldest undelivered change is older than this is logged as falling behind'),
  SHARING_ID_KEY: z
    .string()
    .min(32)
    .optional()
    .describe(
      "secret key (32+ characters, the same on every sharing API instance) that seals feed cursors, stream event ids, webhook message ids and indicator ids, so their gaps do not count other operators' TLP:RED indicators; unset, a key derived from MSISDN_HMAC_KEY; changing it invalidates clients' cursors and ids",
    ),
  SHARING_STREAM_POLL_MS: positiveInt
    .default(5000)
    .describe(
      'how often an open /v1/stream looks for new changes when none woke it: each committed change wakes every open stream at once (NOTIFY srs_changes), so this is the fallback while notifications are lost',
    ),
  SHARING_STREAM_MAX_CONNECTIONS: positiveInt.default(200).describe('open /v1/stream connections per process (503 beyond)'),
  SHARING_STREAM_MAX_PER_OPERATOR: positiveInt
    .default(5)
    .describe('open /v1/stream connections one operator (all its keys) may hold per process (429 beyond), so one cannot take every slot'),
  SHARING_TAXII_MAX_OBJECTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe(
      "objects one TAXII add_objects envelope may hold (413 beyond); each object also spends one unit of the key's SHARING_RATE_LIMIT_PER_MINUTE",
    ),
  STATS_PORT: port.default(3002).describe('regulator statistics HTTP port (aggregate API and dashboard)'),
  STATS_MIN_CELL: positiveInt.default(5).describe('statistics: counts from 1 to this minus one are suppressed'),
  STATS_DOMINANCE_PERCENT: z.coerce
    .number()
    .min(50)
    .max(100)
    .default(85)
    .describe('statistics: a count one operator holds more than this percentage of is suppressed (100 turns the rule off)'),
  STATS_RATE_LIMIT_PER_MINUTE: positiveInt.default(300).describe('requests one regulator key may make per minute'),
  STATS_LIVE_INTERVAL_MS: positiveInt.default(5000).describe('how often the live counters stream (/v1/stats/live) sends an update'),
  STATS_ROLLUP_INTERVAL_MS: positiveInt
    .default(5000)
    .describe('how often the worker adds newly finished reports, campaigns and shared indicators to the statistics'),
  REPORT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'delete raw reports this many days after receipt, once counted in the statistics (0 keeps them); a whole month is dropped once all of it is past this, so a report is kept up to a month longer',
    ),
  METRICS_TOKEN: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe(
      'when set, GET /metrics on every service needs Authorization: Bearer <token>; unset, /metrics is open (keep it on the internal network)',
    ),
  ADMIN_TOKEN: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe("bearer token (or Basic password) of the queue dashboard at the worker's /admin/queues; unset, the dashboard is off"),
  WORKER_HEALTH_PORT: port.default(3003).describe('worker health and readiness port'),
  INTAKE_MAX_BODY_BYTES: positiveInt.default(64 * 1024).describe('largest request body, and largest query string, the intake accepts'),
  INTAKE_DEDUP_TTL_SECONDS: positiveInt
    .default(7 * 24 * 3600)
    .describe('how long a gateway message id is remembered so redeliveries are dropped'),

  OPERATOR_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
    .default('demo-uk')
    .describe('the operator whose subscribers this intake serves (must exist in the database)'),
  OPERATOR_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('GB')
    .describe('ISO 3166 country of the operator: default region for national numbers'),
  OPERATOR_LANGUAGE: z
    .enum(LANGUAGES)
    .default('en')
    .describe("language of replies to that operator's subscribers (a message in another supported language overrides it)"),
  SHORT_CODE: z
    .string()
    .regex(/^[0-9A-Za-z]{3,11}$/)
    .default('7726')
    .describe('the short code replies are sent from'),

  MSISDN_HMAC_KEY: z
    .string()
    .min(32)
    .default(DEV_MSISDN_HMAC_KEY)
    .describe('secret key of the HMAC that turns a reporter MSISDN into a pseudonym (32+ characters)'),
  MSISDN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64url').length === 32, 'must be 32 bytes, base64url encoded')
    .default(DEV_MSISDN_ENCRYPTION_KEY)
    .describe('AES-256-GCM key (32 bytes, base64url) sealing the MSISDN inside queued jobs until the reply is sent'),

  INTAKE_ROUTES: z
    .string()
    .optional()
    .describe(
      'JSON routing several operators and gateway connections (see docs/GATEWAYS.md); unset: one operator from the variables above',
    ),
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("the intake's URL as gateways call it, for webhook signatures behind a proxy (default: from the request)"),
  CONVERSATION_SENDER_WINDOW_SECONDS: positiveInt
    .default(600)
    .describe('how long a report waits for the subscriber to send the sender before it completes without one'),
  RATE_LIMIT_REPORTER_PER_MINUTE: positiveInt.default(10).describe('messages one subscriber may send per minute before being throttled'),
  RATE_LIMIT_REPORTER_PER_DAY: positiveInt.default(200).describe('messages one subscriber may send per day before being throttled'),
  RATE_LIMIT_CONNECTION_PER_SECOND: positiveInt
    .default(1000)
    .describe('messages one gateway connection may deliver per second; beyond it the intake answers 429'),
  KANNEL_SENDSMS_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:13013/cgi-bin/sendsms')
    .describe("Kannel's sendsms interface, used for replies"),
  KANNEL_SENDSMS_USER: z.string().min(1).default('srs').describe('Kannel sendsms-user username'),
  KANNEL_SENDSMS_PASSWORD: z.string().min(1).default('srs-secret').describe('Kannel sendsms-user password'),
  KANNEL_SMSC: z.string().optional().describe('send replies through this Kannel smsc-id (optional)'),
  KANNEL_MO_TOKEN: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe(
      'shared secret Kannel must send as `token` in its get-url / post-url; in production the intake refuses to start without it or KANNEL_MO_ALLOW_FROM (`npm start` generates one into DATA_DIR/kannel-mo-token)',
    ),
  KANNEL_MO_ALLOW_FROM: commaList().describe("comma-separated IP addresses or CIDR blocks Kannel's smsbox connects from; others get 403"),
  KANNEL_TIMEOUT_MS: positiveInt
    .default(5000)
    .describe(
      'how long a job waits for a gateway (Kannel sendsms, Twilio-style API, webhook) to take a reply before queueing it; the request itself waits 25 s for the answer, so a slow gateway is not sent the reply twice',
    ),

  TWILIO_ACCOUNT_SID: z
    .string()
    .optional()
    .describe('Twilio-style webhook: the account whose requests are accepted (enables /v1/gateways/twilio/sms)'),
  TWILIO_AUTH_TOKEN: z
    .string()
    .min(8)
    .optional()
    .describe('Twilio-style webhook: auth token that signs requests (X-Twilio-Signature) and authenticates replies'),
  TWILIO_API_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:13080')
    .describe('base URL of the Twilio-style REST API replies are sent to'),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/)
    .optional()
    .describe('generic JSON webhook: Standard Webhooks secret (whsec_…) that signs deliveries (enables /v1/gateways/webhook/sms)'),
  WEBHOOK_REPLY_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('generic JSON webhook: where replies are POSTed, signed with WEBHOOK_SECRET'),
  SMPP_ENABLED: bool
    .default(false)
    .describe(
      "bind to an SMSC over SMPP 3.4 (the intake's `smpp-main` entry, one process per bind) and send replies of its subscribers as submit_sm",
    ),
  SMPP_HOST: z.string().min(1).default('127.0.0.1').describe("the SMSC's SMPP host"),
  SMPP_PORT: port.default(2775).describe("the SMSC's SMPP port"),
  SMPP_SYSTEM_ID: z.string().min(1).max(15).default('srs').describe('SMPP system_id of the bind'),
  SMPP_PASSWORD: z.string().max(8).default('srs-smpp').describe('SMPP password of the bind (at most 8 characters)'),
  SMPP_SYSTEM_TYPE: z.string().max(12).default('').describe('SMPP system_type of the bind, when the SMSC wants one'),
  SMPP_OPERATOR: z
    .string()
    .optional()
    .describe(
      'the operator whose subscribers reach the service on this bind (OPERATOR_ID when unset; with INTAKE_ROUTES, one of its operators)',
    ),
  SMPP_SOURCE_ADDRESS: z
    .string()
    .regex(/^[0-9A-Za-z]{3,11}$/)
    .default('7726')
    .describe('source address of the replies (submit_sm source_addr); a number is sent as such, letters as alphanumeric'),
  SMPP_WINDOW: positiveInt.default(10).describe('submit_sm sent and not yet answered, at most, on the bind'),
  SMPP_THROUGHPUT: positiveInt.default(50).describe("submit_sm per second, at most, on the bind (the SMSC's throttle)"),
  SMPP_ENQUIRE_LINK_MS: positiveInt.default(30_000).describe('how often an idle bind sends enquire_link'),
  SMPP_RESPONSE_TIMEOUT_MS: positiveInt
    .default(10_000)
    .describe('how long a request (bind, enquire_link, submit_sm) waits for its answer before the link is dropped and made again'),
  SMPP_RECONNECT_MIN_MS: positiveInt.default(1000).describe('first wait before binding again after the link dropped; doubles each failure'),
  SMPP_RECONNECT_MAX_MS: positiveInt.default(60_000).describe('longest wait between two attempts to bind'),
  SMPP_BIND_MODE: z
    .enum(['transceiver', 'receiver_transmitter'])
    .default('transceiver')
    .describe(
      'one transceiver bind, or (receiver_transmitter, for an SMSC that takes only separate binds) a receiver bind for deliver_sm and a transmitter bind for submit_sm, each kept up on its own',
    ),
  SMPP_CONCAT_TTL_SECONDS: positiveInt
    .default(300)
    .describe('how long the segments of a concatenated MO wait in Redis for the rest; an incomplete message is dropped after'),
  SMPP_HEALTH_PORT: port.default(3004).describe("the SMPP process's /healthz, /readyz (bound) and /metrics"),
  INBOX_PARTITIONS: positiveInt
    .max(1024)
    .default(16)
    .describe(
      'subscriber partitions of the inbox: each is decided in order by one worker at a time, so more partitions let more workers share the load; change it only with the inbox empty',
    ),
  WORKER_CONCURRENCY: positiveInt.default(128).describe('jobs one worker process runs at once, per queue'),
  OUTBOUND_ATTEMPTS: positiveInt
    .default(12)
    .describe('attempts to hand a reply to the gateway (exponential backoff from 2 s, about 2 h in all)'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000).describe('how long SIGTERM waits for in-flight requests and jobs before exiting'),
  ANALYSER_BATCH_SIZE: positiveInt.default(500).describe('reports the analyser classifies, clusters and writes in one transaction'),
  ANALYSER_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .describe('worker threads that classify and extract while the analyser writes (0: on its own thread)'),
  ANALYSER_OWN_THREAD: bool
    .default(true)
    .describe(
      'run the analyser on a worker thread of its own, with 4 PostgreSQL connections of its own, so its transactions do not wait on the queue jobs (lower end-to-end latency under load)',
    ),
  ANALYSER_IDLE_MS: positiveInt
    .default(100)
    .describe(
      'how long the analyser waits before looking again when no report is waiting, unless a report stored by any worker process wakes it first (NOTIFY srs_reports): the fallback while notifications are lost',
    ),
  MODEL_REFRESH_MS: positiveInt
    .default(10_000)
    .describe('how often the worker looks up the active classifier model (`srs model activate`) and swaps it in without a restart'),
  INDICATOR_MIN_REPORTERS: positiveInt
    .default(3)
    .describe(
      'distinct reporters an indicator needs before it is shared: with 3, a genuine message two subscribers forward by mistake is never shared, whatever the classifier says of it',
    ),
  INDICATOR_PUBLISH_SCORE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('score (0–1) from which an indicator is shared with operators'),
  INDICATOR_HALF_LIFE_DAYS: z.coerce
    .number()
    .positive()
    .default(30)
    .describe('days after its last report in which an indicator loses half its score'),
  SHARE_TEXT_MIN_REPORTERS: positiveInt.default(3).describe('k: distinct reporters a campaign needs before its sample text is shared'),
  VERDICT_WEIGHTS: z
    .string()
    .optional()
    .transform((raw, ctx): VerdictWeights => {
      if (!raw?.trim()) return DEFAULT_VERDICT_WEIGHTS;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of weights' });
        return z.NEVER;
      }
      const parsed = verdictWeightsOverride.safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: parsed.error.issues.map((i) => `${i.path.join('.') || 'weights'}: ${i.message}`).join('; '),
        });
        return z.NEVER;
      }
      return { ...DEFAULT_VERDICT_WEIGHTS, ...parsed.data };
    })
    .describe(
      'weights of the campaign verdict (docs/INTELLIGENCE.md) that differ from the defaults, as JSON, e.g. `{"reporter":0.6,"falsePositiveOperator":-4}`',
    ),
  ALLOWLIST: z
    .string()
    .optional()
    .describe(
      'extra legitimate senders and domains, never published: comma-separated type:value, e.g. `domain:mybank.example,sender_alphanumeric:MYBANK`',
    ),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data')
    .describe('where `npm start` and `npm test` keep the PostgreSQL and Redis they start (relative to the project root)'),
  START_LOCAL_SERVICES: bool.default(true).describe('`npm start` and `npm test` start PostgreSQL and Redis themselves when none answers'),
});

export type Env = z.infer<typeof envSchema>;
