import type { TaxiiPosition } from '@srs/db';
import { AppError } from '@srs/http';
import { z } from 'zod';
import type { SealedIds } from '../feed/sealed-ids';

const position = z.tuple([
  z.literal('t1'),
  z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  z.number().int().min(0).max(99),
  // a row number, or an operator id (`peer:<name>` for a federation peer, migration 023)
  z.string().regex(/^[a-z0-9:-]{1,64}$/),
]);

/**
 * TAXII `next` values: the position of the last object a page returned (its
 * date_added, then kind and row), versioned and sealed (see SealedIds): the
 * row is an internal number whose gaps would count other operators' TLP:RED
 * indicators. Opaque to clients; the next page starts right after it.
 */
export function encodeNext(ids: SealedIds, at: TaxiiPosition): string {
  return ids.sealText(JSON.stringify(['t1', at.dateAdded, at.rank, at.ref]));
}

export function decodeNext(ids: SealedIds, next: string | undefined): TaxiiPosition | undefined {
  if (next === undefined || next === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(ids.openText(next) ?? '');
  } catch {
    parsed = undefined;
  }
  const result = position.safeParse(parsed);
  if (!result.success) throw AppError.badRequest('invalid_next', 'next: not a value this server gave out', 'next');
  const [, dateAdded, rank, ref] = result.data;
  return { dateAdded, rank, ref };
}
