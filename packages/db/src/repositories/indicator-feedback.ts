/**
 * The feedback (sightings) an indicator received, as the portal shows it
 * beside the indicator: messages blocked and false positives reported, summed
 * over every operator's sightings still standing (one taken back no longer
 * says anything), and when the last came. A LATERAL join on the feed id
 * (`c<n>` or `p<n>`) of an indicator row.
 */
export const indicatorFeedbackCounts = {
  join: (feedId: string) => `LEFT JOIN LATERAL (
         SELECT sum(count) FILTER (WHERE kind = 'blocked')::int AS blocked,
                sum(count) FILTER (WHERE kind = 'false_positive')::int AS "falsePositive",
                max(created_at) AS "lastFeedbackAt"
           FROM sightings WHERE indicator_id = ${feedId} AND revoked_at IS NULL) fb ON true`,
  columns: `COALESCE(fb.blocked, 0) AS blocked, COALESCE(fb."falsePositive", 0) AS "falsePositive", fb."lastFeedbackAt"`,
};
