import { createHmac } from 'node:crypto';

/**
 * The only form in which a reporter's number is stored or shared: a keyed HMAC.
 * Without the key the pseudonym cannot be reversed by enumerating the numbering plan.
 */
export function pseudonymise(canonicalMsisdn: string, key: string): string {
  return createHmac('sha256', key).update(canonicalMsisdn, 'utf8').digest('base64url');
}
