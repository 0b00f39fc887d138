export { analyseMessage, senderIndicator, INDICATOR_TYPES, type IndicatorCandidate, type IndicatorType, type MessageAnalysis, type TextClassification } from './analyse';
export { assignCampaigns, type Assignment, type CampaignCandidate, type Fingerprinted } from './cluster';
export { isPublishable, scoreIndicator, type ScoreInputs, type ScorePolicy } from './score';
export { applySighting, BLOCKED_STEP, FALSE_POSITIVE_STEP, REVOKE_AT, type FeedbackState, type SightingInput } from './feedback';
