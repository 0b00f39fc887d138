-- The kind of spam a campaign reads as follows the text the classifier is
-- surest of: that text's log-odds, kept so a later text replaces the kind only
-- when the classifier is surer of it. Compared with the campaign's mean
-- instead, nearly every batch held a text above the mean, so the kind flapped
-- between batches, and each flap rewrote the campaign's earlier reports and
-- moved their counts in the statistics.
ALTER TABLE campaigns ADD COLUMN spam_category_logit double precision;
UPDATE campaigns SET spam_category_logit = model_logit_sum / model_texts WHERE model_texts > 0;
