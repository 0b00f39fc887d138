import { randomUUID } from 'node:crypto';
import { MSISDN_PATTERN, parseSender } from '@srs/core';
import type { ApiKeysRepository, ReportsRepository } from '@srs/db';
import { AppError, jsonBody, keyUsage, requireApiKey } from '@srs/http';
import { Router } from 'express';
import { z } from 'zod';
import { handleInbound, type InboundDeps } from '../conversation/handle-inbound';
import { operatorProfile } from '@srs/config';

/** What a handset's "Report junk" sends: who reports, who sent the spam, and its text, in one request. */
export const appReportSchema = z
  .object({
    reporter: z
      .string({ error: 'required: the reporting subscriber number' })
      .transform((v) => v.replace(/[\s().-]/g, ''))
      .pipe(z.string().regex(MSISDN_PATTERN, 'must be a phone number: digits, optionally after +'))
      .meta({
        description: 'the reporting subscriber’s number (turned into a pseudonym at once, never stored)',
        example: '+447700900111',
      }),
    sender: z
      .string({ error: 'required: the number or name the spam came from' })
      .trim()
      .min(1, 'must not be empty')
      .max(40)
      .meta({ description: 'the number, short code or alphanumeric sender ID the spam came from', example: 'PARCELS' }),
    text: z
      .string({ error: 'required: the spam text' })
      .trim()
      .min(1, 'must not be empty')
      .max(20_000)
      .meta({ description: 'the spam text' }),
    id: z.string().trim().min(1).max(200).optional().meta({
      description: 'your id of this report: the request is idempotent on it (default: the Idempotency-Key header, else a new UUID)',
    }),
    receivedAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'when the handset received the spam' }),
  })
  .meta({ id: 'AppReport' });

/** The Idempotency-Key header, when the body carries no `id`. */
export const appReportHeaders = z.object({
  'idempotency-key': z.string().trim().min(1).max(200).optional().meta({ description: 'the report’s id when the body has no `id`' }),
});

/**
 * The app API: an operator's app or handset integration reports spam with an
 * API key (scope `report`). Idempotent on `id` (or the Idempotency-Key
 * header). No SMS goes back; the answer carries the id to look the report up.
 */
export function appReportRoutes(deps: InboundDeps, keys: ApiKeysRepository, reports: ReportsRepository, maxBodyBytes: number): Router {
  const router = Router();
  const auth = requireApiKey(
    (prefix) => keys.findActiveByPrefix(prefix),
    'report',
    keyUsage((id) => keys.markUsed(id)),
  );
  router.post('/v1/reports', auth, ...jsonBody({ limit: maxBodyBytes, strict: true }), async (req, res) => {
    const operatorId = req.apiKey?.operatorId;
    if (!operatorId) throw new AppError(403, 'not_an_operator', 'only operator keys can report', 'authorization');
    const body = appReportSchema.parse(req.body ?? {});
    const profile = operatorProfile(deps.config, operatorId);
    const sender = parseSender(body.sender, profile.country);
    if (!sender) throw AppError.badRequest('invalid_field', 'sender: not a phone number, short code or alphanumeric sender ID', 'sender');
    const id = body.id ?? appReportHeaders.parse(req.headers)['idempotency-key'] ?? randomUUID();
    const result = await handleInbound(deps, {
      channel: { gateway: 'app', connection: `key-${req.apiKey!.prefix}` },
      operatorId,
      gatewayMessageId: id,
      from: body.reporter,
      to: null,
      text: body.text,
      coding: null,
      smsc: null,
      receivedAt: body.receivedAt ? new Date(body.receivedAt) : null,
      replies: false,
      sender,
    });
    res
      .status(202)
      .location(`/v1/reports/${encodeURIComponent(id)}`)
      .json({ ...result, id });
  });

  router.get('/v1/reports/:id', auth, async (req, res) => {
    const operatorId = req.apiKey?.operatorId;
    const row = operatorId ? await reports.findByKey({ operatorId, gateway: 'app', gatewayMessageId: String(req.params.id) }) : undefined;
    // Another operator's report, or one not stored yet, is simply not found.
    if (!row) throw AppError.notFound('no report with this id for this operator (yet)');
    res.json({
      id: row.gatewayMessageId,
      reference: row.reference,
      status: row.status,
      sender: row.senderValue,
      receivedAt: row.receivedAt,
      storedAt: row.storedAt,
    });
  });
  return router;
}
