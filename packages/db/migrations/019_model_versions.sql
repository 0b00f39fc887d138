-- Versions of the spam classifier's model (issue 25, point 3: learning from
-- operators). `srs model train` makes one from the shipped corpora and the
-- operators' verdicts (sightings), compares it with the active one on held-out
-- splits and activates it only when no figure fell; `srs model activate`
-- switches back. The worker reads the active version every few seconds and
-- swaps its classifier without a restart.
--
-- No row active (or none at all): the model shipped in @srs/classifier judges.
-- A row without an artifact stands for that shipped model, at its version, so
-- that it can be listed and activated again (rolled back to) like the others.
CREATE TABLE model_versions (
  version       text PRIMARY KEY CHECK (version ~ '^[0-9A-Za-z][0-9A-Za-z.+_-]{0,99}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- the model JSON (ModelData of @srs/classifier): hashed feature weights, no text
  artifact      jsonb,
  -- held-out figures: per corpus and on the operators' held-out verdicts
  metrics       jsonb NOT NULL DEFAULT '{}',
  active        boolean NOT NULL DEFAULT false,
  activated_at  timestamptz,
  notes         text
);

-- One active version at most.
CREATE UNIQUE INDEX model_versions_one_active_idx ON model_versions ((true)) WHERE active;
