import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64, as its libraries decode it. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/**
 * The three Standard Webhooks headers for one attempt. Every secret still
 * active signs, space-separated as the specification allows, so during a
 * rotation a receiver holding either the old or the new secret verifies.
 * The timestamp is the attempt's; the id stays the message's.
 */
export function webhookHeaders(id: string, payload: string, secrets: readonly string[], at: Date = new Date()): Record<string, string> {
  if (secrets.length === 0) throw new Error(`webhook ${id} has no active secret to sign with`);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, payload)).join(' '),
  };
}
