-- The sharing feed: an indicator appears once it has been shared, and every
-- later change to it (score, withdrawal, revocation) appears too.
ALTER TABLE indicators ADD COLUMN ever_published boolean NOT NULL DEFAULT false;
UPDATE indicators SET ever_published = publishable;

CREATE INDEX indicators_feed_idx ON indicators (seq) WHERE ever_published;
CREATE INDEX campaigns_feed_idx ON campaigns (seq) WHERE spam;
