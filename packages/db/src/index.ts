export { createPool, ping, type Pool, type PoolClient, type PoolSettings } from './pool';
export { FEED_WRITE_LOCK, inFeedTransaction, inTransaction } from './transaction';
export { NOTIFY_CHANNELS, PgListener, type Notice, type NotifyChannel, type PgListenerOptions } from './notifications';
export { migrate, readMigrations, MIGRATIONS_DIR, type Migration } from './migrate';
export { ensureDatabase, dropDatabase } from './database';
export { seedDemoConsortium, DEMO_CONSORTIUM } from './seed';
export {
  ReportsRepository,
  REFERENCE_TAKEN_CONSTRAINT,
  type NewReport,
  type ReportRow,
  type ReportCoding,
  type ReportKey,
  type ReportStatus,
  type Completion,
} from './repositories/reports-repository';
export {
  ApiKeysRepository,
  type ApiKeyRow,
  type ApiScope,
  type IssueApiKey,
  type KeyOwner,
  type NewApiKeyRow,
} from './repositories/api-keys-repository';
export { ParticipantsRepository, type OperatorRow, type RegulatorRow } from './repositories/participants-repository';
export {
  AnalysisRepository,
  type AnalyserLeadership,
  type AnalysedReportInput,
  type BatchResult,
  type CampaignCandidateRow,
  type IndicatorInput,
  type IndicatorScoreRow,
  type NewCampaignInput,
  type PendingReport,
  type SharedTextPolicy,
} from './repositories/analysis-repository';
export { type CampaignEvidenceRow, type CampaignVerdictRow, type DecideVerdict } from './repositories/campaign-verdicts';
export { ExpiryRepository } from './repositories/expiry-repository';
export { RpzRepository, type RpzSource, type RpzZone } from './repositories/rpz-repository';
export {
  FeedRepository,
  GROWTH_HOURS,
  RECENT_HOURS,
  type CampaignChange,
  type IndicatorChange,
  type IndicatorFilter,
  type RecentCampaign,
} from './repositories/feed-repository';
export { type LookupCampaign, type LookupCandidate, type LookupIndicator } from './repositories/portal-lookup';
export { type PortalCampaign } from './repositories/shared-campaigns';
export {
  TIMELINE_DAYS,
  type CampaignIndicator,
  type CampaignPage,
  type CampaignSummary,
  type CampaignTimeline,
  type RelatedCampaign,
  type TimelineBucket,
} from './repositories/campaign-page';
export { HISTORY_POINTS, type IndicatorHistoryPoint } from './repositories/indicator-history';
export {
  SharingRepository,
  StixIdTakenError,
  type PublishInput,
  type PublishedRow,
  type RecordedSighting,
  type SightingInput as SightingRecord,
} from './repositories/sharing-repository';
export { type DecideFeedback, type FeedbackDecision, type SightingTarget } from './repositories/sighting-feedback';
export { type SightingHistoryFilter, type SightingHistoryRow } from './repositories/sighting-history';
export {
  cubeDimensions,
  measureDimensions,
  StatsRepository,
  type DomainCountRow,
  type DomainCubeRow,
  type StatsCubeRow,
  type LiveCountRow,
  type ShareDelayRow,
  type StatsMeasure,
  type StatsMetaRow,
} from './repositories/stats-repository';
export {
  StatsRollupRepository,
  type CategoryCountIncrement,
  type DomainCountIncrement,
  type ReportCountIncrement,
  type ShareDelayIncrement,
  type StatsCampaignRow,
  type StatsIndicatorRow,
  type StatsReportRow,
} from './repositories/stats-rollup-repository';
export { PartitionsRepository, type DropOutcome, type PartitionedTable, type PartitionRow } from './repositories/partitions-repository';
export { AuditRepository, type AuditEntry, type AuditRow } from './repositories/audit-repository';
export {
  WebhooksRepository,
  type DeliveryLimits,
  type NewWebhookDelivery,
  type NewWebhookSubscription,
  type QueuedDelivery,
  type SubscriptionBacklog,
  type WebhookAttemptRecord,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookDeliveryStatus,
  type WebhookDeliveryTarget,
  type WebhookEventType,
  type WebhookSecretRow,
  type WebhookSubscriptionPatch,
  type WebhookSubscriptionRow,
  type WebhookSubscriptionStatus,
} from './repositories/webhooks-repository';
export {
  TaxiiRepository,
  type TaxiiCampaignRow,
  type TaxiiIdentityRow,
  type TaxiiIndicatorRow,
  type TaxiiObjectRow,
  type TaxiiPageQuery,
  type TaxiiPosition,
  type TaxiiSightingRow,
  type TaxiiStatusRow,
} from './repositories/taxii-repository';
export { type PostedStix } from './repositories/posted-stix';
export {
  ModelRepository,
  ModelVersionError,
  type ActiveModelRow,
  type ModelVersionRow,
  type NewModelVersion,
  type OperatorLabelRow,
} from './repositories/model-repository';
export {
  FederationRepository,
  peerOperatorId,
  type DuePeer,
  type NewPeer,
  type PeerAuthKind,
  type PeerImportOutcome,
  type PeerRow,
} from './repositories/federation-repository';
