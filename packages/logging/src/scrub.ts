/**
 * Last line of defence for "no MSISDN in a log line": any run of 7 to 15 digits
 * (optionally after +) in a logged string is masked, wherever it came from
 * (an error message quoting a URL, a gateway's free text). Structured fields
 * that hold numbers by design are removed by pino's `redact` before this runs.
 */
const PHONE_LIKE = /(?<![\w-])\+?\d{7,15}(?!\d)/g;
export const MASK = '[msisdn]';

export function scrubString(value: string): string {
  return value.replace(PHONE_LIKE, MASK);
}

export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}
