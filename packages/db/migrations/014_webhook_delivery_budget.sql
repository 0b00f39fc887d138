-- Webhook deliveries are queued under a budget: at most a few of each
-- subscription and each operator are in the queue at once (queued, running
-- or waiting to retry), the rest wait here in change order. A slow receiver
-- then holds its own budget, never every delivery worker (docs/SHARING.md).

-- When the delivery last became due: recorded, or replayed. The oldest one
-- still pending says how far a subscription is behind.
ALTER TABLE webhook_deliveries ADD COLUMN pending_since timestamptz;
UPDATE webhook_deliveries SET pending_since = created_at;
ALTER TABLE webhook_deliveries ALTER COLUMN pending_since SET NOT NULL, ALTER COLUMN pending_since SET DEFAULT now();

-- Waiting for a place in the budget, taken in change order.
DROP INDEX webhook_deliveries_unqueued_idx;
CREATE INDEX webhook_deliveries_waiting_idx ON webhook_deliveries (subscription_id, seq) WHERE status = 'pending' AND enqueued_at IS NULL;
-- Holding a place: counted against the budget, and checked against the queue.
CREATE INDEX webhook_deliveries_in_flight_idx ON webhook_deliveries (subscription_id, enqueued_at) WHERE status = 'pending' AND enqueued_at IS NOT NULL;
-- Each subscription's backlog and its oldest undelivered change (the metrics and the warning).
CREATE INDEX webhook_deliveries_backlog_idx ON webhook_deliveries (subscription_id, pending_since) WHERE status = 'pending';
