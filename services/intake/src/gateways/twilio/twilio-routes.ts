import type { TwilioConnection } from '@srs/config';
import { MSISDN_PATTERN } from '@srs/core';
import { AppError } from '@srs/http';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { handleInbound, type InboundDeps } from '../../conversation/handle-inbound';
import { verifyTwilioSignature } from './twilio-signature';

/** The form Twilio-style providers post for an incoming SMS; other fields are ignored. */
export const twilioSmsSchema = z.object({
  MessageSid: z.string().trim().min(1, 'required: the provider message id').max(200),
  AccountSid: z.string().trim().optional(),
  From: z
    .string({ error: 'required: the subscriber number' })
    .transform((v) => v.replace(/\s/g, ''))
    .pipe(z.string().regex(MSISDN_PATTERN, 'must be a phone number: digits, optionally after +')),
  To: z.string().trim().max(20).optional(),
  Body: z.string().default(''),
});

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * A Twilio-style webhook (`From`, `To`, `Body`, `MessageSid`), authenticated by
 * its X-Twilio-Signature. Answers with empty TwiML: the reply goes out through
 * the provider's REST API from the outbound queue, after the report is stored.
 */
export function twilioRoutes(deps: InboundDeps, maxBodyBytes: number, publicBaseUrl?: string): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: maxBodyBytes, parameterLimit: 200 });
  router.post('/v1/gateways/twilio/sms', form, async (req, res) => {
    const params = stringParams(req.body);
    const connection = authenticate(deps.config.routing.twilio, params, req, publicBaseUrl);
    const sms = twilioSmsSchema.parse(params);
    await handleInbound(deps, {
      channel: { gateway: 'twilio', connection: connection.name },
      operatorId: connection.operator,
      gatewayMessageId: sms.MessageSid,
      from: sms.From,
      to: sms.To ?? null,
      text: sms.Body,
      coding: null,
      smsc: null,
      receivedAt: null,
    });
    res.status(200).type('text/xml').send(EMPTY_TWIML);
  });
  return router;
}

function stringParams(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function authenticate(
  connections: TwilioConnection[],
  params: Record<string, string>,
  req: Request,
  publicBaseUrl?: string,
): TwilioConnection {
  if (connections.length === 0) throw new AppError(404, 'gateway_not_configured', 'no Twilio-style connection is configured');
  const candidates = connections.filter((c) => !params.AccountSid || c.accountSid === params.AccountSid);
  const url = `${publicBaseUrl ?? `${req.protocol}://${req.get('host')}`}${req.originalUrl}`;
  const signature = req.header('x-twilio-signature');
  const match = candidates.find((c) => verifyTwilioSignature(c.authToken, url, params, signature));
  if (!match) throw new AppError(403, 'invalid_signature', 'X-Twilio-Signature does not match this request', 'x-twilio-signature');
  return match;
}
