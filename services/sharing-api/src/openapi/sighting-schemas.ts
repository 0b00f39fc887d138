import { INDICATOR_STATUSES, INDICATOR_TYPES, SIGHTING_KINDS } from '@srs/core';
import { z } from 'zod';

/** The shapes of /v1/sightings, for the OpenAPI document (publish/sighting-routes.ts and sighting-json.ts make them). */
const status = z.enum(INDICATOR_STATUSES);
const sightingId = z.string().meta({
  description: 'your own id for the sighting: the one you sent, or the one the server made; what DELETE /v1/sightings/{id} takes',
  example: 'fw-2025-03-01-0042',
});
const note = z.string().nullable().meta({ description: 'your note (at most 500 characters), for you alone; null: none' });
const revokedAt = z.iso.datetime().nullable().meta({ description: 'when you took it back; null while it stands' });

export const sightingResult = z
  .object({
    id: sightingId,
    indicator_id: z.string(),
    recorded: z.boolean().meta({ description: 'false: a sighting with this id was already recorded, and is answered as it was' }),
    indicator_status: status,
    note,
    revoked_at: revokedAt,
  })
  .meta({ id: 'SightingResult' });

export const sightingHistoryItem = z
  .object({
    id: sightingId,
    indicator_id: z.string().meta({ description: 'the indicator’s id in the feed (opaque)', example: 'c_tXbVY2i3Od1tZb5X0GLc8w' }),
    type: z.enum(INDICATOR_TYPES).meta({ description: 'the indicator’s type' }),
    value: z.string().meta({ description: 'the indicator’s value', example: 'usps-redelivery.top' }),
    kind: z.enum(SIGHTING_KINDS),
    count: z.number().int(),
    note,
    observed_at: z.iso.datetime(),
    created_at: z.iso.datetime().meta({ description: 'when the server recorded it' }),
    revoked_at: revokedAt,
    status: status.meta({ description: 'the indicator’s status now' }),
  })
  .meta({ id: 'SightingHistoryItem' });

export const sightingHistory = z
  .object({
    data: z.array(sightingHistoryItem).meta({ description: 'newest first, taken-back ones included' }),
    next: z.string().nullable().meta({ description: 'opaque: pass it as `cursor` for the next page; null on the last page' }),
    has_more: z.boolean().meta({ description: 'older sightings follow: `next` gives them' }),
  })
  .meta({ id: 'SightingHistory' });
