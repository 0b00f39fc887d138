import type { TaxiiPosition } from '@srs/db';
import type { Request } from 'express';
import { z } from 'zod';
import { STIX_ID } from '../stix';
import type { SealedIds } from '../feed/sealed-ids';
import { decodeNext } from './cursor';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** RFC 3339 in UTC, at most microseconds: what PostgreSQL keeps exactly. */
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;
const isTimestamp = (v: string) => TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));

const split = (v: string) => v.split(',').map((s) => s.trim());
/** TAXII lists are comma-separated; a repeated parameter is read as one list too. */
const list = (valid: (item: string) => boolean, what: string) =>
  z
    .string()
    .refine((v) => split(v).length <= 100 && split(v).every(valid), `comma-separated list of ${what}`)
    .transform(split);

const params = z.object({
  added_after: z.string().refine(isTimestamp, 'a UTC timestamp such as 2025-01-31T12:00:00.000000Z').optional(),
  limit: z.coerce.number().int().min(1).optional(),
  next: z.string().max(500).optional(),
  'match[id]': list((v) => STIX_ID.test(v.toLowerCase()), 'STIX ids')
    .transform((ids) => ids.map((id) => id.toLowerCase()))
    .optional(),
  'match[type]': list((v) => /^[a-z][a-z0-9-]{1,249}$/.test(v), 'STIX types').optional(),
  'match[version]': list((v) => ['first', 'last', 'all'].includes(v) || isTimestamp(v), 'first, last, all or timestamps').optional(),
  'match[spec_version]': list((v) => /^\d+\.\d+$/.test(v), 'STIX versions such as 2.1').optional(),
});

export interface TaxiiFilters {
  addedAfter?: string;
  limit: number;
  next?: TaxiiPosition;
  ids?: string[];
  types?: string[];
  /** `modified` timestamps to match; absent: every object's (only) version */
  versions?: string[];
  /** false: the client asked for STIX versions this server does not serve */
  specVersionServed: boolean;
}

/**
 * The TAXII filters of a request, read from the raw query string so that
 * `match[…]` means the same whatever query parser the app is configured with.
 */
export function taxiiFilters(req: Request, ids: SealedIds): TaxiiFilters {
  const search = new URL(req.originalUrl, 'http://taxii.invalid').searchParams;
  const raw: Record<string, string> = {};
  for (const key of new Set(search.keys())) raw[key] = search.getAll(key).join(',');
  const q = params.parse(raw);
  const next = decodeNext(ids, q.next);
  // The server keeps one version of each object: first, last and all all name it.
  const versions = q['match[version]']?.some((v) => ['first', 'last', 'all'].includes(v)) ? undefined : q['match[version]'];
  return {
    limit: Math.min(q.limit ?? DEFAULT_PAGE, MAX_PAGE),
    specVersionServed: q['match[spec_version]']?.includes('2.1') ?? true,
    ...(q.added_after ? { addedAfter: q.added_after } : {}),
    ...(next ? { next } : {}),
    ...(q['match[id]'] ? { ids: q['match[id]'] } : {}),
    ...(q['match[type]'] ? { types: q['match[type]'] } : {}),
    ...(versions ? { versions } : {}),
  };
}
