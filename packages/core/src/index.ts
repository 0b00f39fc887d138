export { canonicalMsisdn, MSISDN_PATTERN } from './msisdn';
export { pseudonymise } from './pseudonym';
export { seal, unseal } from './sealed-box';
export { newReportReference, parseReportReference, REFERENCE_ALPHABET, REFERENCE_LENGTH } from './report-reference';
export { MESSAGE_CODINGS, SMS_CODINGS, smsCoding, smsSize, type MessageCoding, type SmsCoding, type SmsSize } from './sms-encoding';
export { generateApiKey, hashApiKey, apiKeyPrefix, apiKeyMatches, shownApiKeyPrefix, type NewApiKey } from './api-key';
export * from './conversation/types';
export {
  decide,
  EXAMPLE_REFERENCE,
  type ConversationState,
  type Decision,
  type MessageContext,
  type ReportKey,
  type Step,
} from './conversation/machine';
export { parseMessage } from './conversation/parse-message';
export {
  decideMessage,
  type Conversation,
  type IncomingMessage,
  type MessageDecision,
  type OperatorContext,
} from './conversation/decide-message';
export {
  countMessage,
  reporterVerdict,
  type ReporterLimits,
  type ReporterVerdict,
  type ReporterWindows,
} from './conversation/reporter-limits';
export { parseSender } from './conversation/sender';
export { renderReply, isOwnPrompt } from './conversation/replies';
export { detectLanguage } from './conversation/language';
export {
  cleanText,
  detectLanguage as detectTextLanguage,
  detectLanguageStrictly,
  countScripts,
  fmix32,
  fnv1a,
  hashString,
  FNV_OFFSET,
  FNV_PRIME,
  type ScriptCounts,
} from './text';
export * from './analysis';
export * from './intel';
export * from './stats';
export * from './sharing';
export { boundedMemo } from './bounded-memo';
