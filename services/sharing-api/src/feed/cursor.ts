import { AppError } from '@srs/http';
import type { SealedIds } from './sealed-ids';

/**
 * Feed cursors are opaque to clients: the position in the server's change
 * sequence, sealed (see SealedIds), so that neither a page number, a time nor
 * the distance between two cursors can be read from them.
 */
export function encodeCursor(ids: SealedIds, seq: bigint): string {
  return ids.seal('cursor', seq);
}

export function decodeCursor(ids: SealedIds, cursor: string | undefined, field = 'cursor'): bigint {
  if (cursor === undefined || cursor === '') return 0n;
  const seq = ids.open('cursor', cursor);
  if (seq === undefined) throw AppError.badRequest('invalid_cursor', `${field}: not a cursor this feed gave out`, field);
  return seq;
}
