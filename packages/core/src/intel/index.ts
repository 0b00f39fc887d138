export { normaliseText, maskText, deobfuscate } from './normalise';
export {
  exactFingerprint,
  simhash,
  hammingDistance,
  simhashBands,
  NEAR_DUPLICATE_MAX_DISTANCE,
  SIMHASH_BANDS,
  SHINGLE_LENGTH,
} from './fingerprint';
export { extractIndicators, type ExtractedIndicator, type ExtractOptions } from './extract';
export { commonText, GAP } from './common-text';
export { ASCII_HOSTNAME, isShortener, registrableDomain, type RegistrableDomain } from './hosts';
