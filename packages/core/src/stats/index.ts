export { bucketStart, bucketsBetween, nextBucket, parentGrain, GRAINS, type Grain } from './buckets';
export { binMiddle, delayBin, histogramQuantile } from './delay-histogram';
export { isSensitive, protectTable, type Cell, type DisclosureRules, type SumGroup } from './disclosure';
export { determinedUnknowns } from './linear-system';
export { linkFeatures, senderOrigin, topLevelDomain, UNKNOWN_COUNTRY, type LinkKind, type SenderType } from './report-features';
export {
  campaignIncrements,
  indicatorIncrements,
  recategorisedCampaignIncrements,
  recategorisedIncrements,
  reportIncrements,
  type CountableReport,
} from './rollup-counts';
export { DOMAIN_CUBOIDS, REPORT_CUBOIDS, REPORT_DIMENSIONS, type ReportDimension } from './cube';
export {
  cubeKey,
  projectTo,
  protectCubeWeek,
  type CubeCell,
  type CubeLevel,
  type CubeRow,
  type CubeSpec,
  type ProtectedWeek,
} from './protect-cube';
export { noisyCount } from './noise';
