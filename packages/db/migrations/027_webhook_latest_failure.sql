-- The webhooks list shows each subscription's latest failed delivery: without
-- this index, finding it walks back through every delivery of a subscription
-- that has never failed.
CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (subscription_id, seq) WHERE status = 'failed';
