import { ApiDocument, type OpenApiDocument } from '@srs/http';
import { z } from 'zod';
import { appReportHeaders, appReportSchema } from '../app-api/report-routes';
import { kannelMoHeaders, kannelMoSchema } from '../gateways/kannel/kannel-mo';
import { twilioSmsSchema } from '../gateways/twilio/twilio-routes';
import { webhookSmsSchema } from '../gateways/webhook/webhook-routes';

const inboundResult = z
  .object({
    status: z.enum(['accepted', 'duplicate']).meta({
      description:
        '`accepted`: recorded durably; what it means in the subscriber’s conversation (a report, a sender, STATUS, STOP, a rate limit) is decided behind the queue and answered by SMS. `duplicate`: this message id was acknowledged before',
    }),
  })
  .meta({ id: 'InboundResult' });

const acceptedReport = inboundResult.extend({ id: z.string().meta({ description: 'the report’s id, to look it up' }) }).meta({
  id: 'AcceptedReport',
});

const storedReport = z
  .object({
    id: z.string(),
    reference: z.string().meta({ description: 'the reference the subscriber would be told', example: 'T3XMXHG2' }),
    status: z.enum(['received', 'confirmed_spam', 'not_spam', 'sender_blocked']),
    sender: z.string().nullable(),
    receivedAt: z.iso.datetime(),
    storedAt: z.iso.datetime(),
  })
  .meta({ id: 'StoredReport' });

const queued = (description: string) => ({ description, content: { 'application/json': { schema: inboundResult } } });

const GATEWAY_TEXT: Record<number, string> = {
  400: 'a malformed delivery; `error.field` names the field (the gateway should not retry it)',
  404: 'no connection of this gateway kind is configured',
  429: 'over the connection’s message rate; retry later',
  503: 'Redis is unavailable: nothing was acknowledged, retry (Kannel keeps the message)',
};

/**
 * The intake's OpenAPI 3.1 document: the operators' app API and the gateway
 * webhooks, generated from the zod schemas the routes validate with.
 */
export function openApiDocument(): OpenApiDocument {
  const doc = new ApiDocument({
    title: 'Open Spam Reporting Service: intake',
    description:
      'Where spam reports arrive: from SMS gateways (Kannel, Twilio-style providers, signed JSON webhooks) relaying what subscribers send to the short code, and from operators’ apps. The subscriber’s number becomes a pseudonym at once and is never stored.',
  });
  const apiKey = doc.bearerApiKey(
    'An operator API key with scope `report` (`npm run -s srs -- keys create --operator NAME --scopes report`)',
  );
  const kannelToken = doc.securityScheme('kannelToken', {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The Kannel connection’s shared secret, carried by its get-url / post-url (INTAKE_ROUTES `moToken`).',
  });
  const kannelTokenHeader = doc.securityScheme('kannelTokenHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'X-SRS-Token',
    description: 'The same secret as a header.',
  });
  const twilioSignature = doc.securityScheme('twilioSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Twilio-Signature',
    description: 'HMAC-SHA1 of the URL and the sorted form fields with the connection’s auth token, as Twilio signs webhooks.',
  });
  const webhookSignature = doc.securityScheme('standardWebhookSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      'Standard Webhooks: HMAC-SHA256 with the connection’s secret over `webhook-id.webhook-timestamp.body`; the secret that verifies it names the connection.',
  });
  // A Kannel connection may be authenticated by its smsbox's address alone (allowFrom), with no secret to present.
  const kannelSecurity = [...kannelToken, ...kannelTokenHeader, {}];
  const kannelResponses = {
    202: queued('queued (or recognised as a redelivery); replies go out through sendsms'),
    ...doc.errors([400, 403, 413, 415, 429, 503], {
      ...GATEWAY_TEXT,
      403: 'the token is wrong or missing, or the address may not deliver on this connection',
    }),
  };
  const kannelDescription =
    'Kannel smsbox get-url / post-url target, with `from=%p&to=%P&text=%a&id=%I&smsc=%i&coding=%c&ts=%t` (and `charset=%C`). Configure the sms-service with `max-messages = 0`: the reply goes out through sendsms once the report is stored.';

  doc.operation({
    method: 'get',
    path: '/v1/gateways/kannel/mo',
    operationId: 'receiveKannelMo',
    summary: 'A message from Kannel (get-url)',
    description: kannelDescription,
    security: kannelSecurity,
    request: { query: kannelMoSchema },
    responses: kannelResponses,
  });
  doc.operation({
    method: 'post',
    path: '/v1/gateways/kannel/mo',
    operationId: 'receiveKannelMoPost',
    summary: 'A message from Kannel (post-url)',
    description: `${kannelDescription} With post-url the body is the text (or a form or JSON object of the fields) and the other fields come in the query string or as X-Kannel-* headers.`,
    security: kannelSecurity,
    request: {
      query: kannelMoSchema.partial(),
      headers: kannelMoHeaders,
      body: {
        content: {
          'text/plain': { schema: z.string().meta({ description: 'the message text' }) },
          'application/x-www-form-urlencoded': { schema: kannelMoSchema },
          'application/json': { schema: kannelMoSchema },
        },
      },
    },
    responses: kannelResponses,
  });
  doc.operation({
    method: 'post',
    path: '/v1/gateways/twilio/sms',
    operationId: 'receiveTwilioSms',
    summary: 'A message from a Twilio-style provider',
    description:
      'The form a Twilio-style provider posts for an incoming SMS; other fields are ignored. Answers empty TwiML: the reply goes out through the provider’s REST API after the report is stored.',
    security: twilioSignature,
    request: { body: { content: { 'application/x-www-form-urlencoded': { schema: twilioSmsSchema } } } },
    responses: {
      200: {
        description: 'queued; empty TwiML',
        content: { 'text/xml': { schema: z.string().meta({ example: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' }) } },
      },
      ...doc.errors([400, 403, 404, 413, 429, 503], { ...GATEWAY_TEXT, 403: 'X-Twilio-Signature does not match this request' }),
    },
  });
  doc.operation({
    method: 'post',
    path: '/v1/gateways/webhook/sms',
    operationId: 'receiveWebhookSms',
    summary: 'A message from a gateway’s signed JSON webhook',
    description: 'One SMS to the short code, signed per Standard Webhooks. `id` defaults to the webhook-id header.',
    security: webhookSignature,
    request: {
      headers: z.object({
        'webhook-id': z.string().meta({ description: 'the delivery’s id (the message id when the body has no `id`)' }),
        'webhook-timestamp': z.string().meta({ description: 'Unix seconds; too old or too far ahead is refused' }),
      }),
      body: { content: { 'application/json': { schema: webhookSmsSchema } } },
    },
    responses: {
      202: queued('queued (or recognised as a redelivery)'),
      ...doc.errors([400, 401, 404, 413, 429, 503], {
        ...GATEWAY_TEXT,
        401: 'the signature headers are missing, or the signature does not verify (or its timestamp is too old)',
      }),
    },
  });
  doc.operation({
    method: 'post',
    path: '/v1/reports',
    operationId: 'createReport',
    summary: 'Report spam from an operator’s app',
    description:
      'What a handset’s “Report junk” sends: who reports, who sent the spam, and its text, in one request. Idempotent on `id` (or the Idempotency-Key header). No SMS goes back; the answer carries the id to look the report up. Scope `report`.',
    security: apiKey,
    request: { headers: appReportHeaders, body: { content: { 'application/json': { schema: appReportSchema } } } },
    responses: {
      202: {
        description: 'queued; Location is where to look it up',
        headers: z.object({ Location: z.string().meta({ description: '/v1/reports/{id}' }) }),
        content: { 'application/json': { schema: acceptedReport } },
      },
      ...doc.errors([400, 401, 403, 413, 415, 429, 503], {
        401: 'no valid API key',
        403: 'the key lacks scope `report`, or is not an operator’s',
      }),
    },
  });
  doc.operation({
    method: 'get',
    path: '/v1/reports/{id}',
    operationId: 'getReport',
    summary: 'A report made through the app API',
    description: 'By the id it was made with. Another operator’s report, or one not stored yet, is not found. Scope `report`.',
    security: apiKey,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: { description: 'the report', content: { 'application/json': { schema: storedReport } } },
      ...doc.errors([401, 403, 404, 429], {
        401: 'no valid API key',
        403: 'the key lacks scope `report`',
        404: 'no report with this id for this operator (yet)',
      }),
    },
  });
  return doc.generate();
}
