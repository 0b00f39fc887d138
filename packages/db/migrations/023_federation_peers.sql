-- Federation (issue 27, point 5): this deployment pulls the TAXII 2.1
-- collections of peer deployments (other countries' consortia) and offers
-- their indicators to its own operators as indicators published by a
-- participant named `peer:<name>`. That participant holds no keys; it only
-- gives the peer's indicators a publisher, so the feed, TAXII (a collection
-- of its own), the stream and webhooks serve them with source `peer:<name>`.
ALTER TABLE operators DROP CONSTRAINT operators_id_check;
ALTER TABLE operators ADD CONSTRAINT operators_id_check
  CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$' OR id ~ '^peer:[a-z0-9][a-z0-9-]{0,57}$');

CREATE TABLE federation_peers (
  name                text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,57}$'),
  operator_id         text NOT NULL UNIQUE REFERENCES operators (id) CHECK (operator_id = 'peer:' || name),
  api_root            text NOT NULL,
  -- NULL: every collection the peer lets this deployment read
  collection_id       text,
  auth_kind           text NOT NULL CHECK (auth_kind IN ('basic', 'bearer')),
  -- the password or token, AES-256-GCM sealed (core seal) under a key derived from MSISDN_ENCRYPTION_KEY
  username            text,
  secret_sealed       text NOT NULL,
  -- the highest TLP the peer lets this deployment pass on to its operators (never RED)
  tlp_grant           text NOT NULL CHECK (tlp_grant IN ('clear', 'green', 'amber', 'amber+strict')),
  interval_seconds    integer NOT NULL CHECK (interval_seconds > 0),
  next_pull_at        timestamptz NOT NULL DEFAULT now(),
  last_pull_at        timestamptz,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((auth_kind = 'basic') = (username IS NOT NULL))
);

-- Where each pull resumes: the X-TAXII-Date-Added-Last the peer last sent, as it wrote it.
CREATE TABLE federation_cursors (
  peer           text NOT NULL REFERENCES federation_peers (name) ON DELETE CASCADE,
  collection_id  text NOT NULL,
  added_after    text NOT NULL,
  PRIMARY KEY (peer, collection_id)
);

-- Every indicator a peer sent, the latest version as sent: offered on
-- (published_indicator_id) or withheld (above the grant, TLP:RED, a pattern
-- naming no SMS indicator). A STIX id is held from one origin only.
CREATE TABLE federation_imports (
  peer                    text NOT NULL REFERENCES federation_peers (name) ON DELETE CASCADE,
  stix_id                 text NOT NULL,
  modified                timestamptz NOT NULL,
  peer_tlp                text NOT NULL CHECK (peer_tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  withheld                text CHECK (withheld IN ('above-grant', 'unsupported-pattern')),
  object                  jsonb NOT NULL,
  published_indicator_id  bigint REFERENCES published_indicators (id),
  imported_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (peer, stix_id)
);
CREATE INDEX federation_imports_stix_idx ON federation_imports (stix_id);
