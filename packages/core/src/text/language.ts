/**
 * The one language guess of the project. The script decides for most scripts; frequent
 * short words (SMS spellings included) and a few letters decide between Latin-script
 * languages. Two readings of the same evidence:
 *
 * - `detectLanguage(text)`: an ISO 639-1 code, or 'und' when the evidence is thin (spam
 *   analytics, the classifier);
 * - `detectLanguageStrictly(text)`: a code only when the evidence is clear (at least three
 *   words and a clear winner), else undefined; the conversation answers a subscriber in
 *   their language only then, since a wrong guess is worse than the operator's default.
 */

const LATIN_WORDS: Record<string, string> = {
  en: "the and you your is are to of for with this that it have has was will be in from please we our not my at by an i do if or can get now here hi hello thanks thank me what when how just call free text txt u ur r im dont i'm don't can't it's go got know like love ok lol pls plz wat gonna wanna tomorrow today tonight home been there they them he she him her his did would should could never share code anyone with delivered order arrive will about all any some sorry soon later see new number phone mum dad",
  id: 'yang dan di ke dari ini itu anda untuk dengan tidak ada akan bisa sudah saya kamu aku kami kita mereka dia info hub selamat pulsa dapat hadiah gratis yg utk dgn tdk sy km jg lg aja gak ga nggak udah udh sdh klo kalo deh sih dong nih yuk besok hari mau pak bu mas mbak terima kasih jangan kepada berikan siapapun siapa termasuk kode kalau sama sampai bisa harus minta tolong sore pagi malam siang nanti rumah kantor sekali dulu baru lama ya trims silahkan segera paket kuota tarif sms ketik kirim isi ulang rp rb ribu juta jt nomor no nya lagi juga atau tapi karena jadi masih belum kok ok oke',
  fr: 'de la que en le les et est vous votre vos pour dans sur avec ce cette qui nous je ne pas des du une au aux mais ou sont ton ta mon ma mes bonjour merci il elle avez êtes été ici très plus colis',
  es: 'de la que en el los las y es por para con su sus del al una lo mi muy pero hola gracias usted este esta está hay como ya ha ni tiene sido su tu paquete cuenta',
  de: 'der die das und ist nicht ich sie es ein eine zu mit den von auf für dem sind ihr ihre haben wir hallo danke bitte paket konto',
  pt: 'de que o os as e é não um uma para com do da dos das seu sua você está olá obrigado obrigada encomenda conta',
  it: 'il lo gli e è non un una per con del della che sono ciao grazie pacco conto',
  nl: 'de het een en is niet ik je u van op voor met zijn hallo bedankt pakket rekening',
  vi: 'của và là có không được cho với này các những người một đã bạn quý khách tôi anh em chị đến từ ngày tháng vui lòng tài khoản của ban quy khach duoc khong cua cho nhan tin voi tai khoan',
};
const LATIN_SETS = new Map(Object.entries(LATIN_WORDS).map(([lang, list]) => [lang, new Set(list.split(' '))]));
/** Letters one language uses and its neighbours do not (é is shared by French and Spanish, so it is not here). */
const LATIN_LETTERS: Array<[string, RegExp]> = [
  ['fr', /[çâêîôûëïœèàù]/u],
  ['es', /[ñáíóú¿¡]/u],
  ['de', /[äöüß]/u],
  ['pt', /[ãõ]/u],
  ['vi', /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u],
];
/** French elision (l'argent, d'un, j'ai, qu'il) is very frequent in French and rare elsewhere. */
const FRENCH_ELISION = /(?<!\p{L})(?:l|d|j|qu|n|c|m|t|s)['’]\p{L}/gu;

/** Each listed word with the languages that list it: one look-up a word rather than one a language. */
const LANGUAGES_OF_WORD = new Map<string, string[]>();
for (const [lang, set] of LATIN_SETS) for (const word of set) LANGUAGES_OF_WORD.set(word, [...(LANGUAGES_OF_WORD.get(word) ?? []), lang]);
const ASCII_WORD = /^[a-z'0-9]*$/;
const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;

export interface ScriptCounts {
  letters: number;
  latin: number;
  han: number;
  kana: number;
  hangul: number;
  arabic: number;
  cyrillic: number;
  thai: number;
  hebrew: number;
  greek: number;
  devanagari: number;
  bengali: number;
  telugu: number;
  tamil: number;
}

const LETTER = /\p{L}/u;

/** Letters per script in one pass over the code points (the Unicode blocks of each script). */
export function countScripts(text: string): ScriptCounts {
  const c: ScriptCounts = {
    letters: 0,
    latin: 0,
    han: 0,
    kana: 0,
    hangul: 0,
    arabic: 0,
    cyrillic: 0,
    thai: 0,
    hebrew: 0,
    greek: 0,
    devanagari: 0,
    bengali: 0,
    telugu: 0,
    tamil: 0,
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
        c.letters++;
        c.latin++;
      }
      continue;
    }
    if (!LETTER.test(ch)) continue;
    c.letters++;
    if (cp <= 0x024f || (cp >= 0x1e00 && cp <= 0x1eff)) c.latin++;
    else if (
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3134f) ||
      cp === 0x3005 ||
      cp === 0x3007
    )
      c.han++;
    else if ((cp >= 0x3041 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9d)) c.kana++;
    else if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f)) c.hangul++;
    else if (
      (cp >= 0x0600 && cp <= 0x06ff) ||
      (cp >= 0x0750 && cp <= 0x077f) ||
      (cp >= 0x08a0 && cp <= 0x08ff) ||
      (cp >= 0xfb50 && cp <= 0xfdff) ||
      (cp >= 0xfe70 && cp <= 0xfeff)
    )
      c.arabic++;
    else if (cp >= 0x0400 && cp <= 0x052f) c.cyrillic++;
    else if (cp >= 0x0e00 && cp <= 0x0e7f) c.thai++;
    else if (cp >= 0x0590 && cp <= 0x05ff) c.hebrew++;
    else if ((cp >= 0x0370 && cp <= 0x03ff) || (cp >= 0x1f00 && cp <= 0x1fff)) c.greek++;
    else if (cp >= 0x0900 && cp <= 0x097f) c.devanagari++;
    else if (cp >= 0x0980 && cp <= 0x09ff) c.bengali++;
    else if (cp >= 0x0c00 && cp <= 0x0c7f) c.telugu++;
    else if (cp >= 0x0b80 && cp <= 0x0bff) c.tamil++;
  }
  return c;
}

/** The script's language, when one script holds most letters (ja, zh, ko, ar, fa, ur, ru, uk, th, he, el, hi, bn, te, ta). */
function byScript(text: string, c: ScriptCounts, strict: boolean): string | undefined {
  const total = c.letters;
  // A Han character carries about as much as a short word, so it outweighs three other letters.
  // Japanese shares the characters but nearly always has kana too; Chinese never does.
  if (!strict && c.kana >= 2 && (c.han + c.kana) * 3 > total) return 'ja';
  if (c.han >= 2 && c.han * 3 > total - c.han) return c.kana > 0 ? 'ja' : 'zh';
  const scripts: Array<[number, string]> = [
    [c.hangul, 'ko'],
    [c.arabic, 'ar'],
    [c.cyrillic, 'ru'],
    [c.thai, 'th'],
    [c.hebrew, 'he'],
    [c.greek, 'el'],
    [c.devanagari, 'hi'],
    [c.bengali, 'bn'],
    [c.telugu, 'te'],
    [c.tamil, 'ta'],
  ];
  for (const [n, code] of scripts) {
    if (n >= 2 && n * 2 > total) {
      // Persian and Urdu share the Arabic script but have letters of their own.
      if (code === 'ar' && /[پچژگ]/u.test(text)) return 'fa';
      if (code === 'ar' && /[ٹڈڑںےۓ]/u.test(text)) return 'ur';
      if (code === 'ru' && /[іїєґ]/iu.test(text)) return 'uk';
      return code;
    }
  }
  return undefined;
}

interface LatinScores {
  words: number;
  ranked: Array<[string, number]>;
}

function latinScores(text: string, strict: boolean): LatinScores {
  const lower = text.normalize('NFKC').toLowerCase();
  // Strictly, letters and digits together, so a reference like K7M2PQ9X is one word, not four.
  const words = strict ? (lower.match(/[\p{L}\p{N}']+/gu) ?? []).filter((w) => /\p{L}/u.test(w)) : (lower.match(/[\p{L}']+/gu) ?? []);
  const scores = new Map<string, number>([...LATIN_SETS.keys()].map((k) => [k, 0]));
  for (const raw of words) {
    const word = strict ? raw.replace(/^'+|'+$/g, '') : raw;
    const languages = LANGUAGES_OF_WORD.get(word) ?? [];
    // Strictly, a word several languages use is no evidence for any of them.
    if (!strict || languages.length === 1) for (const lang of languages) scores.set(lang, (scores.get(lang) ?? 0) + 1);
    if (!ASCII_WORD.test(word)) for (const [lang, re] of LATIN_LETTERS) if (re.test(word)) scores.set(lang, (scores.get(lang) ?? 0) + 1);
  }
  if (strict) scores.set('fr', (scores.get('fr') ?? 0) + (lower.match(FRENCH_ELISION)?.length ?? 0));
  return { words: words.length, ranked: [...scores].sort((a, b) => b[1] - a[1]) };
}

/** ISO 639-1 code of the text's language, or 'und' when the evidence is thin. */
export function detectLanguage(text: string): string {
  // Links are written in Latin letters whatever the language around them.
  const clean = text.replace(LINK, ' ');
  const counts = countScripts(clean);
  if (counts.letters === 0) return 'und';
  const script = byScript(clean, counts, false);
  if (script) return script;
  const { words, ranked } = latinScores(clean, false);
  if (words === 0) return 'und';
  const [best, bestScore] = ranked[0] as [string, number];
  const second = (ranked[1] as [string, number])[1];
  if (bestScore >= 2 && bestScore > second && bestScore >= Math.min(3, words * 0.2)) return best;
  if (bestScore >= 1 && second === 0 && words <= 3) return best;
  return 'und';
}

/** ISO 639-1 code only when the evidence is clear, else undefined (see the module comment). */
export function detectLanguageStrictly(text: string): string | undefined {
  const clean = text.replace(LINK, ' ');
  const counts = countScripts(clean);
  if (counts.letters === 0) return undefined;
  const script = byScript(clean, counts, true);
  if (script) return script;
  // Too few Latin letters to say more (a lone Han character, symbols).
  if (counts.latin * 2 < counts.letters) return undefined;
  const { words, ranked } = latinScores(clean, true);
  if (words < 3) return undefined;
  const [best, top] = ranked[0] as [string, number];
  const second = (ranked[1] as [string, number])[1];
  // Clear win: two hits more than the runner-up and at least twice its score, and a share
  // of the words a real sentence would have (a long text in another language picks up stray hits).
  if (top - second >= 2 && top >= 2 * second && top >= words * 0.15) return best;
  return undefined;
}
