/**
 * A small language guess for spam analytics: the script decides for most scripts, and
 * frequent short words (including SMS spellings) decide between Latin-script languages.
 * Answers an ISO 639-1 code, or 'und' when the evidence is thin.
 */

const LATIN_WORDS: Record<string, string> = {
  en: 'the and you your is are to of for with this that it have has was will be in from please we our not my at by an i do if or can get now here hi hello thanks thank me what when how just call free text txt u ur r im dont i\'m don\'t can\'t it\'s go got know like love ok lol pls plz wat gonna wanna tomorrow today tonight home been there they them he she him her his did would should could never share code anyone with delivered order arrive will about all any some sorry soon later see new number phone mum dad',
  id: 'yang dan di ke dari ini itu anda untuk dengan tidak ada akan bisa sudah saya kamu aku kami kita mereka dia info hub selamat pulsa dapat hadiah gratis yg utk dgn tdk sy km jg lg aja gak ga nggak udah udh sdh klo kalo deh sih dong nih yuk besok hari mau pak bu mas mbak terima kasih jangan kepada berikan siapapun siapa termasuk kode kalau sama sampai bisa harus minta tolong sore pagi malam siang nanti rumah kantor sekali dulu baru lama ya trims silahkan segera paket kuota tarif sms ketik kirim isi ulang rp rb ribu juta jt nomor no nya lagi juga atau tapi karena jadi masih belum kok ok oke',
  fr: 'le les et est vous votre vos pour dans sur avec ce cette qui nous je ne pas des du une au aux mais ou sont ton ta mon ma mes bonjour merci il elle avez êtes été ici très plus colis',
  es: 'el los las y es por para con su sus del al una lo mi muy pero hola gracias usted este esta está hay como ya ha ni tiene sido su tu paquete cuenta',
  de: 'der die das und ist nicht ich sie es ein eine zu mit den von auf für dem sind ihr ihre haben wir hallo danke bitte paket konto',
  pt: 'o os as e é não um uma para com do da dos das seu sua você está olá obrigado obrigada encomenda conta',
  it: 'il lo gli e è non un una per con del della che sono ciao grazie pacco conto',
  nl: 'de het een en is niet ik je u van op voor met zijn hallo bedankt pakket rekening',
};
const LATIN_SETS = Object.fromEntries(Object.entries(LATIN_WORDS).map(([lang, list]) => [lang, new Set(list.split(' '))])) as Record<string, Set<string>>;
// Words shared by several languages carry little; these letters carry a lot.
const LATIN_LETTERS: Record<string, RegExp> = {
  fr: /[çâêîôûëïœèàù]/u,
  es: /[ñ¿¡]/u,
  de: /[äöüß]/u,
  pt: /[ãõ]/u,
};

/** Each listed word with the languages that list it: one look-up a word rather than one a language. */
const LANGUAGES_OF_WORD = new Map<string, string[]>();
for (const [lang, set] of Object.entries(LATIN_SETS)) for (const word of set) LANGUAGES_OF_WORD.set(word, [...(LANGUAGES_OF_WORD.get(word) ?? []), lang]);
const LATIN_LETTER_LIST = Object.entries(LATIN_LETTERS);
const ASCII_WORD = /^[a-z']*$/;

export function detectLanguage(text: string): string {
  // Links are written in Latin letters whatever the language around them.
  const clean = text.replace(/\bhttps?:\/\/\S+|\bwww\.\S+/giu, ' ');
  const counts = countScripts(clean);
  const total = counts.letters;
  if (total === 0) return 'und';
  const { han, kana } = counts;
  if (kana >= 2 && (han + kana) * 3 > total) return 'ja';
  if (han >= 2 && han * 3 > total - han) return 'zh';
  const scripts: Array<[number, string]> = [
    [counts.hangul, 'ko'],
    [counts.arabic, 'ar'],
    [counts.cyrillic, 'ru'],
    [counts.thai, 'th'],
    [counts.hebrew, 'he'],
    [counts.greek, 'el'],
    [counts.devanagari, 'hi'],
  ];
  for (const [n, code] of scripts) {
    if (n >= 2 && n * 2 > total) {
      if (code === 'ar' && /[پچژگ]/u.test(clean)) return 'fa';
      if (code === 'ar' && /[ٹڈڑںےۓ]/u.test(clean)) return 'ur';
      if (code === 'ru' && /[іїєґ]/iu.test(clean)) return 'uk';
      return code;
    }
  }

  const words = (clean.toLowerCase().match(/[\p{L}']+/gu) ?? []).filter((w) => w.length > 0);
  if (words.length === 0) return 'und';
  const scores: Record<string, number> = {};
  for (const lang of Object.keys(LATIN_SETS)) scores[lang] = 0;
  for (const word of words) {
    for (const lang of LANGUAGES_OF_WORD.get(word) ?? []) scores[lang] = (scores[lang] ?? 0) + 1;
    if (!ASCII_WORD.test(word)) for (const [lang, re] of LATIN_LETTER_LIST) if (re.test(word)) scores[lang] = (scores[lang] ?? 0) + 1;
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, bestScore] = ranked[0] as [string, number];
  const second = (ranked[1] as [string, number])[1];
  if (bestScore >= 2 && bestScore > second && bestScore >= Math.min(3, words.length * 0.2)) return best;
  if (bestScore >= 1 && second === 0 && words.length <= 3) return best;
  return 'und';
}

const LETTER = /\p{L}/u;

interface ScriptCounts {
  letters: number;
  han: number;
  kana: number;
  hangul: number;
  arabic: number;
  cyrillic: number;
  thai: number;
  hebrew: number;
  greek: number;
  devanagari: number;
}

/** Letters per script in one pass over the code points (the Unicode blocks of each script). */
function countScripts(text: string): ScriptCounts {
  const c: ScriptCounts = { letters: 0, han: 0, kana: 0, hangul: 0, arabic: 0, cyrillic: 0, thai: 0, hebrew: 0, greek: 0, devanagari: 0 };
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) c.letters++;
      continue;
    }
    if (!LETTER.test(ch)) continue;
    c.letters++;
    if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f) || cp === 0x3005 || cp === 0x3007) c.han++;
    else if ((cp >= 0x3041 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9d)) c.kana++;
    else if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f)) c.hangul++;
    else if ((cp >= 0x0600 && cp <= 0x06ff) || (cp >= 0x0750 && cp <= 0x077f) || (cp >= 0x08a0 && cp <= 0x08ff) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) c.arabic++;
    else if (cp >= 0x0400 && cp <= 0x052f) c.cyrillic++;
    else if (cp >= 0x0e00 && cp <= 0x0e7f) c.thai++;
    else if (cp >= 0x0590 && cp <= 0x05ff) c.hebrew++;
    else if ((cp >= 0x0370 && cp <= 0x03ff) || (cp >= 0x1f00 && cp <= 0x1fff)) c.greek++;
    else if (cp >= 0x0900 && cp <= 0x097f) c.devanagari++;
  }
  return c;
}
