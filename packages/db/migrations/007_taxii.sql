-- TAXII 2.1 serves the shared intelligence as STIX objects. Three things the
-- other tables lack:
--
-- 1. A `date_added` for every object that grows in commit order. TAXII clients
--    poll with added_after = the X-TAXII-Date-Added-Last they last saw, so a
--    change committed later must never carry an earlier date. Transaction start
--    times (now(), updated_at) do not give that. Every change stamps its row from
--    one clock row instead: strictly increasing, and the row lock held to commit
--    makes stamp order commit order even for a writer that forgot FEED_WRITE_LOCK.
-- 2. A fixed `created` for indicators and campaigns (first_seen can move earlier
--    when an older report is analysed late; STIX forbids `created` to change).
-- 3. STIX ids are UUIDv5 of our ids (see services/sharing-api/src/stix/ids.ts);
--    expression indexes let match[id] and objects/{id} find a row from its STIX id.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE taxii_clock (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last      timestamptz NOT NULL
);

ALTER TABLE indicators ADD COLUMN stix_created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE campaigns ADD COLUMN stix_created_at timestamptz NOT NULL DEFAULT now();
UPDATE indicators SET stix_created_at = LEAST(first_seen, updated_at);
UPDATE campaigns SET stix_created_at = LEAST(first_seen, updated_at);

ALTER TABLE indicators ADD COLUMN taxii_date_added timestamptz;
ALTER TABLE campaigns ADD COLUMN taxii_date_added timestamptz;
ALTER TABLE published_indicators ADD COLUMN taxii_date_added timestamptz;
ALTER TABLE sightings ADD COLUMN taxii_date_added timestamptz;
ALTER TABLE operators ADD COLUMN taxii_date_added timestamptz;
UPDATE indicators SET taxii_date_added = updated_at;
UPDATE campaigns SET taxii_date_added = updated_at;
UPDATE published_indicators SET taxii_date_added = updated_at;
UPDATE sightings SET taxii_date_added = created_at;
UPDATE operators SET taxii_date_added = created_at;

INSERT INTO taxii_clock (last)
SELECT GREATEST(now(), max(t)) FROM (
  SELECT max(taxii_date_added) AS t FROM indicators
  UNION ALL SELECT max(taxii_date_added) FROM campaigns
  UNION ALL SELECT max(taxii_date_added) FROM published_indicators
  UNION ALL SELECT max(taxii_date_added) FROM sightings
  UNION ALL SELECT max(taxii_date_added) FROM operators
) existing;

-- The clock row is locked by a transaction's first stamp and held to commit, which
-- keeps stamp order commit order. Within the transaction the stamps advance in a
-- transaction-local setting, and the row is written once per statement (below):
-- a batch of thousands of changes costs a few row writes, not thousands.
CREATE FUNCTION taxii_next_date_added() RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  previous text := current_setting('taxii.last_stamp', true);
  last_stamp timestamptz;
  stamp timestamptz;
BEGIN
  IF previous IS NULL OR previous = '' THEN
    SELECT c.last INTO last_stamp FROM taxii_clock c FOR UPDATE;
  ELSE
    last_stamp := previous::timestamptz;
  END IF;
  stamp := GREATEST(clock_timestamp(), last_stamp + interval '1 microsecond');
  PERFORM set_config('taxii.last_stamp', stamp::text, true);
  RETURN stamp;
END
$$;

CREATE FUNCTION taxii_flush_clock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text := current_setting('taxii.last_stamp', true);
BEGIN
  IF previous IS NOT NULL AND previous <> '' THEN
    UPDATE taxii_clock SET last = GREATEST(last, previous::timestamptz);
  END IF;
  RETURN NULL;
END
$$;

-- A change is a new sequence value (every writer takes one per change).
CREATE FUNCTION taxii_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.seq IS DISTINCT FROM OLD.seq THEN
    NEW.taxii_date_added := taxii_next_date_added();
  END IF;
  RETURN NEW;
END
$$;

-- Operators have no sequence: a new name or country is a new identity version.
CREATE FUNCTION taxii_stamp_operator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (NEW.name, NEW.country) IS DISTINCT FROM (OLD.name, OLD.country) THEN
    NEW.taxii_date_added := taxii_next_date_added();
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER indicators_taxii_date_added BEFORE INSERT OR UPDATE ON indicators FOR EACH ROW EXECUTE FUNCTION taxii_stamp_change();
CREATE TRIGGER campaigns_taxii_date_added BEFORE INSERT OR UPDATE ON campaigns FOR EACH ROW EXECUTE FUNCTION taxii_stamp_change();
CREATE TRIGGER published_indicators_taxii_date_added BEFORE INSERT OR UPDATE ON published_indicators FOR EACH ROW EXECUTE FUNCTION taxii_stamp_change();
CREATE TRIGGER sightings_taxii_date_added BEFORE INSERT OR UPDATE ON sightings FOR EACH ROW EXECUTE FUNCTION taxii_stamp_change();
CREATE TRIGGER operators_taxii_date_added BEFORE INSERT OR UPDATE ON operators FOR EACH ROW EXECUTE FUNCTION taxii_stamp_operator();
CREATE TRIGGER indicators_taxii_clock AFTER INSERT OR UPDATE ON indicators FOR EACH STATEMENT EXECUTE FUNCTION taxii_flush_clock();
CREATE TRIGGER campaigns_taxii_clock AFTER INSERT OR UPDATE ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION taxii_flush_clock();
CREATE TRIGGER published_indicators_taxii_clock AFTER INSERT OR UPDATE ON published_indicators FOR EACH STATEMENT EXECUTE FUNCTION taxii_flush_clock();
CREATE TRIGGER sightings_taxii_clock AFTER INSERT OR UPDATE ON sightings FOR EACH STATEMENT EXECUTE FUNCTION taxii_flush_clock();
CREATE TRIGGER operators_taxii_clock AFTER INSERT OR UPDATE ON operators FOR EACH STATEMENT EXECUTE FUNCTION taxii_flush_clock();

ALTER TABLE indicators ALTER COLUMN taxii_date_added SET NOT NULL;
ALTER TABLE campaigns ALTER COLUMN taxii_date_added SET NOT NULL;
ALTER TABLE published_indicators ALTER COLUMN taxii_date_added SET NOT NULL;
ALTER TABLE sightings ALTER COLUMN taxii_date_added SET NOT NULL;
ALTER TABLE operators ALTER COLUMN taxii_date_added SET NOT NULL;

CREATE INDEX indicators_taxii_idx ON indicators (taxii_date_added) WHERE ever_published;
CREATE INDEX campaigns_taxii_idx ON campaigns (taxii_date_added) WHERE spam;
CREATE INDEX published_indicators_taxii_idx ON published_indicators (operator_id, taxii_date_added);
CREATE INDEX sightings_taxii_idx ON sightings (taxii_date_added);

-- The namespace and names must stay equal to those of services/sharing-api/src/stix/ids.ts.
CREATE INDEX indicators_stix_id_idx ON indicators (uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'indicator:c' || id::text));
CREATE INDEX campaigns_stix_id_idx ON campaigns (uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'campaign:' || id::text));
CREATE INDEX sightings_stix_id_idx ON sightings (uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'sighting:' || id::text));
-- An operator that published over TAXII keeps the STIX id it chose (its client_id).
CREATE INDEX published_indicators_stix_id_idx ON published_indicators ((
  CASE WHEN client_id ~ '^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
       THEN substr(client_id, 12)::uuid
       ELSE uuid_generate_v5('adec8f4b-9ef5-4403-93dc-10ce6e553d45'::uuid, 'indicator:p' || id::text) END));

-- What a TAXII POST did, for GET status/{id}: only the operator that posted reads it.
CREATE TABLE taxii_status (
  id                 uuid PRIMARY KEY,
  operator_id        text NOT NULL REFERENCES operators (id),
  request_timestamp  timestamptz NOT NULL DEFAULT now(),
  total_count        integer NOT NULL,
  success_count      integer NOT NULL,
  failure_count      integer NOT NULL,
  successes          jsonb NOT NULL,
  failures           jsonb NOT NULL
);
CREATE INDEX taxii_status_operator_idx ON taxii_status (operator_id, request_timestamp);
