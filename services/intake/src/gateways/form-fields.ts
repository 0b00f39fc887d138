import { TextDecoder } from 'node:util';
import { AppError } from '@srs/http';

export type RawFields = Map<string, Buffer>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits an application/x-www-form-urlencoded string (a query string or a form
 * body) into raw byte values. Unlike URLSearchParams it keeps the bytes, so that
 * invalid UTF-8 can be rejected naming its field instead of silently turning
 * into U+FFFD, and a text in another charset can still be decoded.
 */
export function parseFormFields(encoded: string): RawFields {
  const fields: RawFields = new Map();
  if (encoded.length === 0) return fields;
  for (const pair of encoded.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let name: string;
    try {
      name = utf8.decode(percentDecode(rawName));
    } catch {
      throw AppError.badRequest('invalid_encoding', 'a field name is not valid UTF-8', 'query');
    }
    // The first occurrence wins, as with Kannel's own CGI parsing.
    if (!fields.has(name)) fields.set(name, percentDecode(rawValue));
  }
  return fields;
}

export function percentDecode(input: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x2b /* + */) {
      bytes.push(0x20);
    } else if (c === 0x25 /* % */ && i + 2 < input.length && isHex(input.charCodeAt(i + 1)) && isHex(input.charCodeAt(i + 2))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x100) {
      // Node hands over the request line and latin1-read bodies one char per byte.
      bytes.push(c);
    } else {
      const cp = input.codePointAt(i)!;
      if (cp > 0xffff) i++;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Decodes one field's bytes, naming the field when they are not valid in the charset. */
export function decodeField(name: string, bytes: Buffer, charset = 'utf-8'): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new AppError(415, 'unsupported_charset', `charset ${charset} is not supported`, 'charset');
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw AppError.badRequest('invalid_encoding', `${name} is not valid ${decoder.encoding}`, name);
  }
}
