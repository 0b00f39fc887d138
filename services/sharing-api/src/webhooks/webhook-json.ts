import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookSecretRow, WebhookSubscriptionRow } from '@srs/db';
import { encodeCursor } from '../feed/cursor';
import type { SealedIds } from '../feed/sealed-ids';

/** A delivery as the subscription's list shows it: its outcome, without payload or attempts. */
function deliverySummaryJson(d: WebhookDeliveryRow) {
  return {
    id: d.id,
    event_type: d.eventType,
    status: d.status,
    attempt_count: d.attemptCount,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    delivered_at: d.deliveredAt,
  };
}

/**
 * A subscription as its operator sees it, with its latest delivery and
 * latest failure. Secret values are shown once, when made, never here.
 */
export function subscriptionJson(
  ids: SealedIds,
  s: WebhookSubscriptionRow,
  secrets: readonly WebhookSecretRow[],
  latest: { last?: WebhookDeliveryRow; lastFailure?: WebhookDeliveryRow } = {},
) {
  return {
    id: s.id,
    url: s.url,
    description: s.description,
    events: s.events,
    filter: {
      ...(s.indicatorTypes ? { indicator_types: s.indicatorTypes } : {}),
      ...(s.categories ? { categories: s.categories } : {}),
      ...(s.minConfidence !== null ? { min_confidence: s.minConfidence } : {}),
    },
    status: s.status,
    ...(s.disabledReason ? { disabled_reason: s.disabledReason } : {}),
    secrets: secrets.map((k) => ({ id: k.id, created_at: k.createdAt, expires_at: k.expiresAt })),
    // the feed cursor of the last change matched: later changes are delivered
    position: encodeCursor(ids, BigInt(s.position)),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    last_delivery: latest.last ? deliverySummaryJson(latest.last) : null,
    last_failure: latest.lastFailure ? deliverySummaryJson(latest.lastFailure) : null,
  };
}

function attemptJson(a: WebhookAttemptRow) {
  return {
    attempt: a.attempt,
    replay: a.generation,
    at: a.startedAt,
    duration_ms: a.durationMs,
    status_code: a.statusCode,
    error: a.error,
    response_body: a.responseBody,
  };
}

export function deliveryJson(ids: SealedIds, d: WebhookDeliveryRow & { attempts: WebhookAttemptRow[] }) {
  return {
    ...deliverySummaryJson(d),
    // the feed cursor just past the change, like the feed's own `seq`
    seq: encodeCursor(ids, BigInt(d.seq)),
    replays: d.generation,
    payload: JSON.parse(d.payload) as unknown,
    attempts: d.attempts.map(attemptJson),
  };
}
