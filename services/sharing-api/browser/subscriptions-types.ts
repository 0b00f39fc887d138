/** The answers of /v1/webhooks (src/webhooks/webhook-json.ts) and /v1/keys (src/keys/key-json.ts) the portal reads. */

export type WebhookEvent = 'indicator.changed' | 'campaign.changed';

export interface Webhook {
  id: string;
  url: string;
  description: string;
  events: WebhookEvent[];
  filter: { indicator_types?: string[]; categories?: string[]; min_confidence?: number };
  status: 'active' | 'disabled';
  /** why it is disabled: by the operator, or the receiver answered 410 */
  disabled_reason?: string;
  /** the secrets signing deliveries now; more than one while a rotation overlaps */
  secrets: Array<{ id: string; created_at: string; expires_at: string | null }>;
  created_at: string;
  updated_at: string;
  /** its latest delivery and latest failed one, without payload or attempts; null when there is none */
  last_delivery: DeliveryOutcome | null;
  last_failure: DeliveryOutcome | null;
}

/** POST /v1/webhooks: the subscription and its signing secret, this once. */
export interface NewWebhook extends Webhook {
  secret: string;
}

/** POST /v1/webhooks/:id/secrets */
export interface RotatedSecret {
  id: string;
  secret: string;
  created_at: string;
  previous_expire_at: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** What a webhook's list shows of a delivery. */
export type DeliveryOutcome = Omit<Delivery, 'payload' | 'replays'>;

export interface Delivery {
  id: string;
  event_type: WebhookEvent;
  status: DeliveryStatus;
  replays: number;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  /** the Standard Webhooks message: { type, timestamp, data: the change as the feed serves it } */
  payload: unknown;
}

export interface DeliveryPage {
  data: Delivery[];
  /** the cursor of older deliveries, null at the oldest */
  next: string | null;
}

export type KeyScope = 'read' | 'publish' | 'feedback' | 'admin';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  /** keys the CLI made may also hold the intake's report and attest */
  scopes: string[];
  status: 'active' | 'revoked' | 'expired';
  /** the key this page is signed in with */
  current: boolean;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** POST /v1/keys: the key and the key itself, this once. */
export interface NewApiKey extends ApiKey {
  key: string;
}
