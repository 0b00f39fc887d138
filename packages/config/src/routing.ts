import { LANGUAGES } from '@srs/core';
import { z } from 'zod';

/**
 * Which operator a message belongs to follows from the connection it came in
 * on: a Kannel SMSC id, a Twilio-style account, a signed webhook, or an app
 * API key (in the database). Each operator brings its country (default region
 * for national numbers), reply language and short code.
 *
 * A single-operator deployment needs none of this: the defaults are built from
 * OPERATOR_ID, OPERATOR_COUNTRY, OPERATOR_LANGUAGE, SHORT_CODE and the KANNEL_*,
 * TWILIO_* and WEBHOOK_* variables. A consortium hosting several operators sets
 * INTAKE_ROUTES to a JSON document of this shape.
 */
export const languageSchema = z.enum(LANGUAGES);

const operatorId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);
const connectionName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);

export const operatorProfileSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/),
  language: languageSchema,
  shortCode: z.string().regex(/^[0-9A-Za-z]{3,11}$/),
});

export const kannelConnectionSchema = z.object({
  name: connectionName,
  operator: operatorId,
  /** Kannel smsc-ids this connection takes; none means every SMSC */
  smsc: z.array(z.string().min(1)).default([]),
  sendsmsUrl: z.url({ protocol: /^https?$/ }),
  user: z.string().min(1),
  password: z.string().min(1),
  smscForReplies: z.string().optional(),
  /**
   * Who may deliver MO messages on this connection: a shared secret Kannel
   * sends as `token` in its get-url / post-url, and/or the addresses (CIDR)
   * its smsbox connects from. Neither: anyone who can reach the intake.
   */
  moToken: z.string().min(16, 'at least 16 characters').optional(),
  allowFrom: z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or CIDR block')).default([]),
});

export const twilioConnectionSchema = z.object({
  name: connectionName,
  operator: operatorId,
  accountSid: z.string().min(1),
  authToken: z.string().min(8),
  /** base URL of the Twilio-style REST API that sends replies */
  apiUrl: z.url({ protocol: /^https?$/ }),
});

export const webhookConnectionSchema = z.object({
  name: connectionName,
  operator: operatorId,
  /** Standard Webhooks secret (whsec_ + base64) signing inbound deliveries and outbound replies */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'whsec_ followed by a base64 key'),
  /** where replies to this connection's subscribers are POSTed */
  replyUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export const routesSchema = z.object({
  operators: z.record(operatorId, operatorProfileSchema),
  kannel: z.array(kannelConnectionSchema).default([]),
  twilio: z.array(twilioConnectionSchema).default([]),
  webhooks: z.array(webhookConnectionSchema).default([]),
});

export type OperatorProfile = z.infer<typeof operatorProfileSchema>;
export type KannelConnection = z.infer<typeof kannelConnectionSchema>;
export type TwilioConnection = z.infer<typeof twilioConnectionSchema>;
export type WebhookConnection = z.infer<typeof webhookConnectionSchema>;
export type Routes = z.infer<typeof routesSchema>;

/** Checks what zod cannot: unique connection names and that every connection names a known operator. */
export function routeProblems(routes: Routes): string[] {
  const problems: string[] = [];
  const all = [
    ...routes.kannel.map((c) => ['kannel', c] as const),
    ...routes.twilio.map((c) => ['twilio', c] as const),
    ...routes.webhooks.map((c) => ['webhooks', c] as const),
  ];
  const seen = new Set<string>();
  for (const [kind, c] of all) {
    if (!routes.operators[c.operator]) problems.push(`${kind} connection ${c.name}: unknown operator ${c.operator}`);
    const key = `${kind}/${c.name}`;
    if (seen.has(key)) problems.push(`${kind} connection name ${c.name} is used twice`);
    seen.add(key);
  }
  return problems;
}
