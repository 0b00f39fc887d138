import { ApiDocument, type OpenApiDocument } from '@srs/http';
import { z } from 'zod';
import { campaignQuery, indicatorQuery } from '../feed/feed-routes';
import { publishIndicatorBody, sightingBody } from '../publish/indicator-input';
import { zoneQuery } from '../rpz/rpz-routes';
import { streamQuery } from '../stream/stream-routes';
import { createWebhookBody, deliveriesQuery, rotateSecretBody, updateWebhookBody } from '../webhooks/webhook-requests';
import { campaignParams, lookupQuery } from '../portal/portal-routes';
import { campaignPage, portalSession } from './portal-schemas';
import { createKeyBody } from '../keys/key-requests';
import { apiKey, apiKeyList, newApiKey } from './key-schemas';
import { campaignChange, indicatorChange, lookupResult, page, publishedIndicator, recentCampaigns } from './schemas';
import { sightingParams, sightingsQuery } from '../publish/sighting-routes';
import { sightingHistory, sightingHistoryItem, sightingResult } from './sighting-schemas';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes
 * validate with, so the two cannot drift apart.
 */
export function openApiDocument(): OpenApiDocument {
  const doc = new ApiDocument({
    title: 'Open Spam Reporting Service: operator-sharing API',
    description: 'Attack indicators and campaigns learned from subscribers’ spam reports, shared between the operators of a consortium.',
  });
  const security = doc.bearerApiKey('An operator API key (`npm run -s srs -- keys create --operator NAME --scopes read,publish,feedback`)');
  const errors = (...codes: number[]) => doc.errors(codes, ERROR_TEXT);
  const rateLimited = doc.errors([429], { 429: 'over the key’s rate limit; see Retry-After' });

  doc.operation({
    method: 'get',
    operationId: 'listIndicatorChanges',
    path: '/v1/indicators',
    summary: 'Change feed of shared indicators',
    description:
      'Changes in the order the server recorded them. Follow `next` to see every change exactly once, including score updates, withdrawals and revocations. Scope `read`.',
    security,
    request: { query: indicatorQuery },
    responses: {
      200: { description: 'a page of changes', content: { 'application/json': { schema: page(indicatorChange, 'IndicatorPage') } } },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'listCampaignChanges',
    path: '/v1/campaigns',
    summary: 'Change feed of spam campaigns',
    description: 'Campaign changes in server order; a sample text only once k distinct reporters reported the campaign. Scope `read`.',
    security,
    request: { query: campaignQuery },
    responses: {
      200: { description: 'a page of changes', content: { 'application/json': { schema: page(campaignChange, 'CampaignPage') } } },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'listRecentCampaigns',
    path: '/v1/portal/now',
    summary: 'Campaigns active in the last 24 hours, fastest growing first (the portal’s “Now”)',
    description:
      'The shared campaigns last seen in the last 24 UTC hours, each with its reports per hour and whether your own network reported it; shared as the campaign feed shares them (sample text from k reporters, times to the hour below k). Scope `read`.',
    security,
    responses: {
      200: { description: 'the campaigns', content: { 'application/json': { schema: recentCampaigns } } },
      ...errors(401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'lookUpIndicator',
    path: '/v1/portal/lookup',
    summary: 'Every indicator and campaign a phone number, sender ID, domain or URL appears in (the portal’s look-up)',
    description:
      'The query is read as a sender (a number in any format, in E.164 with your country; a short code; a sender ID) and as links, domains and numbers in a text; a URL also matches its registrable domain. Answers the indicators the feed shows you (TLP:RED only your own; withdrawn ones too, marked) with their feedback counts, and the shared campaigns holding them. 400 (field `q`) for an empty or unreadable query. Scope `read`.',
    security,
    request: { query: lookupQuery },
    responses: {
      200: { description: 'what was found', content: { 'application/json': { schema: lookupResult } } },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'getPortalSession',
    path: '/v1/portal/me',
    summary: 'The operator and the scopes of the key making the request (what the portal offers it)',
    description: 'The key’s operator, and the key’s public prefix and scopes; never the key itself. Scope `read`.',
    security,
    responses: {
      200: { description: 'the session', content: { 'application/json': { schema: portalSession } } },
      ...errors(401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'getCampaignDetail',
    path: '/v1/portal/campaigns/{id}',
    summary: 'One shared campaign: its indicators, its reports over time and related campaigns (the portal’s campaign page)',
    description:
      'A campaign the feed shares, by its STIX id: its verdict and the terms behind it, the indicators the feed has shared with their feedback, its reports per hour or per day (your own network apart, every other operator only as a sum), the shared campaigns it has indicators in common with, and where TAXII serves it. 404 (field `id`) for a campaign the feed does not show. Scope `read`.',
    security,
    request: { params: campaignParams },
    responses: {
      200: { description: 'the campaign', content: { 'application/json': { schema: campaignPage } } },
      ...errors(400, 401, 403, 404),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'post',
    operationId: 'publishIndicator',
    path: '/v1/indicators',
    summary: 'Publish one of your own indicators',
    description:
      'Idempotent on `id` (default: type and value). An `id` that is a STIX indicator id becomes the indicator’s STIX id, and is refused with 409 when another operator’s or the consortium’s indicator already has it. TLP:RED indicators are shown to no other operator. Scope `publish`.',
    security,
    request: { body: { content: { 'application/json': { schema: publishIndicatorBody } } } },
    responses: {
      201: { description: 'published', content: { 'application/json': { schema: publishedIndicator } } },
      200: { description: 'already published (unchanged, or updated)', content: { 'application/json': { schema: publishedIndicator } } },
      ...errors(400, 401, 403, 409),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'post',
    operationId: 'recordSighting',
    path: '/v1/sightings',
    summary: 'Report what you saw of an indicator',
    description:
      '`blocked` (with a count) raises its confidence; `false_positive` lowers it, and revokes it after disputes from two operators or at once from its publisher. An optional `note` (at most 500 characters) is kept for you alone. Idempotent on `id`; the answer gives the `id` (the server makes one when you send none) to take it back with. Scope `feedback`.',
    security,
    request: { body: { content: { 'application/json': { schema: sightingBody } } } },
    responses: {
      201: { description: 'recorded', content: { 'application/json': { schema: sightingResult } } },
      200: { description: 'already recorded', content: { 'application/json': { schema: sightingResult } } },
      ...errors(400, 401, 403, 404),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'listSightings',
    path: '/v1/sightings',
    summary: 'Your own feedback history, newest first',
    description:
      'Your operator’s sightings (never another operator’s), taken-back ones included, each with its indicator’s type, value and status now; `indicator_id` keeps one indicator’s. Follow `next` for older ones. Scope `read`.',
    security,
    request: { query: sightingsQuery },
    responses: {
      200: { description: 'a page of sightings', content: { 'application/json': { schema: sightingHistory } } },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'delete',
    operationId: 'revokeSighting',
    path: '/v1/sightings/{id}',
    summary: 'Take back one of your sightings',
    description:
      'By your id for it. The indicator’s feedback is counted again without it: a revocation that operators’ false positives made is lifted once too few still dispute it (a publisher’s own revocation and an expiry stand), and the indicator reappears in the feed; TAXII serves the sighting as revoked. Taking it back again answers the same. 404 (field `id`) for an id you have no sighting under, another operator’s included. Scope `feedback`.',
    security,
    request: { params: sightingParams },
    responses: {
      200: { description: 'taken back (now or before)', content: { 'application/json': { schema: sightingHistoryItem } } },
      ...errors(401, 403, 404),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'listApiKeys',
    path: '/v1/keys',
    summary: 'Your operator’s API keys',
    description:
      'Every key of your operator, newest first, revoked and expired ones included; `current` marks the key making the request. Never a key’s hash or secret. Scope `admin`.',
    security,
    responses: {
      200: { description: 'the keys', content: { 'application/json': { schema: apiKeyList } } },
      ...errors(401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'post',
    operationId: 'createApiKey',
    path: '/v1/keys',
    summary: 'Make a key for your operator (the key is shown once)',
    description:
      'Scopes `read`, `publish`, `feedback` and `admin`; the intake’s `report` and `attest` and the regulators’ `stats` are refused (400, field `scopes`). The answer, sent with Cache-Control: no-store, is the only place the key appears. 409 `too_many_keys` past 100 active keys. Scope `admin`.',
    security,
    request: { body: { content: { 'application/json': { schema: createKeyBody } } } },
    responses: {
      201: { description: 'made', content: { 'application/json': { schema: newApiKey } } },
      ...errors(400, 401, 403),
      ...doc.errors([409], { 409: 'the operator already holds the most active keys allowed (`too_many_keys`)' }),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'delete',
    operationId: 'revokeApiKey',
    path: '/v1/keys/{id}',
    summary: 'Revoke one of your operator’s keys, at once',
    description:
      'The key stops working with the next request. Revoking a revoked key answers 200 with the time it was first revoked. The key making the request cannot revoke itself (409 `revoking_current_key`): use another admin key, or the CLI. Scope `admin`.',
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: { description: 'revoked', content: { 'application/json': { schema: apiKey } } },
      ...errors(401, 403, 404),
      ...doc.errors([409], { 409: 'the key to revoke is the one making the request (`revoking_current_key`)' }),
      ...rateLimited,
    },
  });
  const id = z.object({ id: z.string() });
  const json = (description: string) => ({ description, content: { 'application/json': { schema: z.object({}).loose() } } });
  const webhookPaths: Array<
    [operationId: string, method: 'get' | 'post' | 'patch' | 'delete', path: string, summary: string, scope: string, extra: object]
  > = [
    [
      'createWebhook',
      'post',
      '/v1/webhooks',
      'Subscribe a URL to changes (the signing secret is shown once)',
      'admin',
      { request: { body: { content: { 'application/json': { schema: createWebhookBody } } } } },
    ],
    ['listWebhooks', 'get', '/v1/webhooks', 'Your subscriptions', 'read', {}],
    ['getWebhook', 'get', '/v1/webhooks/{id}', 'One subscription', 'read', { request: { params: id } }],
    [
      'updateWebhook',
      'patch',
      '/v1/webhooks/{id}',
      'Change a subscription (URL, filter, status)',
      'admin',
      { request: { params: id, body: { content: { 'application/json': { schema: updateWebhookBody } } } } },
    ],
    ['deleteWebhook', 'delete', '/v1/webhooks/{id}', 'Remove a subscription', 'admin', { request: { params: id } }],
    [
      'rotateWebhookSecret',
      'post',
      '/v1/webhooks/{id}/secrets',
      'Rotate the signing secret; the previous ones keep signing for an overlap',
      'admin',
      { request: { params: id, body: { content: { 'application/json': { schema: rotateSecretBody } } } } },
    ],
    [
      'listWebhookDeliveries',
      'get',
      '/v1/webhooks/{id}/deliveries',
      'Deliveries and their attempts, newest first',
      'read',
      { request: { params: id, query: deliveriesQuery } },
    ],
    [
      'getWebhookDelivery',
      'get',
      '/v1/webhooks/{id}/deliveries/{deliveryId}',
      'One delivery with every attempt',
      'read',
      { request: { params: z.object({ id: z.string(), deliveryId: z.string() }) } },
    ],
    [
      'replayWebhookDelivery',
      'post',
      '/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
      'Deliver again, with the same webhook-id',
      'admin',
      { request: { params: z.object({ id: z.string(), deliveryId: z.string() }) } },
    ],
  ];
  for (const [operationId, method, path, summary, scope, extra] of webhookPaths) {
    doc.operation({
      operationId,
      method,
      path,
      summary,
      description: `Deliveries are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Scope \`${scope}\`.`,
      security,
      ...extra,
      responses: { 200: json('the subscription or deliveries'), ...errors(400, 401, 403, 404), ...rateLimited },
    });
  }
  doc.operation({
    method: 'get',
    operationId: 'streamChanges',
    path: '/v1/stream',
    summary: 'Server-Sent Events of every change',
    description: 'Event ids are feed cursors: reconnect with Last-Event-ID (or ?cursor=) to resume where you stopped. Scope `read`.',
    security,
    request: { query: streamQuery },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  const zoneToken = doc.securityScheme('rpzZoneToken', {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description:
      'The DNS firewall zone’s token (GET /v1/rpz/token), for resolvers that fetch by URL and cannot send a header; it opens the zone only',
  });
  doc.operation({
    method: 'get',
    operationId: 'getRpzZone',
    path: '/v1/rpz/zone',
    summary: 'DNS firewall feed: the shared domains as a Response Policy Zone',
    description:
      'A master file for resolvers (`rpz:` with `url:` in Unbound): the domains (and every name under them) and URL hosts the key’s operator sees as shared and active, punycode, `CNAME .` (NXDOMAIN) or a walled garden’s addresses. The SOA serial grows whenever the names change; ETag and If-None-Match answer 304 for an unchanged zone. Scope `read`, by Bearer key or zone token.',
    security: [...security, ...zoneToken],
    request: { query: zoneQuery.omit({ token: true }) },
    responses: {
      200: { description: 'the zone', content: { 'text/dns': { schema: z.string() } } },
      304: { description: 'unchanged since the ETag given in If-None-Match' },
      ...errors(400, 401, 403),
      ...rateLimited,
    },
  });
  doc.operation({
    method: 'get',
    operationId: 'getRpzZoneToken',
    path: '/v1/rpz/token',
    summary: 'The token that opens the DNS firewall zone from a URL alone',
    description: 'Bound to the key that asks: revoking the key ends it. It opens GET /v1/rpz/zone and nothing else. Scope `read`.',
    security,
    responses: {
      200: {
        description: 'the token and the zone’s path with it',
        content: { 'application/json': { schema: z.object({ token: z.string(), path: z.string() }).meta({ id: 'RpzZoneToken' }) } },
      },
      ...errors(401, 403),
      ...rateLimited,
    },
  });
  return doc.generate();
}

const ERROR_TEXT: Record<number, string> = {
  400: 'a parameter or field is invalid; `error.field` names it',
  401: 'no valid operator API key',
  403: 'the key lacks the scope this needs',
  404: 'not found for this operator',
  409: 'the id is already the STIX id of another operator’s or the consortium’s indicator',
};
