-- A campaign shares what its first k reporters' masked texts have in common
-- (core commonText), never one subscriber's message: the raw first report kept
-- as sample_text goes, and with it the copy of a body that outlived the
-- report's retention. text_reporters counts the reporters folded into
-- shared_text so far; the feed shows it once that reaches k.
ALTER TABLE campaigns ADD COLUMN shared_text text, ADD COLUMN text_reporters integer NOT NULL DEFAULT 0;
-- Campaigns found before: their first reporter's masked text, one reporter's worth.
UPDATE campaigns SET shared_text = masked_text, text_reporters = 1;
ALTER TABLE campaigns DROP COLUMN sample_text;
