import type { Pool } from '../pool';
import { inTransaction } from '../transaction';

export type WebhookEventType = 'indicator.changed' | 'campaign.changed';
export type WebhookSubscriptionStatus = 'active' | 'disabled';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookSubscriptionRow {
  id: string;
  operatorId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  indicatorTypes: string[] | null;
  categories: string[] | null;
  minConfidence: number | null;
  status: WebhookSubscriptionStatus;
  disabledReason: string | null;
  /** change_seq up to which changes have been matched (bigint as text) */
  position: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWebhookSubscription {
  id: string;
  operatorId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  indicatorTypes: string[] | null;
  categories: string[] | null;
  minConfidence: number | null;
  secret: string;
}

export type WebhookSubscriptionPatch = Partial<
  Pick<NewWebhookSubscription, 'url' | 'description' | 'events' | 'indicatorTypes' | 'categories' | 'minConfidence'> & {
    status: WebhookSubscriptionStatus;
  }
>;

export interface WebhookSecretRow {
  id: string;
  secret: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface WebhookAttemptRow {
  id: string;
  deliveryId: string;
  generation: number;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

export interface WebhookDeliveryRow {
  id: string;
  subscriptionId: string;
  seq: string;
  eventType: WebhookEventType;
  payload: string;
  status: WebhookDeliveryStatus;
  generation: number;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface NewWebhookDelivery {
  id: string;
  seq: bigint;
  eventType: WebhookEventType;
  payload: string;
}

/** What a job needs to make one attempt: the message, where it goes, and every secret that signs it. */
export interface WebhookDeliveryTarget {
  delivery: WebhookDeliveryRow;
  subscription: WebhookSubscriptionRow;
  secrets: string[];
}

export interface WebhookAttemptRecord {
  deliveryId: string;
  generation: number;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  /** the delivery's state after this attempt */
  status: WebhookDeliveryStatus;
  /** disables the subscription, with this reason (the receiver answered 410 Gone) */
  disableSubscription?: string;
}

export interface QueuedDelivery {
  id: string;
  generation: number;
}

/** How many deliveries may be in the queue at once (queued, running or waiting to retry). */
export interface DeliveryLimits {
  perSubscription: number;
  perOperator: number;
}

/** One active subscription's deliveries not yet delivered or given up. */
export interface SubscriptionBacklog {
  subscriptionId: string;
  operatorId: string;
  /** pending deliveries, in the queue or waiting for a place in it */
  backlog: number;
  /** since the oldest of them was recorded or replayed; 0 without any */
  oldestUndeliveredSeconds: number;
}

/** Two-key advisory locks (a key space apart from FEED_WRITE_LOCK's single key): this class, then the operator. */
const BUDGET_LOCK_CLASS = 7726_0002;

const SUBSCRIPTION = `id, operator_id AS "operatorId", url, description, events, indicator_types AS "indicatorTypes", categories,
  min_confidence AS "minConfidence", status, disabled_reason AS "disabledReason", position::text AS position,
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const DELIVERY = `id, subscription_id AS "subscriptionId", seq::text AS seq, event_type AS "eventType", payload, status, generation,
  attempt_count AS "attemptCount", last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", updated_at AS "updatedAt", delivered_at AS "deliveredAt"`;
const ATTEMPT = `id::text AS id, delivery_id AS "deliveryId", generation, attempt, started_at AS "startedAt", duration_ms AS "durationMs",
  status_code AS "statusCode", error, response_body AS "responseBody"`;
const ACTIVE_SECRET = '(expires_at IS NULL OR expires_at > now())';
const CHANGE_HEAD = `SELECT greatest((SELECT max(seq) FROM indicators), (SELECT max(seq) FROM campaigns),
                                     (SELECT max(seq) FROM published_indicators), 0)::text AS head`;

/**
 * Webhook subscriptions, their secrets, deliveries and attempts. Everything an
 * operator reaches is looked up with its operator id, so another tenant's ids
 * are simply not found.
 */
export class WebhooksRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * The newest change any feed reader can see. Every writer takes its sequence
   * values under FEED_WRITE_LOCK and commits before releasing it, so every
   * change at or below this position is committed: a reader that has read up
   * to it has missed nothing.
   */
  async changeHead(): Promise<bigint> {
    const { rows } = await this.pool.query<{ head: string }>(CHANGE_HEAD);
    return BigInt(rows[0]!.head);
  }

  /** A new subscription receives the changes made after it was created. */
  async create(input: NewWebhookSubscription): Promise<WebhookSubscriptionRow> {
    return inTransaction(this.pool, async (client) => {
      const head = BigInt((await client.query<{ head: string }>(CHANGE_HEAD)).rows[0]!.head);
      const { rows } = await client.query<WebhookSubscriptionRow>(
        `INSERT INTO webhook_subscriptions (id, operator_id, url, description, events, indicator_types, categories, min_confidence, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${SUBSCRIPTION}`,
        [
          input.id,
          input.operatorId,
          input.url,
          input.description,
          input.events,
          input.indicatorTypes,
          input.categories,
          input.minConfidence,
          head.toString(),
        ],
      );
      await client.query('INSERT INTO webhook_secrets (subscription_id, secret) VALUES ($1, $2)', [input.id, input.secret]);
      return rows[0]!;
    });
  }

  async countForOperator(operatorId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE operator_id = $1', [
      operatorId,
    ]);
    return rows[0]!.n;
  }

  async list(operatorId: string): Promise<WebhookSubscriptionRow[]> {
    const { rows } = await this.pool.query<WebhookSubscriptionRow>(
      `SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE operator_id = $1 ORDER BY created_at, id`,
      [operatorId],
    );
    return rows;
  }

  async find(operatorId: string, id: string): Promise<WebhookSubscriptionRow | undefined> {
    const { rows } = await this.pool.query<WebhookSubscriptionRow>(
      `SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE operator_id = $1 AND id = $2`,
      [operatorId, id],
    );
    return rows[0];
  }

  /** Secrets that still sign, newest first (values included: callers decide what to show). */
  async activeSecrets(subscriptionIds: string[]): Promise<Map<string, WebhookSecretRow[]>> {
    const { rows } = await this.pool.query<WebhookSecretRow & { subscriptionId: string }>(
      `SELECT id::text AS id, subscription_id AS "subscriptionId", secret, created_at AS "createdAt", expires_at AS "expiresAt"
         FROM webhook_secrets WHERE subscription_id = ANY($1) AND ${ACTIVE_SECRET}
        ORDER BY created_at DESC, webhook_secrets.id DESC`,
      [subscriptionIds],
    );
    const bySubscription = new Map<string, WebhookSecretRow[]>(subscriptionIds.map((id) => [id, []]));
    for (const { subscriptionId, ...secret } of rows) bySubscription.get(subscriptionId)?.push(secret);
    return bySubscription;
  }

  /** Re-enabling clears the reason it was disabled; disabling by hand records that it was by hand. */
  async update(operatorId: string, id: string, patch: WebhookSubscriptionPatch): Promise<WebhookSubscriptionRow | undefined> {
    const has = (key: keyof WebhookSubscriptionPatch) => key in patch;
    const { rows } = await this.pool.query<WebhookSubscriptionRow>(
      `UPDATE webhook_subscriptions SET
         url = CASE WHEN $3 THEN $4 ELSE url END,
         description = CASE WHEN $5 THEN $6 ELSE description END,
         events = CASE WHEN $7 THEN $8::text[] ELSE events END,
         indicator_types = CASE WHEN $9 THEN $10::text[] ELSE indicator_types END,
         categories = CASE WHEN $11 THEN $12::text[] ELSE categories END,
         min_confidence = CASE WHEN $13 THEN $14::real ELSE min_confidence END,
         disabled_reason = CASE WHEN $15 AND $16 = 'active' THEN NULL
                                WHEN $15 AND $16 = 'disabled' AND status = 'active' THEN 'disabled by the operator'
                                ELSE disabled_reason END,
         status = CASE WHEN $15 THEN $16 ELSE status END,
         updated_at = now()
       WHERE operator_id = $1 AND id = $2
       RETURNING ${SUBSCRIPTION}`,
      [
        operatorId,
        id,
        has('url'),
        patch.url ?? null,
        has('description'),
        patch.description ?? null,
        has('events'),
        patch.events ?? null,
        has('indicatorTypes'),
        patch.indicatorTypes ?? null,
        has('categories'),
        patch.categories ?? null,
        has('minConfidence'),
        patch.minConfidence ?? null,
        has('status'),
        patch.status ?? null,
      ],
    );
    return rows[0];
  }

  /** Deletes the subscription with its secrets, deliveries and attempts. */
  async remove(operatorId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM webhook_subscriptions WHERE operator_id = $1 AND id = $2', [operatorId, id]);
    return rowCount === 1;
  }

  /**
   * Adds a signing secret. The secrets signing until now keep signing for
   * `overlapSeconds` (never longer than they already would), then expire.
   */
  async rotateSecret(
    operatorId: string,
    id: string,
    secret: string,
    overlapSeconds: number,
  ): Promise<{ secret: WebhookSecretRow; previousExpireAt: Date | null } | undefined> {
    return inTransaction(this.pool, async (client) => {
      const owned = await client.query('SELECT 1 FROM webhook_subscriptions WHERE operator_id = $1 AND id = $2 FOR UPDATE', [
        operatorId,
        id,
      ]);
      if (owned.rowCount !== 1) return undefined;
      await client.query(`DELETE FROM webhook_secrets WHERE subscription_id = $1 AND NOT ${ACTIVE_SECRET}`, [id]);
      const expired = await client.query<{ expiresAt: Date }>(
        `UPDATE webhook_secrets SET expires_at = LEAST(coalesce(expires_at, 'infinity'), now() + make_interval(secs => $2))
          WHERE subscription_id = $1 AND ${ACTIVE_SECRET}
          RETURNING expires_at AS "expiresAt"`,
        [id, overlapSeconds],
      );
      const { rows } = await client.query<WebhookSecretRow>(
        `INSERT INTO webhook_secrets (subscription_id, secret) VALUES ($1, $2)
         RETURNING id::text AS id, secret, created_at AS "createdAt", expires_at AS "expiresAt"`,
        [id, secret],
      );
      const latest = expired.rows.map((r) => r.expiresAt).sort((a, b) => b.getTime() - a.getTime())[0];
      return { secret: rows[0]!, previousExpireAt: latest ?? null };
    });
  }

  async activeSubscriptions(): Promise<Array<{ id: string; operatorId: string }>> {
    const { rows } = await this.pool.query<{ id: string; operatorId: string }>(
      `SELECT id, operator_id AS "operatorId" FROM webhook_subscriptions WHERE status = 'active' ORDER BY id`,
    );
    return rows;
  }

  /**
   * One dispatch step for one subscription, in one transaction: the row is
   * locked (another dispatcher skips it meanwhile), `work` reads the changes
   * after its position, and the deliveries it returns are recorded with the
   * new position. A delivery already recorded is not recorded twice.
   * Returns the deliveries recorded, or undefined when the subscription is
   * busy, disabled or gone.
   */
  async dispatch(
    id: string,
    work: (subscription: WebhookSubscriptionRow) => Promise<{ deliveries: NewWebhookDelivery[]; position: bigint }>,
  ): Promise<QueuedDelivery[] | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<WebhookSubscriptionRow>(
        `SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE id = $1 AND status = 'active' FOR UPDATE SKIP LOCKED`,
        [id],
      );
      const subscription = rows[0];
      if (!subscription) return undefined;
      const { deliveries, position } = await work(subscription);
      let recorded: QueuedDelivery[] = [];
      if (deliveries.length > 0) {
        const inserted = await client.query<QueuedDelivery>(
          `INSERT INTO webhook_deliveries (id, subscription_id, seq, event_type, payload)
           SELECT d.id, $1, d.seq, d.event_type, d.payload
             FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) AS d (id, seq, event_type, payload)
           ON CONFLICT DO NOTHING
           RETURNING id, generation`,
          [
            id,
            deliveries.map((d) => d.id),
            deliveries.map((d) => d.seq.toString()),
            deliveries.map((d) => d.eventType),
            deliveries.map((d) => d.payload),
          ],
        );
        recorded = inserted.rows;
      }
      if (position > BigInt(subscription.position)) {
        await client.query('UPDATE webhook_subscriptions SET position = $2 WHERE id = $1', [id, position.toString()]);
      }
      return recorded;
    });
  }

  /**
   * Queues an operator's waiting deliveries as far as its budget has room:
   * each subscription's in change order, and a free place to the
   * subscription with the fewest in the queue, so one of its subscriptions
   * cannot take all of the operator's places either. Deliveries in the queue
   * count until they are delivered or given up, retries included. Releases of
   * one operator take turns (advisory lock), so the budget is never
   * overdrawn; `enqueue` puts the jobs in the queue before they are marked,
   * so a failure leaves them waiting, and a job queued twice is one job.
   */
  async release(
    operatorId: string,
    budget: DeliveryLimits,
    enqueue: (deliveries: QueuedDelivery[]) => Promise<void>,
  ): Promise<QueuedDelivery[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [BUDGET_LOCK_CLASS, operatorId]);
      const { rows } = await client.query<QueuedDelivery>(
        `WITH flight AS (
           SELECT s.id, s.status,
                  (SELECT count(*) FROM webhook_deliveries d
                    WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.enqueued_at IS NOT NULL)::int AS n
             FROM webhook_subscriptions s WHERE s.operator_id = $1
         )
         SELECT w.id, w.generation
           FROM flight f
           CROSS JOIN LATERAL (
             SELECT d.id, d.generation, d.seq, row_number() OVER (ORDER BY d.seq) AS rank
               FROM (SELECT id, generation, seq FROM webhook_deliveries
                      WHERE subscription_id = f.id AND status = 'pending' AND enqueued_at IS NULL
                      ORDER BY seq LIMIT $2) d
           ) w
          WHERE f.status = 'active' AND f.n + w.rank <= $2
          ORDER BY f.n + w.rank, w.seq
          LIMIT greatest($3 - (SELECT coalesce(sum(n), 0) FROM flight), 0)`,
        [operatorId, budget.perSubscription, budget.perOperator],
      );
      if (rows.length === 0) return [];
      await enqueue(rows);
      await client.query('UPDATE webhook_deliveries SET enqueued_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
      return rows;
    });
  }

  /** Deliveries holding a place in the budget since before `olderThanMs` ago: the ones to check against the queue. */
  async inFlightSince(olderThanMs: number, limit: number): Promise<QueuedDelivery[]> {
    const { rows } = await this.pool.query<QueuedDelivery>(
      `SELECT id, generation FROM webhook_deliveries
        WHERE status = 'pending' AND enqueued_at IS NOT NULL AND enqueued_at < now() - make_interval(secs => $1)
        ORDER BY enqueued_at LIMIT $2`,
      [olderThanMs / 1000, limit],
    );
    return rows;
  }

  /** A delivery whose job is no longer in the queue (lost with Redis's data) waits for a place again. */
  async requeue(delivery: QueuedDelivery): Promise<void> {
    await this.pool.query(`UPDATE webhook_deliveries SET enqueued_at = NULL WHERE id = $1 AND generation = $2 AND status = 'pending'`, [
      delivery.id,
      delivery.generation,
    ]);
  }

  /** Every active subscription's backlog, with zero for those that have none. */
  async backlog(): Promise<SubscriptionBacklog[]> {
    const { rows } = await this.pool.query<SubscriptionBacklog>(
      `SELECT s.id AS "subscriptionId", s.operator_id AS "operatorId", count(d.pending_since)::int AS backlog,
              coalesce(extract(epoch FROM now() - min(d.pending_since)), 0)::float8 AS "oldestUndeliveredSeconds"
         FROM webhook_subscriptions s
         LEFT JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.status = 'pending'
        WHERE s.status = 'active'
        GROUP BY s.id ORDER BY s.id`,
    );
    return rows;
  }

  /**
   * Each subscription's latest delivery and latest failed one (attempts not
   * included): what its operator's list shows beside it, one query for the
   * whole list.
   */
  async latestDeliveries(subscriptionIds: string[]): Promise<Map<string, { last?: WebhookDeliveryRow; lastFailure?: WebhookDeliveryRow }>> {
    const found = new Map<string, { last?: WebhookDeliveryRow; lastFailure?: WebhookDeliveryRow }>();
    if (subscriptionIds.length === 0) return found;
    const { rows } = await this.pool.query<WebhookDeliveryRow & { failedOnly: boolean }>(
      `SELECT d.*, f.failed_only AS "failedOnly"
         FROM unnest($1::text[]) AS s(id)
         CROSS JOIN (VALUES (false), (true)) AS f(failed_only)
         CROSS JOIN LATERAL (
           SELECT ${DELIVERY} FROM webhook_deliveries
            WHERE subscription_id = s.id AND (NOT f.failed_only OR status = 'failed')
            ORDER BY webhook_deliveries.seq DESC LIMIT 1) d`,
      [subscriptionIds],
    );
    for (const { failedOnly, ...row } of rows) {
      const entry = found.get(row.subscriptionId) ?? {};
      if (failedOnly) entry.lastFailure = row;
      else entry.last = row;
      found.set(row.subscriptionId, entry);
    }
    return found;
  }

  /** Newest first; `beforeSeq` continues a listing. */
  async deliveries(
    subscriptionId: string,
    page: { beforeSeq?: bigint; limit: number; status?: WebhookDeliveryStatus },
  ): Promise<Array<WebhookDeliveryRow & { attempts: WebhookAttemptRow[] }>> {
    const { rows } = await this.pool.query<WebhookDeliveryRow>(
      `SELECT ${DELIVERY} FROM webhook_deliveries
        WHERE subscription_id = $1 AND ($2::bigint IS NULL OR seq < $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY webhook_deliveries.seq DESC LIMIT $4`,
      [subscriptionId, page.beforeSeq?.toString() ?? null, page.status ?? null, page.limit],
    );
    return this.withAttempts(rows);
  }

  async findDelivery(
    subscriptionId: string,
    deliveryId: string,
  ): Promise<(WebhookDeliveryRow & { attempts: WebhookAttemptRow[] }) | undefined> {
    const { rows } = await this.pool.query<WebhookDeliveryRow>(
      `SELECT ${DELIVERY} FROM webhook_deliveries WHERE subscription_id = $1 AND id = $2`,
      [subscriptionId, deliveryId],
    );
    return (await this.withAttempts(rows))[0];
  }

  async deliveryTarget(deliveryId: string): Promise<WebhookDeliveryTarget | undefined> {
    const { rows } = await this.pool.query<WebhookDeliveryRow>(`SELECT ${DELIVERY} FROM webhook_deliveries WHERE id = $1`, [deliveryId]);
    const delivery = rows[0];
    if (!delivery) return undefined;
    const subscription = await this.pool.query<WebhookSubscriptionRow>(`SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE id = $1`, [
      delivery.subscriptionId,
    ]);
    if (!subscription.rows[0]) return undefined;
    const secrets = (await this.activeSecrets([delivery.subscriptionId])).get(delivery.subscriptionId) ?? [];
    return { delivery, subscription: subscription.rows[0], secrets: secrets.map((s) => s.secret) };
  }

  /**
   * Records one attempt and, unless a replay started a newer generation
   * meanwhile, the delivery's state after it. Nothing is recorded for a
   * delivery deleted meanwhile.
   */
  async recordAttempt(record: WebhookAttemptRecord): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const found = await client.query<{ subscriptionId: string }>(
        'SELECT subscription_id AS "subscriptionId" FROM webhook_deliveries WHERE id = $1 FOR UPDATE',
        [record.deliveryId],
      );
      const subscriptionId = found.rows[0]?.subscriptionId;
      if (!subscriptionId) return;
      await client.query(
        `INSERT INTO webhook_attempts (delivery_id, generation, attempt, started_at, duration_ms, status_code, error, response_body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          record.deliveryId,
          record.generation,
          record.attempt,
          record.startedAt,
          record.durationMs,
          record.statusCode,
          record.error,
          record.responseBody,
        ],
      );
      await client.query(
        `UPDATE webhook_deliveries SET status = $3, attempt_count = attempt_count + 1, last_status_code = $4, last_error = $5,
                delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
          WHERE id = $1 AND generation = $2`,
        [record.deliveryId, record.generation, record.status, record.statusCode, record.error],
      );
      if (record.disableSubscription) {
        await client.query(`UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, updated_at = now() WHERE id = $1`, [
          subscriptionId,
          record.disableSubscription,
        ]);
      }
    });
  }

  /** Ends a delivery without an attempt (its subscription was disabled before it ran). */
  async abandon(deliveryId: string, generation: number, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = $3, updated_at = now() WHERE id = $1 AND generation = $2 AND status = 'pending'`,
      [deliveryId, generation, reason],
    );
  }

  /** Starts a new generation of the delivery: pending again, to be queued under a new job when the budget has room. */
  async replay(subscriptionId: string, deliveryId: string): Promise<QueuedDelivery | undefined> {
    const { rows } = await this.pool.query<QueuedDelivery>(
      `UPDATE webhook_deliveries SET status = 'pending', generation = generation + 1, enqueued_at = NULL, pending_since = now(), updated_at = now()
        WHERE subscription_id = $1 AND id = $2
        RETURNING id, generation`,
      [subscriptionId, deliveryId],
    );
    return rows[0];
  }

  private async withAttempts(rows: WebhookDeliveryRow[]): Promise<Array<WebhookDeliveryRow & { attempts: WebhookAttemptRow[] }>> {
    if (rows.length === 0) return [];
    const attempts = await this.pool.query<WebhookAttemptRow>(
      `SELECT ${ATTEMPT} FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY webhook_attempts.id`,
      [rows.map((r) => r.id)],
    );
    const byDelivery = new Map<string, WebhookAttemptRow[]>(rows.map((r) => [r.id, []]));
    for (const attempt of attempts.rows) byDelivery.get(attempt.deliveryId)?.push(attempt);
    return rows.map((r) => ({ ...r, attempts: byDelivery.get(r.id) ?? [] }));
  }
}
