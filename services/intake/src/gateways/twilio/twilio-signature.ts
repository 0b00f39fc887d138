import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + sorted params)).
 * The signed string is the full URL Twilio called (scheme, host, path and query,
 * exactly as configured) followed by every POST form parameter sorted by name,
 * each written as name then value with no separators. Twilio never signs the
 * raw body of a form post, so the caller must pass every received parameter,
 * not just the ones it uses: Twilio adds parameters without notice.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  // Plain code-unit order, as Twilio's own SDKs sort (not locale order).
  const names = Object.keys(params).sort();
  let data = url;
  for (const name of names) data += name + params[name];
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** True only when `signature` is the one Twilio would send; never throws. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual throws on unequal lengths; a length mismatch leaks only
  // the length of a base64 SHA-1 digest, which is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
