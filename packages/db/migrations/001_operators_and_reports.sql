-- Participants of the consortium and the reports their subscribers send.

CREATE TABLE operators (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL,
  country     char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE regulators (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL,
  country     char(2) CHECK (country ~ '^[A-Z]{2}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per SMS a subscriber sent to the short code. The reporter is kept only
-- as a keyed HMAC pseudonym; the number itself never reaches this database.
CREATE TABLE reports (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference           text NOT NULL UNIQUE,
  operator_id         text NOT NULL REFERENCES operators (id),
  gateway             text NOT NULL,
  gateway_message_id  text NOT NULL,
  reporter_pseudonym  text NOT NULL,
  short_code          text NOT NULL,
  body                text NOT NULL,
  coding              text CHECK (coding IN ('gsm7', '8bit', 'ucs2')),
  smsc                text,
  status              text NOT NULL DEFAULT 'received',
  received_at         timestamptz NOT NULL,
  stored_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reports_gateway_message_unique UNIQUE (operator_id, gateway, gateway_message_id)
);

CREATE INDEX reports_reporter_idx ON reports (reporter_pseudonym, received_at DESC);
CREATE INDEX reports_received_at_idx ON reports (received_at);
