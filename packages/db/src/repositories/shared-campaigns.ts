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

/** A shared campaign as the operators' portal shows it (Now, look-up, campaign page): the feed's sharing rules, counts only. */
export interface PortalCampaign {
  /** its STIX uuid: the id TAXII gives it (`campaign--<uuid>`); neither orders nor counts campaigns */
  stixUuid: string;
  category: string;
  /** the verdict: spam or not, and its probability */
  spam: boolean;
  confidence: number;
  /** null until enough distinct reporters reported it */
  sampleText: string | null;
  reporters: number;
  operators: number;
  firstSeen: Date;
  lastSeen: Date;
  /** the viewer's own operator reported it; other operators only ever as a count */
  ownReported: boolean;
}

/** The columns of a PortalCampaign, of `campaigns c`, with `k` (SHARE_TEXT_MIN_REPORTERS) and the viewing operator as parameters. */
export const portalCampaignColumns = (k: string, viewer: string) =>
  `c.stix_uuid::text AS "stixUuid", c.category, c.spam, c.confidence, ${sharedCampaignText(k)} AS "sampleText",
   c.reporter_count AS reporters, c.operator_count AS operators,
   ${sharedCampaignTime('c.first_seen', 'c.reporter_count', k)} AS "firstSeen",
   ${sharedCampaignTime('c.last_seen', 'c.reporter_count', k)} AS "lastSeen",
   EXISTS (SELECT 1 FROM campaign_operators co WHERE co.campaign_id = c.id AND co.operator_id = ${viewer}) AS "ownReported"`;
