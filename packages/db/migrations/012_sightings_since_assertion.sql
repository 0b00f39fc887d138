-- A published indicator counts only the sightings made since its publisher
-- last published it: publishing a revoked indicator again asserts it anew.
ALTER TABLE published_indicators ADD COLUMN asserted_at timestamptz;
UPDATE published_indicators SET asserted_at = created_at;
ALTER TABLE published_indicators ALTER COLUMN asserted_at SET NOT NULL, ALTER COLUMN asserted_at SET DEFAULT now();
