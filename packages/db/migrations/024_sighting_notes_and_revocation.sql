-- Issue 29, point 4: the portal's feedback. An operator's sighting carries an
-- optional note of its own, may be taken back by that operator, and the
-- operator reads its own feedback history, newest first.

-- The note is the operator's own: it is answered to that operator, never
-- served to others (not in TAXII, not in the feed). A revoked sighting keeps
-- its row: TAXII serves it as a revoked version, and the history shows it.
ALTER TABLE sightings
  ADD COLUMN note text CONSTRAINT sightings_note_length CHECK (char_length(note) BETWEEN 1 AND 500),
  ADD COLUMN revoked_at timestamptz;

-- An operator's history, newest first, paged by row id.
CREATE INDEX sightings_operator_idx ON sightings (operator_id, id);

-- Feedback may now be taken back, so a revocation must say whose it is: one
-- that operators' feedback made is lifted when the sightings behind it are
-- withdrawn; one the publisher made as publisher (a STIX revoked version, a
-- peer's revocation or removal) stands until it publishes again. Consortium
-- indicators need no column: only feedback ever revokes them.
ALTER TABLE published_indicators
  ADD COLUMN feedback_revoked boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT published_indicators_feedback_revoked CHECK (NOT feedback_revoked OR status = 'revoked');
-- Revocations made before this migration stand, as they did when they were
-- made: which of them feedback made is not recorded, and a publisher's
-- revocation must never be lifted by mistake. The publisher revives one by
-- publishing it again.
