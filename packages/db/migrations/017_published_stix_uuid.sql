-- Issue 24 finding 6d. An indicator an operator published without a STIX id
-- of its own had UUIDv5 of `indicator:p<row id>` under the project's public
-- namespace as its STIX id: anyone can enumerate those names and read the row
-- id back, and the gap between two rows another operator sees counts the
-- TLP:RED indicators published in between. From now on such an indicator gets
-- a random UUID when it is inserted; those published before keep the id their
-- subscribers already hold.
ALTER TABLE published_indicators ADD COLUMN stix_uuid uuid;
UPDATE published_indicators SET stix_uuid = uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'indicator:p' || id::text);
ALTER TABLE published_indicators ALTER COLUMN stix_uuid SET DEFAULT gen_random_uuid();
ALTER TABLE published_indicators ALTER COLUMN stix_uuid SET NOT NULL;

-- The operator's own STIX id (its client_id) still comes first.
DROP INDEX published_indicators_stix_id_idx;
CREATE INDEX published_indicators_stix_id_idx ON published_indicators ((
  CASE WHEN client_id ~ '^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
       THEN substr(client_id, 12)::uuid
       ELSE stix_uuid END));
