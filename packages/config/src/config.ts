import { INDICATOR_TYPES, type VerdictWeights } from '@srs/core';
import { routeProblems, routesSchema, type Routes } from './routing';
import { DEV_MSISDN_ENCRYPTION_KEY, DEV_MSISDN_HMAC_KEY, envSchema, type Env } from './schema';

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** `replicaUrl`: read-only queries of the statistics service; `partitionPremakeMonths`: months made ahead */
  database: { url: string; poolSize: number; replicaUrl?: string; partitionPremakeMonths: number };
  /** `clusterNodes` non-empty: a Redis Cluster, and `url` is not used */
  redis: { url: string; prefix: string; clusterNodes: string[] };
  /** `authFailuresPerMinute`: failed API-key authentications per client address */
  http: { host: string; shutdownTimeoutMs: number; authFailuresPerMinute: number };
  intake: { port: number; maxBodyBytes: number; dedupTtlSeconds: number };
  /** `partitions`: the inbox's subscriber partitions; every intake and worker of a deployment must agree */
  inbox: { partitions: number };
  /** the default operator: messages on connections that name none, and single-operator deployments */
  operator: { id: string; country: string; language: Env['OPERATOR_LANGUAGE']; shortCode: string };
  routing: Routes;
  publicBaseUrl?: string;
  conversation: { senderWindowMs: number };
  rateLimits: { reporterPerMinute: number; reporterPerDay: number; connectionPerSecond: number };
  privacy: { msisdnHmacKey: string; msisdnEncryptionKey: Buffer };
  /** replies to the gateways: the Kannel, Twilio-style and webhook connections are in `routing` */
  outbound: { timeoutMs: number };
  /** the SMPP bind (SMPP_ENABLED), else null */
  smpp: SmppConfig | null;
  sharing: {
    port: number;
    rateLimitPerMinute: number;
    /** seals the numbers operators see (cursors, seq, indicator ids); the sealing derives its own keys from it */
    idKey: string;
    webhooks: {
      allowPrivateTargets: boolean;
      timeoutMs: number;
      attempts: number;
      pollMs: number;
      concurrency: number;
      subscriptionInFlight: number;
      operatorInFlight: number;
      backlogWarnAfterMs: number;
    };
    stream: { pollMs: number; maxConnections: number; maxPerOperator: number };
    /** objects per add_objects envelope */
    taxii: { maxObjects: number };
  };
  stats: {
    port: number;
    /** disclosure control: smallest count published, and the largest share one operator may hold of a count (0..1) */
    minCell: number;
    dominance: number;
    rateLimitPerMinute: number;
    liveIntervalMs: number;
    rollupIntervalMs: number;
    /** 0: raw reports are kept */
    reportRetentionDays: number;
  };
  worker: { healthPort: number; concurrency: number; outboundAttempts: number };
  observability: { metricsToken?: string; adminToken?: string };
  analysis: { batchSize: number; idleMs: number; threads: number; ownThread: boolean; modelRefreshMs: number };
  scoring: { minReporters: number; publishScore: number; halfLifeDays: number; shareTextMinReporters: number };
  /** the campaign verdict's weights (docs/INTELLIGENCE.md) */
  verdict: VerdictWeights;
  /** extra allowlist entries from the environment, beside the seeded ones in the database */
  allowlist: Array<{ type: string; value: string }>;
  devstack: { startLocalServices: boolean; dataDir: string };
}

/** One bind to an SMSC: its subscribers' messages come in as deliver_sm, their replies leave as submit_sm. */
export interface SmppConfig {
  /** the connection's name in the channel of its messages (`smpp/<connection>`) */
  connection: string;
  operator: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  sourceAddress: string;
  window: number;
  throughputPerSecond: number;
  enquireLinkMs: number;
  responseTimeoutMs: number;
  reconnect: { minMs: number; maxMs: number };
  /** one transceiver session, or a receiver (deliver_sm) and a transmitter (submit_sm) */
  bindMode: 'transceiver' | 'receiver_transmitter';
  /** how long the parts of a concatenated MO are kept waiting for the rest */
  concatTtlSeconds: number;
  healthPort: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

/** Parses the environment once; services call this at start-up and pass the result down. */
export function loadConfig(source: Source = process.env): Config {
  // Empty strings mean "unset", as they do in docker-compose and shell exports.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const routing = buildRoutes(env);
  const smpp = buildSmpp(env, routing);
  if (env.NODE_ENV === 'production') {
    const insecure = [
      env.MSISDN_HMAC_KEY === DEV_MSISDN_HMAC_KEY && 'MSISDN_HMAC_KEY: the development key is not allowed in production',
      env.MSISDN_ENCRYPTION_KEY === DEV_MSISDN_ENCRYPTION_KEY && 'MSISDN_ENCRYPTION_KEY: the development key is not allowed in production',
    ].filter((x): x is string => typeof x === 'string');
    if (insecure.length > 0) throw new ConfigError(insecure);
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      ...(env.DATABASE_REPLICA_URL ? { replicaUrl: env.DATABASE_REPLICA_URL } : {}),
      partitionPremakeMonths: env.PARTITION_PREMAKE_MONTHS,
    },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX, clusterNodes: env.REDIS_CLUSTER_NODES },
    http: { host: env.HOST, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS, authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE },
    intake: {
      port: env.INTAKE_PORT,
      maxBodyBytes: env.INTAKE_MAX_BODY_BYTES,
      dedupTtlSeconds: env.INTAKE_DEDUP_TTL_SECONDS,
    },
    inbox: { partitions: env.INBOX_PARTITIONS },
    operator: { id: env.OPERATOR_ID, country: env.OPERATOR_COUNTRY, language: env.OPERATOR_LANGUAGE, shortCode: env.SHORT_CODE },
    routing,
    ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, '') } : {}),
    conversation: { senderWindowMs: env.CONVERSATION_SENDER_WINDOW_SECONDS * 1000 },
    rateLimits: {
      reporterPerMinute: env.RATE_LIMIT_REPORTER_PER_MINUTE,
      reporterPerDay: env.RATE_LIMIT_REPORTER_PER_DAY,
      connectionPerSecond: env.RATE_LIMIT_CONNECTION_PER_SECOND,
    },
    privacy: {
      msisdnHmacKey: env.MSISDN_HMAC_KEY,
      msisdnEncryptionKey: Buffer.from(env.MSISDN_ENCRYPTION_KEY, 'base64url'),
    },
    outbound: { timeoutMs: env.KANNEL_TIMEOUT_MS },
    smpp,
    sharing: {
      port: env.SHARING_PORT,
      rateLimitPerMinute: env.SHARING_RATE_LIMIT_PER_MINUTE,
      // MSISDN_HMAC_KEY is a secret every instance already shares (production refuses the development one).
      idKey: env.SHARING_ID_KEY ?? env.MSISDN_HMAC_KEY,
      webhooks: {
        allowPrivateTargets: env.SHARING_WEBHOOK_ALLOW_PRIVATE_TARGETS,
        timeoutMs: env.SHARING_WEBHOOK_TIMEOUT_MS,
        attempts: env.SHARING_WEBHOOK_ATTEMPTS,
        pollMs: env.SHARING_WEBHOOK_POLL_MS,
        concurrency: env.SHARING_WEBHOOK_CONCURRENCY,
        subscriptionInFlight: env.SHARING_WEBHOOK_SUBSCRIPTION_IN_FLIGHT,
        operatorInFlight: env.SHARING_WEBHOOK_OPERATOR_IN_FLIGHT,
        backlogWarnAfterMs: env.SHARING_WEBHOOK_BACKLOG_WARN_SECONDS * 1000,
      },
      stream: {
        pollMs: env.SHARING_STREAM_POLL_MS,
        maxConnections: env.SHARING_STREAM_MAX_CONNECTIONS,
        maxPerOperator: env.SHARING_STREAM_MAX_PER_OPERATOR,
      },
      taxii: { maxObjects: env.SHARING_TAXII_MAX_OBJECTS },
    },
    stats: {
      port: env.STATS_PORT,
      minCell: env.STATS_MIN_CELL,
      dominance: env.STATS_DOMINANCE_PERCENT / 100,
      rateLimitPerMinute: env.STATS_RATE_LIMIT_PER_MINUTE,
      liveIntervalMs: env.STATS_LIVE_INTERVAL_MS,
      rollupIntervalMs: env.STATS_ROLLUP_INTERVAL_MS,
      reportRetentionDays: env.REPORT_RETENTION_DAYS,
    },
    observability: {
      ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
      ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}),
    },
    worker: {
      healthPort: env.WORKER_HEALTH_PORT,
      concurrency: env.WORKER_CONCURRENCY,
      outboundAttempts: env.OUTBOUND_ATTEMPTS,
    },
    analysis: {
      batchSize: env.ANALYSER_BATCH_SIZE,
      idleMs: env.ANALYSER_IDLE_MS,
      threads: env.ANALYSER_THREADS,
      ownThread: env.ANALYSER_OWN_THREAD,
      modelRefreshMs: env.MODEL_REFRESH_MS,
    },
    scoring: {
      minReporters: env.INDICATOR_MIN_REPORTERS,
      publishScore: env.INDICATOR_PUBLISH_SCORE,
      halfLifeDays: env.INDICATOR_HALF_LIFE_DAYS,
      shareTextMinReporters: env.SHARE_TEXT_MIN_REPORTERS,
    },
    verdict: env.VERDICT_WEIGHTS,
    allowlist: parseAllowlist(env.ALLOWLIST),
    devstack: { startLocalServices: env.START_LOCAL_SERVICES, dataDir: env.DATA_DIR },
  };
}

/** INTAKE_ROUTES when set; otherwise one operator with the connections the plain variables describe. */
function buildRoutes(env: Env): Routes {
  if (env.INTAKE_ROUTES) {
    let json: unknown;
    try {
      json = JSON.parse(env.INTAKE_ROUTES);
    } catch {
      throw new ConfigError(['INTAKE_ROUTES: not valid JSON']);
    }
    const routes = routesSchema.safeParse(json);
    if (!routes.success) {
      throw new ConfigError(routes.error.issues.map((i) => `INTAKE_ROUTES.${i.path.join('.')}: ${i.message}`));
    }
    const problems = routeProblems(routes.data);
    if (problems.length) throw new ConfigError(problems.map((p) => `INTAKE_ROUTES: ${p}`));
    return routes.data;
  }
  const operator = env.OPERATOR_ID;
  return {
    operators: { [operator]: { country: env.OPERATOR_COUNTRY, language: env.OPERATOR_LANGUAGE, shortCode: env.SHORT_CODE } },
    kannel: [
      {
        name: 'kannel',
        operator,
        smsc: [],
        sendsmsUrl: env.KANNEL_SENDSMS_URL,
        user: env.KANNEL_SENDSMS_USER,
        password: env.KANNEL_SENDSMS_PASSWORD,
        ...(env.KANNEL_SMSC ? { smscForReplies: env.KANNEL_SMSC } : {}),
        ...(env.KANNEL_MO_TOKEN ? { moToken: env.KANNEL_MO_TOKEN } : {}),
        allowFrom: env.KANNEL_MO_ALLOW_FROM,
      },
    ],
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
        ? [{ name: 'twilio', operator, accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, apiUrl: env.TWILIO_API_URL }]
        : [],
    webhooks: env.WEBHOOK_SECRET
      ? [{ name: 'webhook', operator, secret: env.WEBHOOK_SECRET, ...(env.WEBHOOK_REPLY_URL ? { replyUrl: env.WEBHOOK_REPLY_URL } : {}) }]
      : [],
  };
}

function buildSmpp(env: Env, routing: Routes): SmppConfig | null {
  if (!env.SMPP_ENABLED) return null;
  const operator = env.SMPP_OPERATOR ?? env.OPERATOR_ID;
  if (!routing.operators[operator]) throw new ConfigError([`SMPP_OPERATOR: unknown operator ${operator}`]);
  if (env.SMPP_RECONNECT_MAX_MS < env.SMPP_RECONNECT_MIN_MS) {
    throw new ConfigError(['SMPP_RECONNECT_MAX_MS: must not be below SMPP_RECONNECT_MIN_MS']);
  }
  return {
    connection: 'smpp',
    operator,
    host: env.SMPP_HOST,
    port: env.SMPP_PORT,
    systemId: env.SMPP_SYSTEM_ID,
    password: env.SMPP_PASSWORD,
    systemType: env.SMPP_SYSTEM_TYPE,
    sourceAddress: env.SMPP_SOURCE_ADDRESS,
    window: env.SMPP_WINDOW,
    throughputPerSecond: env.SMPP_THROUGHPUT,
    enquireLinkMs: env.SMPP_ENQUIRE_LINK_MS,
    responseTimeoutMs: env.SMPP_RESPONSE_TIMEOUT_MS,
    reconnect: { minMs: env.SMPP_RECONNECT_MIN_MS, maxMs: env.SMPP_RECONNECT_MAX_MS },
    bindMode: env.SMPP_BIND_MODE,
    concatTtlSeconds: env.SMPP_CONCAT_TTL_SECONDS,
    healthPort: env.SMPP_HEALTH_PORT,
  };
}

/** An allowlist entry names one of the indicator types the analysis extracts. */
const ALLOWLIST_TYPES: readonly string[] = INDICATOR_TYPES;

function parseAllowlist(value: string | undefined): Array<{ type: string; value: string }> {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      const type = entry.slice(0, at);
      const item = entry.slice(at + 1).trim();
      if (at < 1 || !ALLOWLIST_TYPES.includes(type) || !item) {
        throw new ConfigError([`ALLOWLIST: "${entry}" is not type:value with a type of ${ALLOWLIST_TYPES.join(', ')}`]);
      }
      return {
        type,
        value: type === 'sender_alphanumeric' ? item.toUpperCase() : type === 'domain' || type === 'email' ? item.toLowerCase() : item,
      };
    });
}
