/** The one text pipeline: normalisation, language, hashing (used by the conversation, the intel extraction and the classifier). */
export { cleanText, deobfuscate, normaliseText, CLEAN_MAX_CHARS } from '../intel/normalise';
export { detectLanguage, detectLanguageStrictly, countScripts, type ScriptCounts } from './language';
export { fmix32, fnv1a, hashString, FNV_OFFSET, FNV_PRIME } from './hash';
