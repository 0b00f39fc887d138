-- Intelligence derived from reports: campaigns (near-duplicate clusters of
-- masked texts) and indicators (URLs, domains, numbers, senders, e-mails),
-- counted by distinct reporters and operators and scored for sharing.
-- Everything here can be rebuilt from the reports; the analyser writes it in
-- batches, one transaction per batch.

-- Every change to a campaign or an indicator takes the next value: the sharing
-- feed pages over it, in the order the server recorded the changes.
CREATE SEQUENCE change_seq;

CREATE TABLE campaigns (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  simhash          text NOT NULL CHECK (simhash ~ '^[0-9a-f]{16}$'),
  fingerprint      text NOT NULL,
  sample_text      text NOT NULL,
  masked_text      text NOT NULL,
  spam             boolean NOT NULL,
  category         text NOT NULL,
  confidence       real NOT NULL,
  language         text NOT NULL,
  first_seen       timestamptz NOT NULL,
  last_seen        timestamptz NOT NULL,
  report_count     integer NOT NULL DEFAULT 0,
  reporter_count   integer NOT NULL DEFAULT 0,
  operator_count   integer NOT NULL DEFAULT 0,
  seq              bigint NOT NULL DEFAULT nextval('change_seq'),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_seq_idx ON campaigns (seq);

-- LSH: a campaign is found by any band of its SimHash, never by a scan.
CREATE TABLE campaign_bands (
  band         text NOT NULL,
  campaign_id  bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  PRIMARY KEY (band, campaign_id)
);

CREATE TABLE campaign_reporters (
  campaign_id         bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  reporter_pseudonym  text NOT NULL,
  PRIMARY KEY (campaign_id, reporter_pseudonym)
);

CREATE TABLE campaign_operators (
  campaign_id  bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  operator_id  text NOT NULL REFERENCES operators (id),
  PRIMARY KEY (campaign_id, operator_id)
);

-- The same reporter reporting the same (masked) text again counts once.
CREATE TABLE reporter_texts (
  reporter_pseudonym  text NOT NULL,
  fingerprint         text NOT NULL,
  PRIMARY KEY (reporter_pseudonym, fingerprint)
);

CREATE TABLE indicators (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type             text NOT NULL CHECK (type IN ('url', 'domain', 'phone', 'email', 'sender_msisdn', 'sender_short_code', 'sender_alphanumeric')),
  value            text NOT NULL,
  -- punycode of a domain (or of a URL's host), when it differs from the value
  ascii            text,
  shortener        boolean NOT NULL DEFAULT false,
  category         text NOT NULL,
  max_confidence   real NOT NULL,
  first_seen       timestamptz NOT NULL,
  last_seen        timestamptz NOT NULL,
  report_count     integer NOT NULL DEFAULT 0,
  reporter_count   integer NOT NULL DEFAULT 0,
  operator_count   integer NOT NULL DEFAULT 0,
  -- operator feedback (sightings): positive confirms, negative disputes
  feedback         real NOT NULL DEFAULT 0,
  score            real NOT NULL DEFAULT 0,
  allowlisted      boolean NOT NULL DEFAULT false,
  publishable      boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
  seq              bigint NOT NULL DEFAULT nextval('change_seq'),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT indicators_type_value_unique UNIQUE (type, value)
);
CREATE INDEX indicators_seq_idx ON indicators (seq);

CREATE TABLE indicator_reporters (
  indicator_id        bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
  reporter_pseudonym  text NOT NULL,
  PRIMARY KEY (indicator_id, reporter_pseudonym)
);

CREATE TABLE indicator_operators (
  indicator_id  bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
  operator_id   text NOT NULL REFERENCES operators (id),
  PRIMARY KEY (indicator_id, operator_id)
);

CREATE TABLE campaign_indicators (
  campaign_id   bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  indicator_id  bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
  PRIMARY KEY (campaign_id, indicator_id)
);

-- Legitimate senders and domains: counted, never published.
CREATE TABLE allowlist (
  type        text NOT NULL CHECK (type IN ('url', 'domain', 'phone', 'email', 'sender_msisdn', 'sender_short_code', 'sender_alphanumeric')),
  value       text NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (type, value)
);

ALTER TABLE reports
  ADD COLUMN campaign_id        bigint REFERENCES campaigns (id),
  ADD COLUMN fingerprint        text,
  ADD COLUMN simhash            text,
  ADD COLUMN spam               boolean,
  ADD COLUMN category           text,
  ADD COLUMN confidence         real,
  ADD COLUMN text_language      text,
  -- counted in its campaign (false: the same reporter sent the same text before)
  ADD COLUMN counted            boolean,
  ADD COLUMN analysed_at        timestamptz,
  ADD COLUMN sender_indexed_at  timestamptz,
  ADD COLUMN analysis_error     text;

-- The analyser's work lists stay small however many reports there are.
CREATE INDEX reports_unanalysed_idx ON reports (id) WHERE analysed_at IS NULL AND analysis_error IS NULL;
CREATE INDEX reports_sender_unindexed_idx ON reports (id)
  WHERE analysed_at IS NOT NULL AND sender_value IS NOT NULL AND sender_indexed_at IS NULL AND analysis_error IS NULL;
CREATE INDEX reports_campaign_idx ON reports (campaign_id);

-- Well-known brands whose own domains and sender IDs appear in reports because
-- scammers impersonate them: blocking them would block the real messages.
-- Operators add their own (and their short codes are added at start-up).
INSERT INTO allowlist (type, value, reason) VALUES
  ('domain', 'royalmail.com', 'well-known brand'),
  ('domain', 'usps.com', 'well-known brand'),
  ('domain', 'dhl.com', 'well-known brand'),
  ('domain', 'fedex.com', 'well-known brand'),
  ('domain', 'ups.com', 'well-known brand'),
  ('domain', 'laposte.fr', 'well-known brand'),
  ('domain', 'amazon.com', 'well-known brand'),
  ('domain', 'amazon.co.uk', 'well-known brand'),
  ('domain', 'paypal.com', 'well-known brand'),
  ('domain', 'apple.com', 'well-known brand'),
  ('domain', 'google.com', 'well-known brand'),
  ('domain', 'microsoft.com', 'well-known brand'),
  ('domain', 'netflix.com', 'well-known brand'),
  ('domain', 'gov.uk', 'government'),
  ('domain', 'gouv.fr', 'government'),
  ('domain', 'ameli.fr', 'government'),
  ('sender_alphanumeric', 'ROYALMAIL', 'well-known brand'),
  ('sender_alphanumeric', 'DHL', 'well-known brand'),
  ('sender_alphanumeric', 'AMAZON', 'well-known brand'),
  ('sender_alphanumeric', 'PAYPAL', 'well-known brand'),
  ('sender_alphanumeric', 'APPLE', 'well-known brand'),
  ('sender_alphanumeric', 'GOOGLE', 'well-known brand'),
  ('sender_alphanumeric', 'MICROSOFT', 'well-known brand'),
  ('sender_alphanumeric', 'HMRC', 'government'),
  ('sender_alphanumeric', 'NHS', 'government');
