-- Operators' own indicators, published through the sharing API. Idempotent on
-- the operator's own id for each; TLP:RED ones are never shown to anyone else.
CREATE TABLE published_indicators (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  operator_id  text NOT NULL REFERENCES operators (id),
  client_id    text NOT NULL,
  type         text NOT NULL CHECK (type IN ('url', 'domain', 'phone', 'email', 'sender_msisdn', 'sender_short_code', 'sender_alphanumeric')),
  value        text NOT NULL,
  category     text NOT NULL,
  tlp          text NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  confidence   real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  description  text,
  valid_until  timestamptz,
  feedback     real NOT NULL DEFAULT 0,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
  seq          bigint NOT NULL DEFAULT nextval('change_seq'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT published_indicators_client_unique UNIQUE (operator_id, client_id)
);
CREATE INDEX published_indicators_seq_idx ON published_indicators (seq);

-- What operators saw of an indicator: blocked messages, or a false positive.
CREATE TABLE sightings (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  operator_id   text NOT NULL REFERENCES operators (id),
  client_id     text NOT NULL,
  indicator_id  text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('blocked', 'false_positive')),
  count         integer NOT NULL DEFAULT 1 CHECK (count > 0),
  observed_at   timestamptz NOT NULL,
  seq           bigint NOT NULL DEFAULT nextval('change_seq'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sightings_client_unique UNIQUE (operator_id, client_id)
);
CREATE INDEX sightings_indicator_idx ON sightings (indicator_id);

-- Who read or wrote what through the sharing API.
CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  key_id        text,
  operator_id   text,
  regulator_id  text,
  method        text NOT NULL,
  path          text NOT NULL,
  status        integer NOT NULL,
  request_id    text
);
CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at);
