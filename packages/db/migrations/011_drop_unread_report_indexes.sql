-- Two indexes of reports that no query reads (docs/DATABASE.md, "Queries and
-- their indexes"), and that every report paid for three times: once stored,
-- and again each time the analyser and the rollup update it, since neither
-- update can be HOT (each changes a column of a partial index's condition).
-- Dropping them took about a tenth off the PostgreSQL CPU of each report in
-- the bench's worker run.
--
-- reports_reporter_idx: a subscriber's STATUS is looked up by reference; rate
-- limits and conversations live in Redis.
-- reports_campaign_idx: campaigns are never deleted or renumbered, so the
-- foreign key from reports never has to find the reports of one.
DROP INDEX reports_reporter_idx;
DROP INDEX reports_campaign_idx;
