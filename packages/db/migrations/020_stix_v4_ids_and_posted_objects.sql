-- Issue 27, point 1.
--
-- 1. STIX says SDOs, SROs and meta objects SHOULD have UUIDv4 ids, and the
--    OASIS validator warns on every other version. Indicators, campaigns,
--    sightings and operators' identities had UUIDv5 of our row ids. From now on
--    each gets a random v4 once, when it is inserted, kept for all its versions.
--    Rows that exist keep the v5 id their subscribers already hold (as 017 did
--    for published indicators): an id must never change under a subscriber.
ALTER TABLE indicators ADD COLUMN stix_uuid uuid;
ALTER TABLE campaigns ADD COLUMN stix_uuid uuid;
ALTER TABLE sightings ADD COLUMN stix_uuid uuid;
ALTER TABLE operators ADD COLUMN stix_uuid uuid;
UPDATE indicators SET stix_uuid = uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'indicator:c' || id::text);
UPDATE campaigns SET stix_uuid = uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'campaign:' || id::text);
UPDATE sightings SET stix_uuid = uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'sighting:' || id::text);
UPDATE operators SET stix_uuid = uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'identity:operator:' || id);
ALTER TABLE indicators ALTER COLUMN stix_uuid SET DEFAULT gen_random_uuid(), ALTER COLUMN stix_uuid SET NOT NULL;
ALTER TABLE campaigns ALTER COLUMN stix_uuid SET DEFAULT gen_random_uuid(), ALTER COLUMN stix_uuid SET NOT NULL;
ALTER TABLE sightings ALTER COLUMN stix_uuid SET DEFAULT gen_random_uuid(), ALTER COLUMN stix_uuid SET NOT NULL;
ALTER TABLE operators ALTER COLUMN stix_uuid SET DEFAULT gen_random_uuid(), ALTER COLUMN stix_uuid SET NOT NULL;

-- match[id] and objects/{id} find a row by the stored id now, not by a derived one.
DROP INDEX indicators_stix_id_idx;
DROP INDEX campaigns_stix_id_idx;
DROP INDEX sightings_stix_id_idx;
CREATE UNIQUE INDEX indicators_stix_uuid_idx ON indicators (stix_uuid);
CREATE UNIQUE INDEX campaigns_stix_uuid_idx ON campaigns (stix_uuid);
CREATE UNIQUE INDEX sightings_stix_uuid_idx ON sightings (stix_uuid);
CREATE UNIQUE INDEX operators_stix_uuid_idx ON operators (stix_uuid);

-- 2. An indicator an operator adds over TAXII is kept as the client sent it:
--    its id, created, modified, name, valid_from, created_by_ref and the rest.
--    The row still holds what the feeds and matching read (type, canonical
--    value, TLP, ...). stix_seq is the change that stored the object: while the
--    row's seq is still that one, TAXII serves the object exactly as sent; a
--    later change made here (a revocation by operators' feedback, expiry, a
--    new version through /v1) is a version the server makes, which keeps the
--    sent object's created and created_by_ref (STIX forbids them to change).
ALTER TABLE published_indicators ADD COLUMN stix_object jsonb;
ALTER TABLE published_indicators ADD COLUMN stix_modified timestamptz;
ALTER TABLE published_indicators ADD COLUMN stix_seq bigint;
