import { randomUUID } from 'node:crypto';
import type { Config } from '@srs/config';
import type { SharingRepository } from '@srs/db';
import { AppError, jsonBody } from '@srs/http';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { sealedIds, type SealedIds } from '../feed/sealed-ids';
import { decideFeedback } from './feedback-decision';
import { sightingBody } from './indicator-input';
import { sightingJson } from './sighting-json';

export interface SightingRouteAuth {
  /** records and takes back sightings */
  feedback: RequestHandler[];
  /**
   * lists the operator's own. Reading, like every list here (webhooks: `read`
   * lists, `admin` changes): a portal signed in with a read-only key shows the
   * history without the buttons, and a firewall's key that only sends
   * sightings needs no more than `feedback`. The history holds nothing beyond
   * the key's own operator's.
   */
  read: RequestHandler[];
}

/** GET /v1/sightings. */
export const sightingsQuery = z.object({
  cursor: z.string().max(200).optional().describe('`next` of the page before'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  indicator_id: z.string().trim().min(1).max(64).optional().describe('only the sightings of this indicator (its id in the feed)'),
});

/** DELETE /v1/sightings/{id}: your id for the sighting, as you sent it or as POST answered it. */
export const sightingParams = z.object({ id: z.string().min(1).max(200) });

const NOT_YOURS = 'you have no sighting with this id';

/**
 * An operator's feedback: POST /v1/sightings records a sighting (idempotent on
 * its id), DELETE /v1/sightings/{id} takes one back, GET /v1/sightings lists
 * the operator's own, newest first. Every look-up is by the key's operator, so
 * another operator's sighting answers 404 exactly like one that does not exist.
 */
export function sightingRoutes(sharing: SharingRepository, config: Pick<Config, 'scoring' | 'sharing'>, auth: SightingRouteAuth): Router {
  const router = Router();
  const ids = sealedIds(config.sharing.idKey);
  const json = jsonBody({ limit: '32kb', strict: true });

  router.post('/v1/sightings', ...auth.feedback, ...json, async (req, res) => {
    const operatorId = req.apiKey!.operatorId!;
    const body = sightingBody.parse(req.body ?? {});
    const now = new Date();
    // Only the sealed ids the feed gives out: the bare numbers would let anyone probe which exist.
    const indicatorId = ids.feedIdOf(body.indicator_id);
    if (!indicatorId) throw new AppError(404, 'not_found', 'no indicator with this id in your feed', 'indicator_id');
    const result = await sharing.recordSighting(
      {
        operatorId,
        clientId: body.id ?? randomUUID(),
        indicatorId,
        kind: body.kind,
        count: body.count,
        observedAt: body.observed_at ? new Date(body.observed_at) : now,
        note: body.note || null,
      },
      decideFeedback(config.scoring, now),
    );
    if (!result.target || !result.sighting) throw new AppError(404, 'not_found', 'no indicator with this id in your feed', 'indicator_id');
    res.status(result.recorded ? 201 : 200).json({
      id: result.sighting.clientId,
      indicator_id: body.indicator_id,
      recorded: result.recorded,
      indicator_status: result.status,
      note: result.sighting.note,
      revoked_at: result.sighting.revokedAt,
    });
  });

  router.delete('/v1/sightings/:id', ...auth.feedback, async (req, res) => {
    const { id } = parseParams(req);
    const row = await sharing.revokeSighting(req.apiKey!.operatorId!, id, decideFeedback(config.scoring, new Date()));
    if (!row) throw new AppError(404, 'not_found', NOT_YOURS, 'id');
    res.json(sightingJson(ids, row));
  });

  router.get('/v1/sightings', ...auth.read, async (req, res) => {
    const q = sightingsQuery.parse(req.query);
    const before = q.cursor ? openCursor(ids, q.cursor) : undefined;
    const indicatorId = q.indicator_id === undefined ? undefined : ids.feedIdOf(q.indicator_id);
    if (q.indicator_id !== undefined && !indicatorId)
      throw AppError.badRequest('invalid_field', 'indicator_id: not an indicator id this feed gave out', 'indicator_id');
    // One more than the page: whether another follows is known, not guessed from a full page.
    const rows = await sharing.sightingHistory(req.apiKey!.operatorId!, {
      limit: q.limit + 1,
      ...(before !== undefined ? { beforeRowId: before } : {}),
      ...(indicatorId ? { indicatorId } : {}),
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > q.limit && last !== undefined;
    res.json({
      data: page.map((row) => sightingJson(ids, row)),
      next: hasMore ? ids.seal('sightings', BigInt(last.rowId)) : null,
      has_more: hasMore,
    });
  });
  return router;
}

function parseParams(req: Request): z.infer<typeof sightingParams> {
  const parsed = sightingParams.safeParse(req.params);
  if (!parsed.success) throw new AppError(404, 'not_found', NOT_YOURS, 'id');
  return parsed.data;
}

function openCursor(ids: SealedIds, cursor: string): bigint {
  const rowId = ids.open('sightings', cursor);
  if (rowId === undefined) throw AppError.badRequest('invalid_cursor', 'cursor: not a cursor this list gave out', 'cursor');
  return rowId;
}
