import { MSISDN_PATTERN } from '@srs/core';
import type { WebhookConnection } from '@srs/config';
import { AppError } from '@srs/http';
import express, { Router } from 'express';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { handleInbound, type InboundDeps } from '../../conversation/handle-inbound';

/** The generic JSON delivery: one SMS to the short code. `id` defaults to the webhook-id header. */
export const webhookSmsSchema = z.object({
  from: z
    .string({ error: 'required: the subscriber number' })
    .transform((v) => v.replace(/\s/g, ''))
    .pipe(z.string().regex(MSISDN_PATTERN, 'must be a phone number: digits, optionally after +')),
  to: z.string().trim().max(20).optional(),
  text: z.string({ error: 'required: the message text (may be empty)' }),
  id: z.string().trim().min(1).max(200).optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  coding: z.enum(['gsm7', 'ucs2']).optional(),
});

/**
 * A generic JSON webhook for aggregators, signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`, HMAC-SHA256 over
 * the raw body); the secret that verifies it tells which connection sent it.
 */
export function webhookRoutes(deps: InboundDeps, maxBodyBytes: number): Router {
  const router = Router();
  const verifiers = deps.config.routing.webhooks.map((c) => ({ connection: c, webhook: new Webhook(c.secret) }));
  const raw = express.raw({ type: () => true, limit: maxBodyBytes });
  router.post('/v1/gateways/webhook/sms', raw, async (req, res) => {
    if (verifiers.length === 0) throw new AppError(404, 'gateway_not_configured', 'no webhook connection is configured');
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const headers = {
      'webhook-id': req.header('webhook-id') ?? '',
      'webhook-timestamp': req.header('webhook-timestamp') ?? '',
      'webhook-signature': req.header('webhook-signature') ?? '',
    };
    const { connection, payload } = verify(verifiers, body, headers);
    const sms = webhookSmsSchema.parse(payload);
    const result = await handleInbound(deps, {
      channel: { gateway: 'webhook', connection: connection.name },
      operatorId: connection.operator,
      gatewayMessageId: sms.id ?? headers['webhook-id'],
      from: sms.from,
      to: sms.to ?? null,
      text: sms.text,
      coding: sms.coding ?? null,
      smsc: null,
      receivedAt: sms.receivedAt ? new Date(sms.receivedAt) : null,
    });
    res.status(202).json(result);
  });
  return router;
}

function verify(
  verifiers: Array<{ connection: WebhookConnection; webhook: Webhook }>,
  body: string,
  headers: Record<string, string>,
): { connection: WebhookConnection; payload: unknown } {
  if (!headers['webhook-id'] || !headers['webhook-signature'] || !headers['webhook-timestamp']) {
    throw new AppError(401, 'invalid_signature', 'webhook-id, webhook-timestamp and webhook-signature are required', 'webhook-signature');
  }
  for (const { connection, webhook } of verifiers) {
    try {
      return { connection, payload: webhook.verify(body, headers) };
    } catch {
      // not this connection's secret (or not valid at all): try the next
    }
  }
  throw new AppError(401, 'invalid_signature', 'the webhook signature does not verify (or its timestamp is too old)', 'webhook-signature');
}
