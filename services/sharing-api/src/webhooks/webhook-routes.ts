import { randomBytes } from 'node:crypto';
import type { WebhookSubscriptionRow } from '@srs/db';
import { AppError, jsonBody } from '@srs/http';
import { Router, type Request, type RequestHandler } from 'express';
import { decodeCursor, encodeCursor } from '../feed/cursor';
import { generateSecret } from './signing';
import type { RunningWebhooks } from './start-webhooks';
import { checkTargetUrl } from './target-guard';
import { createWebhookBody, deliveriesQuery, rotateSecretBody, updateWebhookBody } from './webhook-requests';
import { deliveryJson, subscriptionJson } from './webhook-json';

export interface WebhookRoutesDeps {
  webhooks: Pick<RunningWebhooks, 'repository' | 'budget' | 'options' | 'ids'>;
  /** `read` lists subscriptions and deliveries; `admin` creates, changes, deletes, rotates and replays */
  auth: { read: RequestHandler | RequestHandler[]; admin: RequestHandler | RequestHandler[] };
}

const SUBSCRIPTION_ID = /^wh_[0-9a-f]{20}$/;
/** the position part: sealed, 32 hex digits (a number in deliveries made before positions were sealed) */
const DELIVERY_ID = /^msg_[0-9a-f]{20}_([0-9a-f]{32}|\d{1,19})$/;

function operatorOf(req: Request): string {
  const operatorId = req.apiKey?.operatorId;
  if (!operatorId)
    throw new AppError(403, 'not_an_operator', 'webhooks belong to operators; this key is not an operator key', 'authorization');
  return operatorId;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/**
 * /v1/webhooks: an operator's subscriptions, their deliveries and secrets.
 * Every lookup is by the key's operator, so another operator's ids answer
 * 404 exactly like ids that do not exist.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const { repository, budget, options, ids } = deps.webhooks;
  const read = [deps.auth.read].flat();
  const admin = [deps.auth.admin].flat();
  const json = jsonBody({ limit: '16kb' });
  const router = Router();

  async function owned(req: Request): Promise<WebhookSubscriptionRow> {
    const operatorId = operatorOf(req);
    const id = param(req, 'id');
    const subscription = SUBSCRIPTION_ID.test(id) ? await repository.find(operatorId, id) : undefined;
    if (!subscription) throw AppError.notFound('no such webhook');
    return subscription;
  }

  async function present(subscription: WebhookSubscriptionRow) {
    const [secrets, latest] = await Promise.all([
      repository.activeSecrets([subscription.id]),
      repository.latestDeliveries([subscription.id]),
    ]);
    return subscriptionJson(ids, subscription, secrets.get(subscription.id) ?? [], latest.get(subscription.id));
  }

  router.post('/v1/webhooks', ...admin, ...json, async (req, res) => {
    const operatorId = operatorOf(req);
    const body = createWebhookBody.parse(req.body ?? {});
    const url = await checkTargetUrl(body.url, options.allowPrivateTargets);
    if ((await repository.countForOperator(operatorId)) >= options.maxSubscriptionsPerOperator) {
      throw new AppError(
        409,
        'too_many_webhooks',
        `an operator may have ${options.maxSubscriptionsPerOperator} webhooks; delete one first`,
      );
    }
    const secret = generateSecret();
    const subscription = await repository.create({
      id: `wh_${randomBytes(10).toString('hex')}`,
      operatorId,
      url: url.toString(),
      description: body.description,
      events: body.events,
      indicatorTypes: body.filter.indicator_types ?? null,
      categories: body.filter.categories ?? null,
      minConfidence: body.filter.min_confidence ?? null,
      secret,
    });
    // The secret is shown this once: the operator stores it to verify signatures.
    res
      .status(201)
      .location(`/v1/webhooks/${subscription.id}`)
      .json({ ...(await present(subscription)), secret });
  });

  router.get('/v1/webhooks', ...read, async (req, res) => {
    const subscriptions = await repository.list(operatorOf(req));
    const subscriptionIds = subscriptions.map((s) => s.id);
    const [secrets, latest] = await Promise.all([repository.activeSecrets(subscriptionIds), repository.latestDeliveries(subscriptionIds)]);
    res.json({ data: subscriptions.map((s) => subscriptionJson(ids, s, secrets.get(s.id) ?? [], latest.get(s.id))) });
  });

  router.get('/v1/webhooks/:id', ...read, async (req, res) => {
    res.json(await present(await owned(req)));
  });

  router.patch('/v1/webhooks/:id', ...admin, ...json, async (req, res) => {
    const subscription = await owned(req);
    const body = updateWebhookBody.parse(req.body ?? {});
    const url = body.url === undefined ? undefined : await checkTargetUrl(body.url, options.allowPrivateTargets);
    const updated = await repository.update(subscription.operatorId, subscription.id, {
      ...(url ? { url: url.toString() } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.events ? { events: body.events } : {}),
      ...(body.filter
        ? {
            indicatorTypes: body.filter.indicator_types ?? null,
            categories: body.filter.categories ?? null,
            minConfidence: body.filter.min_confidence ?? null,
          }
        : {}),
      ...(body.status ? { status: body.status } : {}),
    });
    if (!updated) throw AppError.notFound('no such webhook');
    res.json(await present(updated));
  });

  router.delete('/v1/webhooks/:id', ...admin, async (req, res) => {
    const subscription = await owned(req);
    await repository.remove(subscription.operatorId, subscription.id);
    res.status(204).end();
  });

  router.post('/v1/webhooks/:id/secrets', ...admin, ...json, async (req, res) => {
    const subscription = await owned(req);
    const body = rotateSecretBody.parse(req.body ?? {});
    const secret = body.secret ?? generateSecret();
    const rotated = await repository.rotateSecret(
      subscription.operatorId,
      subscription.id,
      secret,
      body.previous_expires_in ?? options.secretOverlapSeconds,
    );
    if (!rotated) throw AppError.notFound('no such webhook');
    res
      .status(201)
      .json({ id: rotated.secret.id, secret, created_at: rotated.secret.createdAt, previous_expire_at: rotated.previousExpireAt });
  });

  router.get('/v1/webhooks/:id/deliveries', ...read, async (req, res) => {
    const subscription = await owned(req);
    const q = deliveriesQuery.parse(req.query);
    const before = q.cursor ? decodeCursor(ids, q.cursor) : undefined;
    const deliveries = await repository.deliveries(subscription.id, {
      limit: q.limit,
      ...(before !== undefined ? { beforeSeq: before } : {}),
      ...(q.status ? { status: q.status } : {}),
    });
    const last = deliveries[deliveries.length - 1];
    res.json({
      data: deliveries.map((d) => deliveryJson(ids, d)),
      next: deliveries.length === q.limit && last ? encodeCursor(ids, BigInt(last.seq)) : null,
    });
  });

  router.get('/v1/webhooks/:id/deliveries/:deliveryId', ...read, async (req, res) => {
    const subscription = await owned(req);
    const deliveryId = param(req, 'deliveryId');
    const delivery = DELIVERY_ID.test(deliveryId) ? await repository.findDelivery(subscription.id, deliveryId) : undefined;
    if (!delivery) throw AppError.notFound('no such delivery');
    res.json(deliveryJson(ids, delivery));
  });

  router.post('/v1/webhooks/:id/deliveries/:deliveryId/replay', ...admin, async (req, res) => {
    const subscription = await owned(req);
    if (subscription.status !== 'active')
      throw new AppError(409, 'webhook_disabled', 'the webhook is disabled; set its status to active first', 'status');
    const deliveryId = param(req, 'deliveryId');
    const replayed = DELIVERY_ID.test(deliveryId) ? await repository.replay(subscription.id, deliveryId) : undefined;
    if (!replayed) throw AppError.notFound('no such delivery');
    // Through the operator's budget like any other delivery, so replaying cannot crowd the queue either.
    await budget.release(subscription.operatorId);
    const delivery = await repository.findDelivery(subscription.id, deliveryId);
    if (!delivery) throw AppError.notFound('no such delivery');
    res.status(202).json(deliveryJson(ids, delivery));
  });

  return router;
}
