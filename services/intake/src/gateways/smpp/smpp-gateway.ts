import { randomUUID } from 'node:crypto';
import { operatorProfile, type SmppConfig } from '@srs/config';
import { canonicalMsisdn, MSISDN_PATTERN, pseudonymise, unseal } from '@srs/core';
import { AppError } from '@srs/http';
import type { Logger } from '@srs/logging';
import { JOB_NAMES, QUEUES, queueOptions, smppSubmitJob, type RedisClient } from '@srs/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { PDU } from 'smpp';
import { handleInbound, type InboundDeps } from '../../conversation/handle-inbound';
import { SegmentStore } from './smpp-concat';
import { SmppLink, SubmitRefusedError, type DeliveryVerdict } from './smpp-link';
import { readDeliverSm, type SmppMo } from './smpp-mo';
import { PERMANENT_SUBMIT_STATUSES, submitSmFields } from './smpp-submit';

export interface SmppGatewayDeps {
  smpp: SmppConfig;
  inbound: InboundDeps;
  /** a BullMQ consumer connection (role `worker`) for the replies queued to this bind */
  workerRedis: RedisClient;
  /** QUEUE_PREFIX */
  prefix: string;
  logger: Logger;
}

export interface RunningSmppGateway {
  /** the session submit_sm leave by (the transceiver, or the transmitter) */
  link: SmppLink;
  /** every session of the bind: one transceiver, or a receiver and a transmitter */
  links: SmppLink[];
  /** true while every session of the bind is bound */
  readonly isBound: boolean;
  replies: Worker;
  close(): Promise<void>;
}

/**
 * The SMPP bind as a gateway: each deliver_sm goes through handleInbound, as
 * a Kannel delivery does (same pseudonym, state and queue), and is answered
 * only once Redis holds what it decided; the replies the worker queued for
 * this bind leave as submit_sm, as many at once as the window allows and no
 * more per second than SMPP_THROUGHPUT (BullMQ's limiter, shared by every
 * consumer of the queue).
 */
export function startSmppGateway(deps: SmppGatewayDeps): RunningSmppGateway {
  const { smpp, inbound, logger } = deps;
  const channel = { gateway: 'smpp' as const, connection: smpp.connection };

  const segments = new SegmentStore(inbound.redis, smpp.concatTtlSeconds, `${deps.prefix}:smpp:concat:${smpp.connection}`);
  const country = operatorProfile(inbound.config, smpp.operator).country;

  const handOn = (mo: SmppMo, text: string, gatewayMessageId: string) =>
    handleInbound(inbound, {
      channel,
      operatorId: smpp.operator,
      gatewayMessageId,
      from: mo.from,
      to: mo.to || null,
      text,
      coding: mo.coding,
      smsc: null,
      receivedAt: null,
    });

  /**
   * A part of a concatenated message is answered once Redis holds it; the
   * part that makes the set whole hands the whole text on (under the set's id,
   * so that a part delivered again, or twice at once, hands on nothing more).
   */
  const handOnSegment = async (mo: SmppMo & { segment: NonNullable<SmppMo['segment']> }): Promise<void> => {
    if (inbound.redis.status !== 'ready') {
      throw AppError.unavailable('queue_unavailable', 'the report queue is unavailable; retry later', 2);
    }
    const pseudonym = pseudonymise(canonicalMsisdn(mo.from, country), inbound.config.privacy.msisdnHmacKey);
    const outcome = await segments.store(pseudonym, mo.segment, mo.text);
    if (outcome.kind !== 'whole') return;
    await handOn(mo, outcome.text, outcome.id);
    // Left in place, the parts expire anyway, and a part delivered again is recognised as handed on by its id.
    await outcome
      .finish()
      .catch((err: Error) =>
        logger.warn({ channel, err: { message: err.message } }, 'concatenated message handed on; its parts not cleared'),
      );
  };

  const onDeliver = async (pdu: PDU): Promise<DeliveryVerdict> => {
    const mo = readDeliverSm(pdu);
    if (!mo) return 'accepted';
    if (!MSISDN_PATTERN.test(mo.from)) {
      logger.warn({ channel, sourceAddrTon: pdu.source_addr_ton }, 'deliver_sm from an address that is not a phone number: refused');
      return 'refused';
    }
    try {
      const { segment } = mo;
      // deliver_sm carries no message id: like Kannel, each delivery gets one of its own.
      if (segment) await handOnSegment({ ...mo, segment });
      else await handOn(mo, mo.text, randomUUID());
      return 'accepted';
    } catch (err) {
      // A malformed message stays malformed; anything else (Redis down, the connection limit) may pass later.
      if (err instanceof AppError && err.status === 400) return 'refused';
      return 'retry_later';
    }
  };

  const links =
    smpp.bindMode === 'transceiver'
      ? [new SmppLink(smpp, logger, { onDeliver }, 'transceiver')]
      : [new SmppLink(smpp, logger, { onDeliver }, 'receiver'), new SmppLink(smpp, logger, { onDeliver }, 'transmitter')];
  const link = links[links.length - 1]!;

  const submit = async (job: Job) => {
    const reply = smppSubmitJob.parse(job.data);
    if (job.name !== JOB_NAMES.submitSm || reply.connection !== smpp.connection) {
      throw new UnrecoverableError(`this process binds ${smpp.connection}, not ${reply.connection}`);
    }
    const to = unseal(reply.sealedTo, inbound.config.privacy.msisdnEncryptionKey);
    try {
      await link.submit(submitSmFields({ to, from: smpp.sourceAddress, text: reply.text, coding: reply.coding }));
    } catch (err) {
      if (err instanceof SubmitRefusedError && PERMANENT_SUBMIT_STATUSES.has(err.status)) throw new UnrecoverableError(err.message);
      throw err;
    }
    logger.info({ operatorId: reply.operatorId, channel, coding: reply.coding }, 'reply submitted to the SMSC');
  };
  const replies = new Worker(QUEUES.smppSubmit, submit, {
    ...queueOptions({ connection: deps.workerRedis, prefix: deps.prefix }, QUEUES.smppSubmit),
    concurrency: smpp.window,
    limiter: { max: smpp.throughputPerSecond, duration: 1000 },
  });
  replies.on('failed', (job, err) =>
    logger.warn({ queue: QUEUES.smppSubmit, jobId: job?.id, attempt: job?.attemptsMade, err: { message: err.message } }, 'submit failed'),
  );
  replies.on('error', (err) => logger.error({ queue: QUEUES.smppSubmit, err: { message: err.message } }, 'worker error'));

  for (const session of links) session.start();
  return {
    link,
    links,
    get isBound() {
      return links.every((session) => session.isBound);
    },
    replies,
    close: async () => {
      // Replies still waiting stay queued; those outstanding get their answers before the unbind.
      // Unbound, nothing can be answered: the jobs waiting for the bind fail now and are retried later.
      if (!link.isBound) await link.stop();
      await replies.close();
      for (const session of links) await session.stop();
    },
  };
}
