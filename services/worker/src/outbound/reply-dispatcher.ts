import type { Logger } from '@srs/logging';
import { replyId, type OutboundSmsJob, type OutboundSmsQueue } from '@srs/queue';
import { ReplyBeingSent, sendSms, type SendSmsDeps } from '../handlers/send-sms';
import type { WorkerMetrics } from '../worker-metrics';

export interface ReplyDispatcherDeps extends SendSmsDeps {
  outbound: OutboundSmsQueue;
  logger: Logger;
  metrics?: Pick<WorkerMetrics, 'replies'>;
  /** replies being sent straight from their jobs at once, at most (the worker's concurrency); beyond, they are queued */
  maxDirect: number;
  /** how long a job waits for the gateway to take its reply (KANNEL_TIMEOUT_MS); the request itself waits on */
  patienceMs: number;
  /** a direct send slower than this, though it succeeded, sends that connection's next replies through the queue */
  slowMs?: number;
  /** after a direct send fails or is slow, how long that connection's replies go through the queue */
  coolOffMs?: number;
}

const WAITED = Symbol('waited');

/**
 * Sends a reply straight from the job that decided it, and queues it only
 * when that cannot be done at once. A queued job per reply doubled the Redis
 * work and the worker's job handling of every report; the queue keeps what
 * the direct way cannot give: retries with backoff while a gateway is down.
 * A failing or slow gateway never holds up the storing of reports for long:
 * after a send to it fails or takes over `slowMs`, its connection's replies
 * are queued for `coolOffMs`; and at most `maxDirect` replies wait on
 * gateways at once. A job waits `patienceMs` for the gateway, then queues
 * the reply and moves on, but the request is not given up: the gateway may
 * have taken the reply, and only its answer tells. Until then the reply's
 * claim holds, and the queued job finds it being sent, then sent.
 */
export class ReplyDispatcher {
  private direct = 0;
  private readonly coolingUntil = new Map<string, number>();
  /** requests whose jobs have moved on, still waiting for the gateway's answer */
  private readonly unanswered = new Set<Promise<unknown>>();

  constructor(private readonly deps: ReplyDispatcherDeps) {}

  /** `key` names the reply (e.g. the acknowledgement of one report): the same key is sent once. */
  async dispatch(reply: OutboundSmsJob, key: string): Promise<void> {
    const { maxDirect, patienceMs, slowMs = 1000, coolOffMs = 30_000, metrics, logger } = this.deps;
    const connection = `${reply.channel.gateway}/${reply.channel.connection}`;
    if (this.direct < maxDirect && (this.coolingUntil.get(connection) ?? 0) <= Date.now()) {
      this.direct++;
      const started = Date.now();
      const sending = sendSms(this.deps, { ...reply, replyId: replyId(key) });
      sending.then(
        (result) => metrics?.replies.inc({ path: result === 'sent' ? 'direct' : 'already_sent' }),
        () => undefined,
      );
      try {
        const result = await within(sending, patienceMs);
        if (result === WAITED) {
          this.coolingUntil.set(connection, Date.now() + coolOffMs);
          this.awaitAnswer(sending, reply);
          logger.warn(
            { channel: reply.channel, ms: patienceMs },
            "gateway slow to answer; the reply waits for its answer, queued meanwhile, and this connection's replies queued for a while",
          );
          return await this.queue(reply, key);
        }
        if (Date.now() - started > slowMs) {
          this.coolingUntil.set(connection, Date.now() + coolOffMs);
          logger.warn(
            { channel: reply.channel, ms: Date.now() - started },
            "gateway slow to take a reply; this connection's replies queued for a while",
          );
        }
        return;
      } catch (err) {
        // Being sent by another run: the queue tries again once that run is done.
        if (err instanceof ReplyBeingSent) return this.queue(reply, key);
        this.coolingUntil.set(connection, Date.now() + coolOffMs);
        logger.warn(
          { err, channel: reply.channel, purpose: reply.purpose },
          "reply not taken at once; queued, and this connection's replies queued for a while",
        );
      } finally {
        this.direct--;
      }
    }
    await this.queue(reply, key);
  }

  /** Resolves once every request whose job moved on has its answer (or has given up): for a graceful stop. */
  async drain(): Promise<void> {
    await Promise.all(this.unanswered);
  }

  private awaitAnswer(sending: Promise<unknown>, reply: OutboundSmsJob): void {
    const answered = sending.then(
      () => undefined,
      (err: unknown) =>
        this.deps.logger.warn({ err, channel: reply.channel, purpose: reply.purpose }, 'reply not taken; its queued job sends it'),
    );
    this.unanswered.add(answered);
    void answered.finally(() => this.unanswered.delete(answered));
  }

  private async queue(reply: OutboundSmsJob, key: string): Promise<void> {
    await this.deps.outbound.add(reply, key);
    this.deps.metrics?.replies.inc({ path: 'queued' });
  }
}

/** `promise`'s result, or WAITED once `ms` have passed without one. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof WAITED> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<typeof WAITED>((resolve) => (timer = setTimeout(() => resolve(WAITED), ms)));
  try {
    return await Promise.race([promise, waited]);
  } finally {
    clearTimeout(timer);
  }
}
