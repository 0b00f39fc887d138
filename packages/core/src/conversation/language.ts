import type { Language } from './types';

/**
 * Guesses the language of a subscriber's message, so replies can follow it.
 * A wrong guess is worse than none (the operator's default is a safe fallback),
 * so it answers only when the evidence is clear.
 */

const LATIN = ['en', 'fr', 'es'] as const;
type LatinLanguage = (typeof LATIN)[number];

/**
 * Short, frequent words, chosen to be distinctive: words that are common in two
 * of the languages (de, la, en, que, no, un, on, son, tu, a) would only blur the scores.
 */
const STOP_WORDS: Record<LatinLanguage, ReadonlySet<string>> = {
  en: new Set(
    'the and you your is are to of for with this that it have has was will be in from please we our not my at by an i do if or can get now here hi hello thanks thank'.split(' '),
  ),
  fr: new Set(
    'le les et est vous votre vos pour dans sur avec ce cette qui nous je ne pas des du une au aux mais ou sont ton ta mon ma mes bonjour merci il elle avez êtes été ici très plus'.split(' '),
  ),
  es: new Set(
    'el los las y es por para con su sus del al una lo mi muy pero hola gracias usted este esta está hay como ya ha ni tiene sido'.split(' '),
  ),
};

/** Letters one of the three uses and the others do not (é is shared by French and Spanish, so it is not here). */
const DISTINCTIVE: Record<LatinLanguage, RegExp> = {
  en: /(?!)/u, // English has no accents; its stop words carry it
  fr: /[çâêîôûëïœèàù]/u,
  es: /[ñáíóú¿¡]/u,
};

/** French elision (l'argent, d'un, j'ai, qu'il) is very frequent in French and rare elsewhere. */
const FRENCH_ELISION = /(?<!\p{L})(?:l|d|j|qu|n|c|m|t|s)['’]\p{L}/gu;

const MIN_WORDS = 3;

export function detectLanguage(text: string): Language | undefined {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return undefined;

  // A Han character carries about as much as a short word, so it outweighs three other
  // letters: a Chinese text naming a brand or a reference in Latin letters is still Chinese.
  // Japanese shares the characters but nearly always has kana too; Chinese never does.
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);
  if (han >= 2 && han * 3 > letters - han) return kana ? undefined : 'zh';

  // Persian and Urdu share the script but have letters of their own.
  const arabic = text.match(/(?=\p{Script=Arabic})\p{L}/gu)?.length ?? 0;
  if (arabic >= 2 && arabic * 2 > letters) return /[پچژگڈٹںےۓ]/u.test(text) ? undefined : 'ar';

  return detectLatin(text.normalize('NFKC').toLowerCase());
}

function detectLatin(text: string): LatinLanguage | undefined {
  // Letters and digits together, so a reference like K7M2PQ9X or a number is one word, not four.
  const words = (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => /\p{L}/u.test(w));
  if (words.length < MIN_WORDS) return undefined;

  const scores: Record<LatinLanguage, number> = { en: 0, fr: 0, es: 0 };
  for (const word of words) {
    for (const language of LATIN) {
      if (STOP_WORDS[language].has(word) || DISTINCTIVE[language].test(word)) scores[language]++;
    }
  }
  scores.fr += text.match(FRENCH_ELISION)?.length ?? 0;

  const [best, runnerUp] = LATIN.slice().sort((a, b) => scores[b] - scores[a]) as [LatinLanguage, LatinLanguage];
  const top = scores[best];
  const second = scores[runnerUp];
  // Clear win: two hits more than the runner-up and at least twice its score, and a share
  // of the words a real sentence would have (a long text in another language picks up stray hits).
  if (top - second >= 2 && top >= 2 * second && top >= words.length * 0.15) return best;
  return undefined;
}
