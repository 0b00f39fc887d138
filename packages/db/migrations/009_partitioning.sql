-- Time partitioning of the append-heavy tables: `reports` by received_at and
-- `audit_log` by at, one partition per UTC month, plus a DEFAULT partition so an
-- insert outside every month made never fails. The worker makes the months
-- ahead (ensure_month_partition below, PARTITION_PREMAKE_MONTHS) and retention
-- drops a whole month of reports once it is past REPORT_RETENTION_DAYS and every
-- report in it is counted in the statistics. See docs/DATABASE.md.
--
-- Existing rows are kept: each table is renamed, a partitioned table of the same
-- name, columns, defaults, checks, foreign keys and identity is made, the rows
-- are copied with their ids, the old table is dropped, then the indexes are built
-- (once, after the copy). Nothing references reports or audit_log (no foreign key,
-- view or trigger); the grants on the old tables are copied.
--
-- PostgreSQL makes every unique index of a partitioned table include its
-- partition key, so:
--   * the primary keys become (id, received_at) and (id, at); ids still come from
--     one identity sequence, so id alone stays unique in practice;
--   * the idempotency key (operator_id, gateway, gateway_message_id) becomes
--     unique with received_at. received_at comes from the job payload, so every
--     rerun of a job carries the same one; but a gateway that redelivers a
--     message its first delivery of had been queued (a lost acknowledgement)
--     starts a second job with a new received_at when the gateway gives no time.
--     report_keys (below) keeps the key alone unique for the reports of the last
--     weeks, which is when such a redelivery happens;
--   * reference becomes unique in report_keys (recent references) and checked
--     against every partition by a trigger (older ones).

-- Makes the partition of `parent` for the UTC month holding `month_start`, unless
-- it exists: the name is <parent>_pYYYYMM. Rows of that month already in the
-- DEFAULT partition are moved into it. The table is made on its own and then
-- attached, which locks the parent only in SHARE UPDATE EXCLUSIVE mode: reads
-- and writes of the parent go on meanwhile. Returns the name when it made one.
CREATE FUNCTION ensure_month_partition(parent regclass, month_start timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', month_start, 'UTC');
  -- interval arithmetic on timestamptz follows the session's time zone: done in UTC
  hi timestamptz := (date_trunc('month', month_start, 'UTC') AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
  parent_schema text;
  parent_name text;
  part_name text;
  key_column text;
  default_part regclass;
BEGIN
  SELECT n.nspname, c.relname INTO parent_schema, parent_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
  part_name := parent_name || '_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYYMM');
  -- Several workers may run this at once: one at a time per table, then it is a no-op.
  PERFORM pg_advisory_xact_lock(hashtextextended('ensure_month_partition:' || parent::oid::text, 0));
  IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  SELECT a.attname, NULLIF(p.partdefid, 0)::regclass INTO key_column, default_part
    FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', parent_schema, part_name, parent);
  IF default_part IS NOT NULL THEN
    EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I.%I SELECT * FROM moved',
                   default_part, key_column, key_column, parent_schema, part_name)
      USING lo, hi;
  END IF;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)', parent, parent_schema, part_name, lo, hi);
  RETURN part_name;
END
$$;

-- Copies the privileges granted on one table to another (deployments may have
-- granted a read-only role access to reports, e.g. for a replica).
CREATE FUNCTION copy_table_grants(source regclass, target regclass) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  grant_row record;
BEGIN
  FOR grant_row IN
    SELECT g.grantee, g.privilege_type, g.is_grantable
      FROM information_schema.role_table_grants g JOIN pg_class c ON c.relname = g.table_name
     WHERE c.oid = source AND g.table_schema = (SELECT nspname FROM pg_namespace WHERE oid = c.relnamespace)
       AND g.grantee <> pg_get_userbyid(c.relowner)
  LOOP
    EXECUTE format('GRANT %s ON %s TO %s%s', grant_row.privilege_type, target,
                   CASE WHEN grant_row.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(grant_row.grantee) END, CASE WHEN grant_row.is_grantable = 'YES' THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
END
$$;

-- Every month that holds rows, and the current month and the next three (the
-- worker keeps making months ahead from then on).
CREATE FUNCTION months_to_partition(existing timestamptz[]) RETURNS SETOF timestamptz LANGUAGE sql AS $$
  SELECT DISTINCT date_trunc('month', m, 'UTC') FROM unnest(existing) AS m
  UNION
  SELECT (date_trunc('month', now(), 'UTC') AT TIME ZONE 'UTC' + k * interval '1 month') AT TIME ZONE 'UTC'
    FROM generate_series(0, 3) AS k
$$;

------------------------------------------------------------------------------
-- reports

ALTER TABLE reports RENAME TO reports_unpartitioned;
ALTER SEQUENCE reports_id_seq RENAME TO reports_unpartitioned_id_seq;

CREATE TABLE reports (
  id                  bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME reports_id_seq),
  reference           text NOT NULL,
  operator_id         text NOT NULL CONSTRAINT reports_operator_id_fkey REFERENCES operators (id),
  gateway             text NOT NULL,
  gateway_message_id  text NOT NULL,
  reporter_pseudonym  text NOT NULL,
  short_code          text NOT NULL,
  body                text NOT NULL,
  coding              text CONSTRAINT reports_coding_check CHECK (coding IN ('gsm7', '8bit', 'ucs2')),
  smsc                text,
  status              text NOT NULL DEFAULT 'received'
                        CONSTRAINT reports_status_check CHECK (status IN ('received', 'confirmed_spam', 'not_spam', 'sender_blocked')),
  received_at         timestamptz NOT NULL,
  stored_at           timestamptz NOT NULL DEFAULT now(),
  channel             text,
  language            text CONSTRAINT reports_language_check CHECK (language IN ('en', 'fr', 'es', 'ar', 'zh')),
  awaiting_sender     boolean NOT NULL DEFAULT false,
  sender_kind         text CONSTRAINT reports_sender_kind_check CHECK (sender_kind IN ('msisdn', 'short_code', 'alphanumeric')),
  sender_value        text,
  sender_display      text,
  completion          text CONSTRAINT reports_completion_check
                        CHECK (completion IN ('sender', 'one_message', 'no_sender_timeout', 'no_sender_superseded', 'no_sender_unknown')),
  completed_at        timestamptz,
  campaign_id         bigint CONSTRAINT reports_campaign_id_fkey REFERENCES campaigns (id),
  fingerprint         text,
  simhash             text,
  spam                boolean,
  category            text,
  confidence          real,
  text_language       text,
  counted             boolean,
  analysed_at         timestamptz,
  sender_indexed_at   timestamptz,
  analysis_error      text,
  link_kind           text CONSTRAINT reports_link_kind_check CHECK (link_kind IN ('none', 'link', 'shortener')),
  link_domains        text[],
  stats_at            timestamptz
) PARTITION BY RANGE (received_at);

CREATE TABLE reports_default PARTITION OF reports DEFAULT;
SELECT ensure_month_partition('reports', m)
  FROM months_to_partition(ARRAY(SELECT DISTINCT date_trunc('month', received_at, 'UTC') FROM reports_unpartitioned)) AS m;

INSERT INTO reports (id, reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, coding, smsc,
                     status, received_at, stored_at, channel, language, awaiting_sender, sender_kind, sender_value, sender_display,
                     completion, completed_at, campaign_id, fingerprint, simhash, spam, category, confidence, text_language, counted,
                     analysed_at, sender_indexed_at, analysis_error, link_kind, link_domains, stats_at)
OVERRIDING SYSTEM VALUE
SELECT id, reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, coding, smsc,
       status, received_at, stored_at, channel, language, awaiting_sender, sender_kind, sender_value, sender_display,
       completion, completed_at, campaign_id, fingerprint, simhash, spam, category, confidence, text_language, counted,
       analysed_at, sender_indexed_at, analysis_error, link_kind, link_domains, stats_at
  FROM reports_unpartitioned;
SELECT setval('reports_id_seq', GREATEST((SELECT last_value FROM reports_unpartitioned_id_seq), COALESCE((SELECT max(id) FROM reports), 1)));
SELECT copy_table_grants('reports_unpartitioned', 'reports');
DROP TABLE reports_unpartitioned;

-- The indexes, built once on every partition (and on each month made later).
ALTER TABLE reports ADD CONSTRAINT reports_pkey PRIMARY KEY (id, received_at);
ALTER TABLE reports ADD CONSTRAINT reports_gateway_message_unique UNIQUE (operator_id, gateway, gateway_message_id, received_at);
-- A subscriber's STATUS <reference>; unique through report_keys and its trigger.
CREATE INDEX reports_reference_idx ON reports (reference);
CREATE INDEX reports_reporter_idx ON reports (reporter_pseudonym, received_at DESC);
-- Live counters (the last hour) and the row-by-row retention of the DEFAULT partition.
CREATE INDEX reports_received_at_idx ON reports (received_at);
CREATE INDEX reports_awaiting_sender_idx ON reports (received_at) WHERE awaiting_sender;
-- The analyser's work lists: each partition's stays as small as its backlog.
CREATE INDEX reports_unanalysed_idx ON reports (id) WHERE analysed_at IS NULL AND analysis_error IS NULL;
CREATE INDEX reports_sender_unindexed_idx ON reports (id)
  WHERE analysed_at IS NOT NULL AND sender_value IS NOT NULL AND sender_indexed_at IS NULL AND analysis_error IS NULL;
CREATE INDEX reports_campaign_idx ON reports (campaign_id);
-- Every report not counted in the statistics: the rollup's work list, and what
-- retention looks for before it drops a month (a report the analyser failed on
-- is never counted, and keeps its month).
CREATE INDEX reports_uncounted_idx ON reports (id) WHERE stats_at IS NULL;

------------------------------------------------------------------------------
-- The idempotency key of recent reports, unique on its own, and their references.
-- The worker deletes keys older than a few weeks (REPORT_KEY_DAYS in the
-- worker); a rerun of the same job after that is still caught by
-- reports_gateway_message_unique (same received_at).

CREATE TABLE report_keys (
  operator_id         text NOT NULL,
  gateway             text NOT NULL,
  gateway_message_id  text NOT NULL,
  reference           text NOT NULL CONSTRAINT report_keys_reference_key UNIQUE,
  received_at         timestamptz NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT report_keys_pkey PRIMARY KEY (operator_id, gateway, gateway_message_id)
);
CREATE INDEX report_keys_created_at_idx ON report_keys (created_at);

INSERT INTO report_keys (operator_id, gateway, gateway_message_id, reference, received_at, created_at)
SELECT operator_id, gateway, gateway_message_id, reference, received_at, stored_at
  FROM reports WHERE stored_at > now() - interval '35 days'
ON CONFLICT DO NOTHING;

-- A reference older than the keys kept is looked up in every partition (one
-- index probe each): references stay unique for as long as their report exists.
CREATE FUNCTION report_keys_reference_unused() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM reports WHERE reference = NEW.reference) THEN
    RAISE EXCEPTION 'report reference % is taken', NEW.reference
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'report_keys_reference_key', TABLE = 'report_keys';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER report_keys_reference_unused BEFORE INSERT ON report_keys
  FOR EACH ROW EXECUTE FUNCTION report_keys_reference_unused();

------------------------------------------------------------------------------
-- audit_log: append-only, read by operator and time.

ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
ALTER SEQUENCE audit_log_id_seq RENAME TO audit_log_unpartitioned_id_seq;

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME audit_log_id_seq),
  at            timestamptz NOT NULL DEFAULT now(),
  key_id        text,
  operator_id   text,
  regulator_id  text,
  method        text NOT NULL,
  path          text NOT NULL,
  status        integer NOT NULL,
  request_id    text
) PARTITION BY RANGE (at);

CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;
SELECT ensure_month_partition('audit_log', m)
  FROM months_to_partition(ARRAY(SELECT DISTINCT date_trunc('month', at, 'UTC') FROM audit_log_unpartitioned)) AS m;

INSERT INTO audit_log (id, at, key_id, operator_id, regulator_id, method, path, status, request_id)
OVERRIDING SYSTEM VALUE
SELECT id, at, key_id, operator_id, regulator_id, method, path, status, request_id FROM audit_log_unpartitioned;
SELECT setval('audit_log_id_seq', GREATEST((SELECT last_value FROM audit_log_unpartitioned_id_seq), COALESCE((SELECT max(id) FROM audit_log), 1)));
SELECT copy_table_grants('audit_log_unpartitioned', 'audit_log');
DROP TABLE audit_log_unpartitioned;

ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id, at);
-- An operator's latest entries: newest first by time, read backwards from each month.
CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at, id);

DROP FUNCTION months_to_partition(timestamptz[]);
DROP FUNCTION copy_table_grants(regclass, regclass);
