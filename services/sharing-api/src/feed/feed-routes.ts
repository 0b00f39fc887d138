import type { Config } from '@srs/config';
import { INDICATOR_TYPES } from '@srs/core';
import type { FeedRepository } from '@srs/db';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';
import { sealedIds } from './sealed-ids';
import { serialiseCampaign, serialiseIndicator } from './serialise';

const common = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  category: z.string().max(40).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
};
export const indicatorQuery = z.object({
  ...common,
  type: z
    .string()
    .refine(
      (v) => v.split(',').every((t) => (INDICATOR_TYPES as readonly string[]).includes(t)),
      `comma-separated of ${INDICATOR_TYPES.join(', ')}`,
    )
    .transform((v) => v.split(','))
    .optional(),
  min_confidence: z.coerce.number().min(0).max(1).optional(),
});
export const campaignQuery = z.object(common);

/**
 * GET /v1/indicators and /v1/campaigns: changes in the order the server
 * recorded them. Following `next` sees every change once; at the end of the
 * feed `next` still points past the last change, for polling later.
 */
export function feedRoutes(feed: FeedRepository, config: Pick<Config, 'scoring' | 'sharing'>, auth: RequestHandler[]): Router {
  const router = Router();
  const ids = sealedIds(config.sharing.idKey);

  router.get('/v1/indicators', ...auth, async (req, res) => {
    const q = indicatorQuery.parse(req.query);
    const viewer = req.apiKey?.operatorId ?? undefined;
    const { rows, lastSeq } = await feed.indicators({
      afterSeq: decodeCursor(ids, q.cursor),
      ...(viewer ? { viewer } : {}),
      limit: q.limit,
      ...(q.type ? { types: q.type } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.min_confidence !== undefined ? { minConfidence: q.min_confidence } : {}),
      ...(q.since ? { since: new Date(q.since) } : {}),
    });
    res.json({
      data: rows.map((r) => serialiseIndicator(r, ids)),
      next: encodeCursor(ids, lastSeq),
      has_more: (await feed.indicators({ afterSeq: lastSeq, limit: 1, ...(viewer ? { viewer } : {}) })).lastSeq > lastSeq,
    });
  });

  router.get('/v1/campaigns', ...auth, async (req, res) => {
    const q = campaignQuery.parse(req.query);
    const { rows, lastSeq } = await feed.campaigns({
      afterSeq: decodeCursor(ids, q.cursor),
      limit: q.limit,
      sampleMinReporters: config.scoring.shareTextMinReporters,
      ...(q.category ? { category: q.category } : {}),
      ...(q.since ? { since: new Date(q.since) } : {}),
    });
    res.json({
      data: rows.map((r) => serialiseCampaign(r, ids)),
      next: encodeCursor(ids, lastSeq),
      has_more:
        (await feed.campaigns({ afterSeq: lastSeq, limit: 1, sampleMinReporters: config.scoring.shareTextMinReporters })).lastSeq > lastSeq,
    });
  });
  return router;
}
