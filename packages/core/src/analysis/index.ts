export {
  analyseMessage,
  senderIndicator,
  INDICATOR_TYPES,
  SPAM_CATEGORIES,
  type IndicatorCandidate,
  type IndicatorType,
  type MessageAnalysis,
  type SpamCategory,
  type TextClassification,
} from './analyse';
export { assignCampaigns, type Assignment, type CampaignCandidate, type Fingerprinted } from './cluster';
export { isPublishable, scoreIndicator, type ScoreInputs, type ScorePolicy } from './score';
export {
  BLOCKED_STEP,
  FALSE_POSITIVE_STEP,
  feedbackFrom,
  INDICATOR_STATUSES,
  REVOKE_OPERATORS,
  SIGHTING_KINDS,
  type FeedbackState,
  type FeedbackSubject,
  type IndicatorStatus,
  type SightingKind,
  type SightingTally,
} from './feedback';
export {
  campaignVerdict,
  DEFAULT_VERDICT_WEIGHTS,
  logit,
  type CampaignEvidence,
  type Verdict,
  type VerdictTerm,
  type VerdictWeights,
} from './verdict';
