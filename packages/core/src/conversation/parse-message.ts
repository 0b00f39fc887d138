import { containsLink, parseSender } from './sender';
import type { KeywordCommand, Language, ParsedMessage, ReportedSender } from './types';

/**
 * Classifies one SMS sent to the short code, before any conversation state is
 * considered. Pure: no I/O, never throws.
 */

export interface ParseMessageOptions {
  /** the operator's country, for national numbers (ISO 3166 alpha-2, e.g. 'GB') */
  defaultCountry: string;
  /** whether the text is one of the service's own replies, forwarded back */
  isOwnPrompt?: (text: string) => boolean;
}

/** Where a keyword's words belong: a language, or `shared` for words several languages use (STOP, INFO, START). */
type KeywordWords = Partial<Record<Language | 'shared', readonly string[]>>;

interface KeywordDefinition {
  /** HELP and STATUS may be followed by an argument ("STATUS K7P2QX9M"); STOP and START must be the whole message. */
  takesArgument: boolean;
  words: KeywordWords;
}

/**
 * Keywords in every supported language. Matching ignores case and accents
 * (and Arabic hamza/ta marbuta variants), so each word is listed once; add a
 * language by adding its words here.
 */
export const KEYWORDS: Readonly<Record<KeywordCommand, KeywordDefinition>> = {
  help: {
    takesArgument: true,
    words: { en: ['HELP'], fr: ['AIDE'], es: ['AYUDA'], ar: ['مساعدة'], zh: ['帮助', '幫助'], shared: ['INFO'] },
  },
  status: {
    takesArgument: true,
    words: { en: ['STATUS'], fr: ['STATUT'], es: ['ESTADO'], ar: ['حالة'], zh: ['状态', '狀態'] },
  },
  stop: {
    takesArgument: false,
    words: { fr: ['ARRÊT', 'ARRET'], es: ['PARAR', 'BAJA'], ar: ['توقف', 'إيقاف'], zh: ['停止', 'TD', '退订', '退訂'], shared: ['STOP'] },
  },
  start: {
    takesArgument: false,
    words: { fr: ['DÉMARRER'], es: ['ALTA', 'INICIO'], ar: ['ابدأ'], zh: ['开始', '開始'], shared: ['START'] },
  },
};

/** "I don't know" answers to "who sent it?", whole message, by language; matched like keywords. */
export const SENDER_UNKNOWN_PHRASES: Readonly<Record<Language | 'shared', readonly string[]>> = {
  en: [
    'idk',
    'i dk',
    'dunno',
    'i dunno',
    "don't know",
    'dont know',
    "i don't know",
    'i dont know',
    'i do not know',
    'do not know',
    'unknown',
    'no idea',
    'not sure',
    'unknown number',
    'unknown sender',
    'no number',
    'no name',
  ],
  fr: [
    'je ne sais pas',
    'je sais pas',
    'sais pas',
    "j'sais pas",
    'chais pas',
    'jsp',
    'inconnu',
    'inconnue',
    'aucune idée',
    'numéro inconnu',
    'expéditeur inconnu',
    'je ne le sais pas',
    'ne sais pas',
  ],
  es: ['no sé', 'no lo sé', 'yo no sé', 'ni idea', 'desconocido', 'desconocida', 'número desconocido', 'remitente desconocido', 'no sabe'],
  ar: ['لا أعرف', 'لا اعرف', 'ما أعرف', 'ما بعرف', 'مش عارف', 'لا أدري', 'غير معروف', 'مجهول', 'رقم مجهول'],
  zh: ['不知道', '我不知道', '未知', '不清楚', '不晓得', '不曉得', '未知号码', '未知號碼', '不详', '不詳'],
  // "?", "??": no letter to match here; parseMessage takes question marks alone as this answer before anything else.
  shared: [],
};

/** Keyword with an argument: at most this long as a whole (HELP …) or as the argument (STATUS <ref>). */
const HELP_MESSAGE_MAX = 20;
const STATUS_ARGUMENT_MAX = 20;
/** Spam forwards: at least this many words, or this many characters (CJK counting double). */
const SPAM_MIN_WORDS = 4;
const SPAM_MIN_LENGTH = 25;
/** Longest text after a keyword worth reading: anything longer is a spam that happens to start with one. */
const KEYWORD_REST_MAX = 40;
/** Longest "I don't know" answer worth folding. */
const UNKNOWN_MAX = 40;

const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const QUESTION_MARKS_ONLY = /^[?？؟¿\s]+$/u;
/** Separators between a keyword and its argument, and punctuation allowed after a whole-message keyword. */
const KEYWORD_SEPARATORS = /^[\s:：,，.。!！?？;；、-]*/u;
const PUNCTUATION_ONLY = /^[\s:：,，.。!！?？;；、…-]*$/u;
/** A keyword in a script written with spaces ends at whitespace or punctuation. */
const LEADING_WORD = /^[^\s:：,，.。!！?？;；、]+/u;
/** Scripts written without spaces: their keywords may be followed directly by the argument ("状态K7P2QX9M"). */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** East Asian wide characters (CJK ideographs, kana, Hangul, CJK and full-width punctuation). */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
/** A Chinese SMS signature, 【Brand】, as commercial (and spam) texts open with. */
const CJK_SIGNATURE = /^【[^】]{1,20}】/u;
const QUOTE_OPEN = /^["'`“”„‟‘’‚‛«»‹›「」『』]/u;
const QUOTE_CLOSE = /["'`“”„‟‘’‚‛«»‹›「」『』]/u;
const REPORT_SEPARATOR = /[*＊]/u;
/** One word of a number as people split them: "+44", "(0)", "7700", "900-123". */
const NUMBER_WORD = /^[+(]*[0-9０-９٠-٩۰-۹][0-9０-９٠-٩۰-۹().\-‐-―]*$/u;
const MAX_NUMBER_WORDS = 6;

/** Folds case, accents and Arabic letter variants, so that keywords and phrases match however they are typed. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u0640]/g, '') // tatweel
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[’‘`´ʼ]/g, "'")
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

interface KeywordMatch {
  command: KeywordCommand;
  language: Language | undefined;
  takesArgument: boolean;
}

const KEYWORD_INDEX = new Map<string, KeywordMatch>();
/** Keywords in unspaced scripts, longest first, matched as a prefix. */
const UNSPACED_KEYWORDS: Array<{ word: string } & KeywordMatch> = [];
for (const [command, definition] of Object.entries(KEYWORDS) as Array<[KeywordCommand, KeywordDefinition]>) {
  for (const [group, words] of Object.entries(definition.words) as Array<[Language | 'shared', readonly string[]]>) {
    for (const word of words) {
      const match: KeywordMatch = { command, language: group === 'shared' ? undefined : group, takesArgument: definition.takesArgument };
      const key = fold(word);
      KEYWORD_INDEX.set(key, match);
      if (UNSPACED_SCRIPT.test(key)) UNSPACED_KEYWORDS.push({ word: key, ...match });
    }
  }
}
UNSPACED_KEYWORDS.sort((a, b) => b.word.length - a.word.length);
const LONGEST_KEYWORD = Math.max(...[...KEYWORD_INDEX.keys()].map((k) => k.length));

const UNKNOWN_INDEX = new Map<string, Language | undefined>();
for (const [group, phrases] of Object.entries(SENDER_UNKNOWN_PHRASES) as Array<[Language | 'shared', readonly string[]]>) {
  for (const phrase of phrases) UNKNOWN_INDEX.set(fold(phrase), group === 'shared' ? undefined : group);
}

/** Classifies one SMS sent to the short code. */
export function parseMessage(text: string, options: ParseMessageOptions): ParsedMessage {
  const original = typeof text === 'string' ? text : '';
  const trimmed = original.trim();
  const normalised = trimmed.normalize('NFKC').trim();

  // a. nothing usable ("?" alone is an answer, though: see e)
  if (!HAS_LETTER_OR_DIGIT.test(normalised)) {
    return normalised && QUESTION_MARKS_ONLY.test(normalised) ? { kind: 'sender_unknown', language: undefined } : { kind: 'empty' };
  }

  // b. one of our own replies, forwarded back
  if (options.isOwnPrompt?.(original)) return { kind: 'own_prompt' };

  // c. HELP / STATUS <ref> / STOP / START
  const keyword = readKeyword(normalised);
  if (keyword) return keyword;

  // d. SPAM <sender> <text>, <sender>*<text>
  const report = readReportWithSender(trimmed, options.defaultCountry);
  if (report) return report;

  // e. "I don't know"
  const unknown = readSenderUnknown(normalised);
  if (unknown) return unknown;

  // f. a sender on its own
  const sender = parseSender(normalised, options.defaultCountry);
  if (sender) return { kind: 'sender', sender };

  // g. a spam forward
  if (looksLikeSpam(normalised)) return { kind: 'spam', text: trimmed };

  // h. too short to tell
  return { kind: 'unclear', text: trimmed };
}

function readKeyword(message: string): ParsedMessage | undefined {
  const text = message.replace(/^[¿¡]+/u, '');
  let match: KeywordMatch | undefined;
  let rest: string;
  const unspaced = UNSPACED_KEYWORDS.find((k) => text.startsWith(k.word));
  if (unspaced) {
    match = unspaced;
    rest = text.slice(unspaced.word.length);
  } else {
    const word = LEADING_WORD.exec(text)?.[0];
    if (word === undefined || word.length > LONGEST_KEYWORD * 2) return undefined;
    match = KEYWORD_INDEX.get(fold(word));
    rest = text.slice(word.length);
  }
  if (!match) return undefined;

  const keyword = { kind: 'keyword' as const, command: match.command, language: match.language };
  if (rest.length > KEYWORD_REST_MAX) return undefined;
  if (PUNCTUATION_ONLY.test(rest)) return { ...keyword, argument: '' };
  if (!match.takesArgument) return undefined;

  const argument = rest.replace(KEYWORD_SEPARATORS, '').replace(/[\s.。!！?？]+$/u, '');
  if (match.command === 'status') return argument.length <= STATUS_ARGUMENT_MAX ? { ...keyword, argument } : undefined;
  return text.length <= HELP_MESSAGE_MAX ? { ...keyword, argument } : undefined;
}

function readReportWithSender(text: string, country: string): ParsedMessage | undefined {
  return readSpamCommand(text, country) ?? readStarForm(text, country);
}

/** `SPAM <sender> <text>`. A `SPAM <sender>` with no text is taken as the sender alone. */
function readSpamCommand(text: string, country: string): ParsedMessage | undefined {
  const head = /^(\S+)\s+/u.exec(text);
  if (!head?.[1] || fold(head[1]).replace(/:$/, '') !== 'SPAM') return undefined;
  const rest = text.slice(head[0].length);

  let token: string | undefined;
  let sender: ReportedSender | undefined;
  let body: string;
  const quoteEnd = QUOTE_OPEN.test(rest) ? rest.slice(1).search(QUOTE_CLOSE) : -1;
  if (quoteEnd >= 0) {
    token = rest.slice(0, quoteEnd + 2);
    body = rest.slice(token.length);
    sender = parseSender(token, country);
  } else {
    // A number may be written in several words ("+44 7700 900123"): take the longest run of number-like words that reads as a phone number.
    const words: RegExpExecArray[] = [];
    for (const word of rest.matchAll(/\S+/gu)) if (words.push(word) >= MAX_NUMBER_WORDS) break;
    let taken = 1;
    for (let n = Math.min(MAX_NUMBER_WORDS, words.length); n >= 2; n--) {
      if (!words.slice(0, n).every((w) => NUMBER_WORD.test(w[0]))) continue;
      const last = words[n - 1]!;
      const candidate = parseSender(rest.slice(0, last.index + last[0].length), country);
      if (candidate?.kind === 'msisdn') {
        taken = n;
        break;
      }
    }
    const last = words[taken - 1]!;
    token = rest.slice(0, last.index + last[0].length);
    body = rest.slice(token.length);
    sender = parseSender(token, country);
  }

  body = body.trim();
  if (!sender) return { kind: 'spam', text };
  if (!body) return { kind: 'sender', sender };
  return { kind: 'report_with_sender', sender, text: body };
}

/** `<sender>*<text>`, as China's 12321 accepts. The sender must touch the '*' ("Dial *123#" is not one). */
function readStarForm(text: string, country: string): ParsedMessage | undefined {
  const star = text.search(REPORT_SEPARATOR);
  if (star <= 0) return undefined;
  const before = text.slice(0, star);
  const body = text.slice(star + 1).trim();
  if (!body || /\s$/u.test(before)) return undefined;
  const sender = parseSender(before, country);
  if (!sender) return { kind: 'spam', text };
  // A name of several words before a '*' is more likely prose ("Text WIN*…") than a sender ID.
  if (sender.kind === 'alphanumeric' && /\s/u.test(before.trim())) return undefined;
  return { kind: 'report_with_sender', sender, text: body };
}

function readSenderUnknown(text: string): ParsedMessage | undefined {
  if (text.length > UNKNOWN_MAX) return undefined;
  const folded = fold(text)
    .replace(/^[¿¡]+/u, '')
    .replace(/[\s.。!！?？؟…]+$/u, '');
  if (!UNKNOWN_INDEX.has(folded)) return undefined;
  return { kind: 'sender_unknown', language: UNKNOWN_INDEX.get(folded) };
}

function looksLikeSpam(text: string): boolean {
  if (text.split(/\s+/u).filter(Boolean).length >= SPAM_MIN_WORDS) return true;
  let length = 0;
  for (const ch of text) {
    length += WIDE.test(ch) ? 2 : 1;
    if (length >= SPAM_MIN_LENGTH) return true;
  }
  return containsLink(text) || CJK_SIGNATURE.test(text);
}
