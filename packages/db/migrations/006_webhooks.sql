-- Webhooks: operators' endpoints that receive indicator and campaign changes
-- as they happen, signed per Standard Webhooks. A dispatcher follows the same
-- change sequence as the feed (change_seq) from each subscription's position,
-- records one delivery per (subscription, change), and a queue delivers it.

CREATE TABLE webhook_subscriptions (
  id               text PRIMARY KEY,
  operator_id      text NOT NULL REFERENCES operators (id),
  url              text NOT NULL,
  description      text NOT NULL DEFAULT '',
  events           text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ARRAY['indicator.changed', 'campaign.changed']::text[]),
  -- filters; NULL matches everything
  indicator_types  text[],
  categories       text[],
  min_confidence   real CHECK (min_confidence >= 0 AND min_confidence <= 1),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason  text,
  -- the change_seq up to which changes have been matched and recorded as deliveries
  position         bigint NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_operator_idx ON webhook_subscriptions (operator_id, created_at);
CREATE INDEX webhook_subscriptions_active_idx ON webhook_subscriptions (id) WHERE status = 'active';

-- Signing secrets. Kept in clear because signing needs them; during a
-- rotation the previous ones keep signing until they expire, so receivers can
-- switch without losing a delivery.
CREATE TABLE webhook_secrets (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  secret           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz
);
CREATE INDEX webhook_secrets_subscription_idx ON webhook_secrets (subscription_id);

-- One message per (subscription, change). The id is the webhook-id header:
-- the same on every attempt and replay, so receivers can drop duplicates.
-- The payload is kept as the exact bytes that are signed.
CREATE TABLE webhook_deliveries (
  id                text PRIMARY KEY,
  subscription_id   text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  seq               bigint NOT NULL,
  event_type        text NOT NULL,
  payload           text NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- 0 for the first run, then one more for each replay; jobs of an older generation are ignored
  generation        integer NOT NULL DEFAULT 0,
  attempt_count     integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  -- set once the queue holds the job; a pending delivery without it is queued again
  enqueued_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  delivered_at      timestamptz,
  CONSTRAINT webhook_deliveries_change_unique UNIQUE (subscription_id, seq)
);
CREATE INDEX webhook_deliveries_unqueued_idx ON webhook_deliveries (updated_at) WHERE status = 'pending' AND enqueued_at IS NULL;

-- Every HTTP attempt, successful or not.
CREATE TABLE webhook_attempts (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id    text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  generation     integer NOT NULL,
  attempt        integer NOT NULL,
  started_at     timestamptz NOT NULL,
  duration_ms    integer NOT NULL,
  status_code    integer,
  error          text,
  response_body  text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
