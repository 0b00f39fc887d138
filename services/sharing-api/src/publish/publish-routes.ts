import { randomUUID } from 'node:crypto';
import type { Config } from '@srs/config';
import { feedbackFrom, isPublishable, scoreIndicator } from '@srs/core';
import { StixIdTakenError, type PublishedRow, type SharingRepository } from '@srs/db';
import { AppError, jsonBody } from '@srs/http';
import { Router, type RequestHandler } from 'express';
import { encodeCursor } from '../feed/cursor';
import { sealedIds, type SealedIds } from '../feed/sealed-ids';
import { publishIndicatorBody, sightingBody, toPublishInput } from './indicator-input';

export interface PublishRouteAuth {
  publish: RequestHandler[];
  feedback: RequestHandler[];
}

/**
 * An operator's own indicators (POST /v1/indicators, idempotent on its id for
 * each) and sightings (POST /v1/sightings). TLP:RED stays with the publisher.
 */
export function publishRoutes(sharing: SharingRepository, config: Pick<Config, 'scoring' | 'sharing'>, auth: PublishRouteAuth): Router {
  const router = Router();
  const ids = sealedIds(config.sharing.idKey);
  const json = jsonBody({ limit: '32kb', strict: true });

  router.post('/v1/indicators', ...auth.publish, ...json, async (req, res) => {
    const operatorId = req.apiKey!.operatorId!;
    const body = publishIndicatorBody.parse(req.body ?? {});
    const { row, created } = await sharing
      .publish(toPublishInput(operatorId, body.id ?? `${body.type}:${body.value}`, body))
      .catch((err: unknown) => {
        if (err instanceof StixIdTakenError)
          throw new AppError(
            409,
            'id_taken',
            `${err.stixId} is already the STIX id of another operator's or the consortium's indicator; choose another id`,
            'id',
          );
        throw err;
      });
    res.status(created ? 201 : 200).json(published(ids, row));
  });

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
      },
      (target, tally) => {
        const next = feedbackFrom(target.status, tally);
        if (target.publisher !== null) return next;
        const score = scoreIndicator(
          {
            reporters: target.reporters,
            operators: target.operators,
            confidence: target.maxConfidence,
            lastSeen: target.lastSeen,
            feedback: next.feedback,
          },
          config.scoring,
          now,
        );
        return {
          ...next,
          score,
          publishable: isPublishable(
            { score, reporters: target.reporters, allowlisted: target.allowlisted, status: next.status },
            config.scoring,
          ),
        };
      },
    );
    if (!result.target) throw new AppError(404, 'not_found', 'no indicator with this id in your feed', 'indicator_id');
    res
      .status(result.recorded ? 201 : 200)
      .json({ indicator_id: body.indicator_id, recorded: result.recorded, indicator_status: result.status });
  });
  return router;
}

function published(ids: SealedIds, row: PublishedRow) {
  return {
    id: ids.indicatorId(`p${row.id}`),
    client_id: row.clientId,
    source: row.operatorId,
    type: row.type,
    value: row.value,
    category: row.category,
    tlp: row.tlp,
    confidence: row.confidence,
    ...(row.description ? { description: row.description } : {}),
    ...(row.validUntil ? { valid_until: row.validUntil } : {}),
    status: row.status,
    seq: encodeCursor(ids, BigInt(row.seq)),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
