import { exactFingerprint, simhash, simhashBands } from '../intel/fingerprint';
import { extractIndicators } from '../intel/extract';
import { maskText, normaliseText } from '../intel/normalise';

export const INDICATOR_TYPES = ['url', 'domain', 'phone', 'email', 'sender_msisdn', 'sender_short_code', 'sender_alphanumeric'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** The kinds of spam: what the classifier names, campaigns and indicators are filed under and operators publish. */
export const SPAM_CATEGORIES = ['smishing', 'fraud', 'marketing', 'premium_rate', 'malware', 'other'] as const;
export type SpamCategory = (typeof SPAM_CATEGORIES)[number];

export interface IndicatorCandidate {
  type: IndicatorType;
  value: string;
  /** punycode form, when it differs from `value` */
  ascii: string | null;
  shortener: boolean;
}

/** What a classifier says of a text; the classifier itself is a separate package, passed in. */
export interface TextClassification {
  spam: boolean;
  category: string;
  confidence: number;
  language: string;
  /** calibrated probability of spam from the text alone */
  probability: number;
  /** the kind of spam it would be, whatever `spam` says */
  spamCategory: string;
  /** asks for money or credentials through a link or a number */
  lure: boolean;
  modelVersion: string;
}

export interface MessageAnalysis {
  masked: string;
  fingerprint: string;
  simhash: string;
  bands: string[];
  classification: TextClassification;
  indicators: IndicatorCandidate[];
}

/** Everything the worker derives from one reported text, before any stored state is considered. */
export function analyseMessage(
  text: string,
  context: { defaultCountry?: string },
  classify: (text: string) => TextClassification,
): MessageAnalysis {
  const masked = maskText(normaliseText(text));
  const hash = simhash(masked);
  const indicators: IndicatorCandidate[] = [];
  for (const found of extractIndicators(text, context.defaultCountry ? { defaultCountry: context.defaultCountry } : {})) {
    switch (found.type) {
      case 'url':
        indicators.push({ type: 'url', value: found.value, ascii: null, shortener: found.shortener });
        break;
      case 'domain':
        indicators.push({
          type: 'domain',
          value: found.value,
          ascii: found.ascii !== found.value ? found.ascii : null,
          shortener: found.shortener,
        });
        break;
      case 'phone':
      case 'email':
        indicators.push({ type: found.type, value: found.value, ascii: null, shortener: false });
        break;
    }
  }
  return {
    masked,
    fingerprint: exactFingerprint(masked),
    simhash: hash,
    bands: simhashBands(hash),
    classification: classify(text),
    indicators: dedupe(indicators),
  };
}

/** The reported sender as an indicator: E.164, short code digits or the upper-case sender ID. */
export function senderIndicator(kind: 'msisdn' | 'short_code' | 'alphanumeric', value: string): IndicatorCandidate {
  const type: IndicatorType = kind === 'msisdn' ? 'sender_msisdn' : kind === 'short_code' ? 'sender_short_code' : 'sender_alphanumeric';
  return { type, value, ascii: null, shortener: false };
}

function dedupe(list: IndicatorCandidate[]): IndicatorCandidate[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    const key = `${i.type}\u0000${i.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
