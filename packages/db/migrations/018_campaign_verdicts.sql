-- Issue 25. A campaign's verdict (spam or not, category, probability) comes
-- from all the evidence, not from the classifier alone: the classifier's
-- probability, distinct reporters and operators and how fast they came, the
-- senders, the links, operator feedback. `spam`, `category` and `confidence`
-- now hold the verdict; what the classifier said is kept beside it.
ALTER TABLE campaigns
  -- the classifier's view: the mean log-odds over the campaign's analysed texts
  ADD COLUMN model_logit_sum   double precision NOT NULL DEFAULT 0,
  ADD COLUMN model_texts       integer NOT NULL DEFAULT 0,
  -- the kind of spam the texts read as, whatever the classifier decided
  ADD COLUMN spam_category     text,
  -- a text asked for money or credentials through a link or a number
  ADD COLUMN lure              boolean NOT NULL DEFAULT false,
  -- distinct reporters whose first report came within an hour of the first one
  ADD COLUMN early_reporters   integer NOT NULL DEFAULT 0,
  -- what its indicators show, kept as they are added (a campaign may hold thousands)
  ADD COLUMN sender_long_number     boolean NOT NULL DEFAULT false,
  ADD COLUMN sender_short_code      boolean NOT NULL DEFAULT false,
  ADD COLUMN sender_alphanumeric    boolean NOT NULL DEFAULT false,
  ADD COLUMN sender_allowlisted     boolean NOT NULL DEFAULT false,
  ADD COLUMN link_shortener         boolean NOT NULL DEFAULT false,
  -- a domain first reported less than a day before it was seen here
  ADD COLUMN link_new_domain        boolean NOT NULL DEFAULT false,
  -- a domain on the allowlist: a legitimate sender's own
  ADD COLUMN link_legitimate_domain boolean NOT NULL DEFAULT false,
  -- a link to a domain not on the allowlist, or through a shortener: where a spoofed sender ID leads
  ADD COLUMN link_unlisted_domain   boolean NOT NULL DEFAULT false,
  -- each term of the verdict's log-odds, for the record and for the portal
  ADD COLUMN verdict_terms     jsonb,
  ADD COLUMN verdict_at        timestamptz,
  -- operator feedback arrived: the analyser decides again
  ADD COLUMN verdict_due       boolean NOT NULL DEFAULT false,
  -- the category its count in stats_campaigns sits under
  ADD COLUMN stats_category    text,
  -- it was spam once, so operators heard of it: a verdict that turns is sent as a withdrawal
  ADD COLUMN ever_spam         boolean NOT NULL DEFAULT false;

UPDATE campaigns SET spam_category = CASE WHEN spam THEN category ELSE 'other' END,
                     model_logit_sum = ln(greatest(least(CASE WHEN spam THEN confidence ELSE 1 - confidence END, 0.999), 0.001)
                                          / (1 - greatest(least(CASE WHEN spam THEN confidence ELSE 1 - confidence END, 0.999), 0.001))),
                     model_texts = 1,
                     stats_category = CASE WHEN stats_at IS NOT NULL THEN category END,
                     ever_spam = spam;
ALTER TABLE campaigns ALTER COLUMN spam_category SET DEFAULT 'other', ALTER COLUMN spam_category SET NOT NULL;

UPDATE campaigns c SET sender_long_number = f.long_number, sender_short_code = f.short_code, sender_alphanumeric = f.alphanumeric,
                       sender_allowlisted = f.sender_allowlisted, link_shortener = f.shortener, link_legitimate_domain = f.legitimate_domain,
                       link_unlisted_domain = f.unlisted_domain
  FROM (SELECT ci.campaign_id,
               bool_or(i.type = 'sender_msisdn') AS long_number, bool_or(i.type = 'sender_short_code') AS short_code,
               bool_or(i.type = 'sender_alphanumeric') AS alphanumeric,
               bool_or(i.type LIKE 'sender\_%' AND i.allowlisted) AS sender_allowlisted,
               bool_or(i.shortener) AS shortener, bool_or(i.type = 'domain' AND i.allowlisted AND NOT i.shortener) AS legitimate_domain,
               bool_or(i.shortener OR (i.type = 'domain' AND NOT i.allowlisted)) AS unlisted_domain
          FROM campaign_indicators ci JOIN indicators i ON i.id = ci.indicator_id GROUP BY ci.campaign_id) f
 WHERE c.id = f.campaign_id;

-- Operator feedback on a campaign: each operator one voice each way, whichever of its indicators it was given on.
CREATE TABLE campaign_feedback (
  campaign_id  bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('blocked', 'false_positive')),
  operator_id  text NOT NULL REFERENCES operators (id),
  PRIMARY KEY (campaign_id, kind, operator_id)
);
INSERT INTO campaign_feedback (campaign_id, kind, operator_id)
SELECT DISTINCT ci.campaign_id, s.kind, s.operator_id
  FROM sightings s JOIN campaign_indicators ci ON s.indicator_id = 'c' || ci.indicator_id;

-- The feed and TAXII page over the campaigns operators heard of, withdrawals included.
CREATE INDEX campaigns_feed_shared_idx ON campaigns (seq) WHERE spam OR ever_spam;
CREATE INDEX campaigns_taxii_shared_idx ON campaigns (taxii_date_added) WHERE spam OR ever_spam;
DROP INDEX campaigns_feed_idx;
DROP INDEX campaigns_taxii_idx;
CREATE INDEX campaigns_verdict_due_idx ON campaigns (id) WHERE verdict_due;
CREATE INDEX campaigns_stats_moved_idx ON campaigns (id) WHERE stats_category IS DISTINCT FROM category AND stats_at IS NOT NULL;

-- An indicator's campaigns, to carry a verdict to the indicators it found.
CREATE INDEX campaign_indicators_indicator_idx ON campaign_indicators (indicator_id);

ALTER TABLE reports
  -- the model version that judged the text
  ADD COLUMN model_version    text,
  -- the category its counts in the statistics sit under: when its campaign's
  -- verdict moves it, the rollup moves them (once) to the new one
  ADD COLUMN stats_category   text;

UPDATE reports SET stats_category = category WHERE stats_at IS NOT NULL;

CREATE INDEX reports_stats_moved_idx ON reports (id) WHERE stats_at IS NOT NULL AND stats_category IS DISTINCT FROM category;
