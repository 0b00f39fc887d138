import { domainToASCII } from 'node:url';
import { INDICATOR_TYPES, SIGHTING_KINDS, SPAM_CATEGORIES, TLP_LEVELS, type IndicatorType } from '@srs/core';
import type { PublishInput } from '@srs/db';
import { z } from 'zod';

/** Canonical form per type, so an operator's indicator and the consortium's own meet on the same value. */
function canonical(type: IndicatorType, raw: string): string | undefined {
  const value = raw.trim();
  switch (type) {
    case 'domain': {
      const host = value.toLowerCase().replace(/\.$/, '');
      return /^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u.test(host) && domainToASCII(host)
        ? host
        : undefined;
    }
    case 'url':
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
      } catch {
        return undefined;
      }
    case 'phone':
    case 'sender_msisdn':
      return /^\+[1-9]\d{6,14}$/.test(value) ? value : undefined;
    case 'email':
      return /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/.test(value) ? value.toLowerCase() : undefined;
    case 'sender_short_code':
      return /^\d{3,8}$/.test(value) ? value : undefined;
    case 'sender_alphanumeric':
      return /^[A-Za-z0-9 ._&-]{1,11}$/.test(value) && /[A-Za-z]/.test(value) ? value.toUpperCase() : undefined;
  }
}

/** POST /v1/indicators: the least a client sends is type, value, category and tlp. */
export const publishIndicatorBody = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    type: z.enum(INDICATOR_TYPES),
    value: z.string().min(1).max(2048),
    category: z.enum(SPAM_CATEGORIES),
    tlp: z.enum(TLP_LEVELS),
    confidence: z.number().min(0).max(1).default(0.8),
    description: z.string().max(1000).optional(),
    valid_until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .transform((body, ctx) => {
    const value = canonical(body.type, body.value);
    if (!value) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `not a valid ${body.type}` });
      return z.NEVER;
    }
    return { ...body, value };
  });
export type PublishIndicatorBody = z.infer<typeof publishIndicatorBody>;

/** What the repository stores for an indicator an operator publishes, from /v1 or from TAXII. */
export function toPublishInput(operatorId: string, clientId: string, body: PublishIndicatorBody): PublishInput {
  return {
    operatorId,
    clientId,
    type: body.type,
    value: body.value,
    category: body.category,
    tlp: body.tlp,
    confidence: body.confidence,
    description: body.description ?? null,
    validUntil: body.valid_until ? new Date(body.valid_until) : null,
  };
}

/** The most characters of a sighting's note. */
export const SIGHTING_NOTE_MAX = 500;

/** POST /v1/sightings. */
export const sightingBody = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('your own id for the sighting (sending it again records nothing new); by default the server makes one and answers it'),
    indicator_id: z.string().trim().min(1).max(64).describe('an indicator id from the feed, e.g. c_3kQ… or p_Zr1…'),
    kind: z.enum(SIGHTING_KINDS),
    // STIX caps a sighting's count here, and TAXII serves it as sent.
    count: z.number().int().min(1).max(999_999_999).default(1),
    observed_at: z.iso.datetime({ offset: true }).optional(),
    note: z
      .string()
      .trim()
      .max(SIGHTING_NOTE_MAX)
      .optional()
      .describe('your own words on it, for you alone (never shared with other operators); trimmed, an empty one is none'),
  })
  .strict();
