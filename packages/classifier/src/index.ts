export {
  classify,
  createClassifier,
  defaultClassifier,
  loadModel,
  validateModel,
  MODEL_FILE,
  SpamClassifier,
  type Explanation,
} from './classifier';
export {
  trainModel,
  TRAIN_DEFAULTS,
  weakSpamCategory,
  chooseThreshold,
  countAt,
  mcc,
  type TrainingExample,
  type TrainOptions,
  type TrainingReport,
  type BinaryCounts,
  type TrainProgress,
} from './train';
export { extractFeatures, shapeFeatures, unmaskDigits, DEFAULT_FEATURE_CONFIG, type FeatureConfig, type Features } from './features';
export { extractSignals, type Signals } from './signals';
/** The shared text pipeline, from @srs/core (re-exported for callers of the classifier). */
export { cleanText, detectTextLanguage as detectLanguage } from '@srs/core';
export { ruleCategory, isSmishing, isStrongLure } from './category';
export * from './types';
export {
  parseUciTsv,
  parseCsv,
  parseIndonesianCsv,
  uciExampleFromRow,
  indonesianExampleFromRow,
  INDONESIAN_CATEGORY,
  type UciRow,
  type IndonesianRow,
} from './corpus';
export {
  shippedCorpora,
  parseCorpus,
  dropCrossDuplicates,
  duplicateKey,
  weightCorpus,
  CORPUS_SPECS,
  CORPORA_DIR,
  type LabelledCorpus,
  type CorpusSpec,
} from './corpora';
