import type { Config } from '@srs/config';
import { StixIdTakenError, type PublishedRow, type SharingRepository } from '@srs/db';
import { AppError, jsonBody } from '@srs/http';
import { Router, type RequestHandler } from 'express';
import { encodeCursor } from '../feed/cursor';
import { sealedIds, type SealedIds } from '../feed/sealed-ids';
import { publishIndicatorBody, toPublishInput } from './indicator-input';
import { sightingRoutes, type SightingRouteAuth } from './sighting-routes';

export interface PublishRouteAuth extends SightingRouteAuth {
  publish: RequestHandler[];
}

/**
 * An operator's own indicators (POST /v1/indicators, idempotent on its id for
 * each) and its feedback on any (/v1/sightings, see sightingRoutes). TLP:RED
 * stays with the publisher.
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

  router.use(sightingRoutes(sharing, config, { feedback: auth.feedback, read: auth.read }));
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
