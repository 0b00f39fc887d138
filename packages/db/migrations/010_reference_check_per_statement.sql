-- The reference check of 009 ran once per row and probed every month of
-- reports: about 0.1 ms per report stored, most of the cost of storing one.
-- It now runs once per statement, over the new keys together, and looks only
-- where report_keys' own unique index cannot see: reports received more than
-- 28 days ago. report_keys keeps a key 35 days after it was stored
-- (REPORT_KEY_DAYS in the worker), and a report's received_at is never later
-- than its storing plus the 5 minutes of clock skew the intake allows, so
-- every reference younger than that is still in report_keys.
--
-- The check runs after the statement, when the statement's own reports are in
-- the table too: a report is recognised as the key's own by its message key.

DROP TRIGGER report_keys_reference_unused ON report_keys;
DROP FUNCTION report_keys_reference_unused();

CREATE FUNCTION report_keys_references_unused() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  taken text;
BEGIN
  SELECT k.reference INTO taken
    FROM inserted_keys k
   WHERE EXISTS (
           SELECT 1 FROM reports r
            WHERE r.reference = k.reference
              AND r.received_at < now() - interval '28 days'
              AND (r.operator_id, r.gateway, r.gateway_message_id) IS DISTINCT FROM (k.operator_id, k.gateway, k.gateway_message_id))
   LIMIT 1;
  IF taken IS NOT NULL THEN
    RAISE EXCEPTION 'report reference % is taken', taken
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'report_keys_reference_key', TABLE = 'report_keys';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_keys_references_unused AFTER INSERT ON report_keys
  REFERENCING NEW TABLE AS inserted_keys
  FOR EACH STATEMENT EXECUTE FUNCTION report_keys_references_unused();
