import { detectLanguageStrictly } from '../text/language';
import { LANGUAGES, type Language } from './types';

/**
 * Guesses the language of a subscriber's message, so replies can follow it: the shared
 * language guess (text/language.ts), read strictly, and kept only when it is one of the
 * reply languages. A wrong guess is worse than none (the operator's default is a safe
 * fallback), so it answers only when the evidence is clear.
 */
export function detectLanguage(text: string): Language | undefined {
  const code = detectLanguageStrictly(text);
  return code !== undefined && (LANGUAGES as readonly string[]).includes(code) ? (code as Language) : undefined;
}
