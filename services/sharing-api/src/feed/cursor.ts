import { AppError } from '@srs/http';

/**
 * Feed cursors are opaque to clients: a versioned, base64url-encoded position
 * in the server's change sequence. Nothing in them is a page number or a time.
 */
export function encodeCursor(seq: bigint): string {
  return Buffer.from(`v1:${seq.toString()}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): bigint {
  if (cursor === undefined || cursor === '') return 0n;
  const decoded = /^v1:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded) throw AppError.badRequest('invalid_cursor', 'cursor: not a cursor this feed gave out', 'cursor');
  return BigInt(decoded[1]!);
}
