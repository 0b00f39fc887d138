-- What an indicator was shared as over time, for the operators' portal's
-- look-up ("confidence over time"): a row each time a shared indicator's
-- confidence moves by a hundredth or more, its status changes, or it is
-- shared or withdrawn. Written by triggers, so every writer (the analyser,
-- feedback, expiry, publishing, TAXII) is heard without each remembering to.
-- The feed id (`c<n>` or `p<n>`) names the indicator, as sightings do.
CREATE TABLE indicator_history (
  indicator_id  text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  confidence    real NOT NULL,
  status        text NOT NULL,
  shared        boolean NOT NULL
);
CREATE INDEX indicator_history_idx ON indicator_history (indicator_id, at DESC);

CREATE FUNCTION indicator_history_consortium() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO indicator_history (indicator_id, confidence, status, shared)
  VALUES ('c' || NEW.id, NEW.score, NEW.status, NEW.publishable);
  RETURN NULL;
END $$;

CREATE FUNCTION indicator_history_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO indicator_history (indicator_id, confidence, status, shared)
  VALUES ('p' || NEW.id, NEW.confidence, NEW.status, NEW.status = 'active');
  RETURN NULL;
END $$;

-- The consortium's indicators count from their first publication: before it no operator saw them.
CREATE TRIGGER indicators_history_insert AFTER INSERT ON indicators
  FOR EACH ROW WHEN (NEW.ever_published) EXECUTE FUNCTION indicator_history_consortium();
CREATE TRIGGER indicators_history_update AFTER UPDATE OF score, status, publishable, ever_published ON indicators
  FOR EACH ROW WHEN (NEW.ever_published AND (
    OLD.ever_published IS DISTINCT FROM NEW.ever_published
    OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.publishable IS DISTINCT FROM NEW.publishable
    OR round(OLD.score::numeric, 2) IS DISTINCT FROM round(NEW.score::numeric, 2)))
  EXECUTE FUNCTION indicator_history_consortium();

CREATE TRIGGER published_history_insert AFTER INSERT ON published_indicators
  FOR EACH ROW EXECUTE FUNCTION indicator_history_published();
CREATE TRIGGER published_history_update AFTER UPDATE OF confidence, status ON published_indicators
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR round(OLD.confidence::numeric, 2) IS DISTINCT FROM round(NEW.confidence::numeric, 2))
  EXECUTE FUNCTION indicator_history_published();

-- What was shared before this migration: one point, as it stands now.
INSERT INTO indicator_history (indicator_id, at, confidence, status, shared)
  SELECT 'c' || id, updated_at, score, status, publishable FROM indicators WHERE ever_published;
INSERT INTO indicator_history (indicator_id, at, confidence, status, shared)
  SELECT 'p' || id, updated_at, confidence, status, status = 'active' FROM published_indicators;
