import { INDICATOR_TYPES } from '@srs/core';
import { z } from 'zod';
import { EVENT_TYPES } from '../stream/change-reader';
import { SECRET_PATTERN } from './signing';

const eventType = z.enum([EVENT_TYPES.indicator, EVENT_TYPES.campaign]);

/** Which changes a subscription receives; an absent criterion matches everything. */
export const webhookFilter = z
  .object({
    indicator_types: z.array(z.enum(INDICATOR_TYPES)).min(1).max(INDICATOR_TYPES.length).optional(),
    categories: z.array(z.string().min(1).max(40)).min(1).max(20).optional(),
    /** indicators only, as in the feed: withdrawals are always sent */
    min_confidence: z.number().min(0).max(1).optional(),
  })
  .strict();

export const createWebhookBody = z
  .object({
    url: z.string().min(1).max(2000),
    description: z.string().max(200).default(''),
    events: z.array(eventType).min(1).default([EVENT_TYPES.indicator, EVENT_TYPES.campaign]),
    filter: webhookFilter.default({}),
  })
  .strict();

export const updateWebhookBody = z
  .object({
    url: z.string().min(1).max(2000),
    description: z.string().max(200),
    events: z.array(eventType).min(1),
    /** replaces the whole filter; {} matches everything */
    filter: webhookFilter,
    /** `active` re-enables a subscription disabled by hand or by a 410; it resumes where it stopped */
    status: z.enum(['active', 'disabled']),
  })
  .partial()
  .strict();

export const rotateSecretBody = z
  .object({
    /** seconds the current secrets keep signing beside the new one (0: stop at once) */
    previous_expires_in: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .optional(),
    /** bring your own secret instead of a generated one */
    secret: z.string().regex(SECRET_PATTERN, 'whsec_ followed by 24 to 64 bytes in base64').optional(),
  })
  .strict();

export const deliveriesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
});
