export { classify, createClassifier, defaultClassifier, loadModel, validateModel, MODEL_FILE, SpamClassifier, type Explanation } from './classifier';
export { trainModel, TRAIN_DEFAULTS, weakSpamCategory, chooseThreshold, countAt, mcc, type TrainingExample, type TrainOptions, type TrainingReport, type BinaryCounts, type TrainProgress } from './train';
export { extractFeatures, DEFAULT_FEATURE_CONFIG, type FeatureConfig, type Features } from './features';
export { extractSignals, type Signals } from './signals';
export { cleanText } from './normalize';
export { detectLanguage } from './language';
export { ruleCategory, isSmishing, isStrongLure } from './category';
export * from './types';
export { parseUciTsv, parseCsv, parseIndonesianCsv, uciExampleFromRow, indonesianExampleFromRow, INDONESIAN_CATEGORY, type UciRow, type IndonesianRow } from './corpus';
