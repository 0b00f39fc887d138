-- Regulator statistics: rollups the worker keeps from analysed reports,
-- campaigns and shared indicators. They hold counts only, so raw reports can
-- expire without changing the published history.

-- What the analyser saw of a report's links, kept for the rollup.
ALTER TABLE reports
  ADD COLUMN link_kind     text CHECK (link_kind IN ('none', 'link', 'shortener')),
  ADD COLUMN link_domains  text[],
  -- counted in the statistics (once, and never again)
  ADD COLUMN stats_at      timestamptz;

CREATE INDEX reports_stats_pending_idx ON reports (id) WHERE stats_at IS NULL AND analysis_error IS NULL;

ALTER TABLE campaigns ADD COLUMN stats_at timestamptz;
-- A cluster counts as a campaign once two subscribers reported it.
CREATE INDEX campaigns_stats_pending_idx ON campaigns (id) WHERE stats_at IS NULL AND reporter_count >= 2;

-- When the consortium first shared an indicator with operators.
ALTER TABLE indicators
  ADD COLUMN shared_at  timestamptz,
  ADD COLUMN stats_at   timestamptz;
UPDATE indicators SET shared_at = updated_at WHERE ever_published;
CREATE INDEX indicators_stats_pending_idx ON indicators (id) WHERE stats_at IS NULL AND shared_at IS NOT NULL;

CREATE FUNCTION indicators_stamp_shared_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ever_published AND NEW.shared_at IS NULL THEN
    -- Reports arriving long after the subscriber sent them (a backlog, a
    -- backfill) would make the delay the backlog's age: then the time of the
    -- report that made the indicator shareable stands for the sharing.
    NEW.shared_at := CASE WHEN NEW.last_seen < now() - interval '1 day' THEN NEW.last_seen ELSE now() END;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER indicators_shared_at BEFORE INSERT OR UPDATE OF ever_published ON indicators
  FOR EACH ROW EXECUTE FUNCTION indicators_stamp_shared_at();

-- Reports by hour and by day, as a data cube: each report is counted once in
-- every cuboid, a cuboid keeping some of the dimensions a regulator can break
-- down or filter by (bit 1 category, 2 origin country, 4 sender type, 8 link
-- kind) and '' in the others. A query reads the one cuboid holding exactly
-- the dimensions it needs, so a year of totals reads a row per operator and
-- day, not every combination. The operator is kept in every cuboid, for the
-- dominance rule and the per-operator view; origin 'ZZ' is unknown.
CREATE TABLE stats_reports (
  grain           text NOT NULL CHECK (grain IN ('hour', 'day')),
  cuboid          smallint NOT NULL CHECK (cuboid BETWEEN 0 AND 15),
  bucket          timestamptz NOT NULL,
  category        text NOT NULL,
  origin_country  text NOT NULL CHECK (origin_country ~ '^([A-Z]{2})?$'),
  sender_type     text NOT NULL CHECK (sender_type IN ('long_number', 'short_code', 'alphanumeric', 'none', '')),
  link_kind       text NOT NULL CHECK (link_kind IN ('none', 'link', 'shortener', '')),
  operator_id     text NOT NULL,
  reports         integer NOT NULL CHECK (reports >= 0),
  PRIMARY KEY (grain, cuboid, bucket, category, origin_country, sender_type, link_kind, operator_id)
);
-- Views filtered by category or country read their rows by that value first.
CREATE INDEX stats_reports_category_idx ON stats_reports (grain, cuboid, category, bucket);
CREATE INDEX stats_reports_country_idx ON stats_reports (grain, cuboid, origin_country, bucket);

-- Domains linked to in spam reports, by ISO week (the domain view's finest
-- grain), as a cube over category (bit 1) and origin country (bit 2).
CREATE TABLE stats_domains (
  week            timestamptz NOT NULL,
  cuboid          smallint NOT NULL CHECK (cuboid BETWEEN 0 AND 3),
  category        text NOT NULL,
  origin_country  text NOT NULL CHECK (origin_country ~ '^([A-Z]{2})?$'),
  domain          text NOT NULL,
  tld             text NOT NULL,
  operator_id     text NOT NULL,
  reports         integer NOT NULL CHECK (reports >= 0),
  PRIMARY KEY (cuboid, week, category, origin_country, domain, operator_id)
);

CREATE TABLE stats_campaigns (
  grain      text NOT NULL CHECK (grain IN ('hour', 'day')),
  bucket     timestamptz NOT NULL,
  category   text NOT NULL,
  campaigns  integer NOT NULL CHECK (campaigns >= 0),
  PRIMARY KEY (grain, bucket, category)
);

CREATE TABLE stats_indicators (
  grain       text NOT NULL CHECK (grain IN ('hour', 'day')),
  bucket      timestamptz NOT NULL,
  category    text NOT NULL,
  type        text NOT NULL,
  indicators  integer NOT NULL CHECK (indicators >= 0),
  PRIMARY KEY (grain, bucket, category, type)
);

-- Time from an indicator's first report to its sharing, as a histogram per day
-- with bins 10% wide (bin b holds delays from 1.1^b - 1 to 1.1^(b+1) - 1 seconds).
CREATE TABLE stats_share_delays (
  day         timestamptz NOT NULL,
  category    text NOT NULL,
  bin         smallint NOT NULL CHECK (bin >= 0),
  indicators  integer NOT NULL CHECK (indicators >= 0),
  PRIMARY KEY (day, category, bin)
);
