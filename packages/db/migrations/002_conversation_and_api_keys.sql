-- The short-code conversation: a report may wait for its sender, and is
-- completed with one, or without one (timeout, superseded, subscriber unsure).
ALTER TABLE reports
  ADD COLUMN channel          text,
  ADD COLUMN language         text CHECK (language IN ('en', 'fr', 'es', 'ar', 'zh')),
  ADD COLUMN awaiting_sender  boolean NOT NULL DEFAULT false,
  ADD COLUMN sender_kind      text CHECK (sender_kind IN ('msisdn', 'short_code', 'alphanumeric')),
  ADD COLUMN sender_value     text,
  ADD COLUMN sender_display   text,
  ADD COLUMN completion       text CHECK (completion IN ('sender', 'one_message', 'no_sender_timeout', 'no_sender_superseded', 'no_sender_unknown')),
  ADD COLUMN completed_at     timestamptz,
  ADD CONSTRAINT reports_status_check CHECK (status IN ('received', 'confirmed_spam', 'not_spam', 'sender_blocked'));

UPDATE reports SET completion = 'no_sender_timeout', completed_at = stored_at WHERE completion IS NULL;

CREATE INDEX reports_awaiting_sender_idx ON reports (received_at) WHERE awaiting_sender;

-- API keys of operators (and, later, regulators). Only a SHA-256 of the key is
-- kept; the prefix finds the row, the hash is compared in constant time.
CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  operator_id   text REFERENCES operators (id),
  regulator_id  text REFERENCES regulators (id),
  name          text NOT NULL DEFAULT '',
  prefix        text NOT NULL UNIQUE,
  hash          text NOT NULL,
  scopes        text[] NOT NULL CHECK (scopes <@ ARRAY['report', 'read', 'publish', 'feedback', 'admin', 'stats']::text[]),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT api_keys_one_owner CHECK (num_nonnulls(operator_id, regulator_id) = 1)
);
