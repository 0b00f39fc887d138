-- Scope `attest`: the operator vouches that the reporter numbers an app key
-- sends were verified (subscriber login, network header enrichment). Without
-- it, the numbers an app key claims are not evidence of distinct subscribers:
-- the analyser counts all of that key's reporters as one.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check
  CHECK (scopes <@ ARRAY['report', 'attest', 'read', 'publish', 'feedback', 'admin', 'stats']::text[]);
