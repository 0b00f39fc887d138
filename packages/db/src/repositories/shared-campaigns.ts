/** The campaigns operators are shown: spam now, or once (a verdict that turned is shown as a withdrawal). */
export const SHARED_CAMPAIGN = '(spam OR ever_spam)';

/** A campaign's sample text as shared: only once `k` distinct reporters sent it (SHARE_TEXT_MIN_REPORTERS). */
export const sharedCampaignText = (k: string) => `CASE WHEN text_reporters >= ${k} THEN shared_text END`;

/**
 * The SQL of a campaign time as other operators are shown it (first and last
 * seen, updated, STIX created): to the minute, and to the hour while fewer than
 * k distinct subscribers reported the campaign. A campaign one subscriber
 * reported, timed to the millisecond, could be lined up with the SMS traffic
 * an operator carries to find that subscriber. Truncated in UTC, so the hour
 * is the same on every server. `k` is SHARE_TEXT_MIN_REPORTERS, the k that
 * also holds back the sample text.
 */
export function sharedCampaignTime(column: string, reporters: string, k: string): string {
  return `date_trunc(CASE WHEN ${reporters} >= ${k} THEN 'minute' ELSE 'hour' END, ${column}, 'UTC')`;
}
