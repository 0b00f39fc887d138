import type { Config } from '@srs/config';
import { feedbackFrom, isPublishable, scoreIndicator } from '@srs/core';
import type { DecideFeedback } from '@srs/db';

/**
 * What core makes of the sightings standing on an indicator, whether one was
 * just recorded or taken back: its feedback and status, and for a consortium
 * indicator its score and whether it is shared. One definition for both, so
 * taking a sighting back undoes exactly what recording it did.
 */
export function decideFeedback(scoring: Config['scoring'], now: Date): DecideFeedback {
  return (target, tally) => {
    const next = feedbackFrom(target, tally);
    if (target.publisher !== null) return next;
    const score = scoreIndicator(
      {
        reporters: target.reporters,
        operators: target.operators,
        confidence: target.maxConfidence,
        lastSeen: target.lastSeen,
        feedback: next.feedback,
      },
      scoring,
      now,
    );
    return {
      ...next,
      score,
      publishable: isPublishable({ score, reporters: target.reporters, allowlisted: target.allowlisted, status: next.status }, scoring),
    };
  };
}
