/**
 * Hand-written, language-independent signals of spam: the shape of links, numbers and
 * money, lures and urgency in several languages, shouting. They become features the model
 * weighs (so they generalise beyond the words of the training corpora), and the category
 * rules read them.
 */

export interface Signals {
  /** Any link: scheme URL, www., or a bare domain with a known top-level domain. */
  url: boolean;
  urlCount: number;
  urlScheme: boolean;
  urlWww: boolean;
  urlBare: boolean;
  /** hxxp:// or [.]: a defanged link, written to slip past filters. */
  urlDefanged: boolean;
  urlShortener: boolean;
  urlIp: boolean;
  /** Top-level domains of the links, lower case (com, uk, xyz, …). */
  tlds: string[];
  /** Lower-case host names of the links. */
  hosts: string[];
  email: boolean;
  /** A phone number of 9+ digits (any country). */
  phone: boolean;
  /** A UK premium-rate or revenue-share number (09…, 087…, 084…). */
  premiumNumber: boolean;
  freephone: boolean;
  /** "text WORD to 8xxxx", "send GO to 86688": a reply to a premium short code. */
  shortCodeReply: boolean;
  /** A stand-alone 4–6 digit number (short codes, PINs, OTPs). */
  shortNumber: boolean;
  /** A USSD code like *123*4#. */
  ussd: boolean;
  /** Premium-rate tariff wording: 150p/msg, £1.50/min, 150ppm, "per msg". */
  tariff: boolean;
  money: boolean;
  currencySymbol: boolean;
  urgency: boolean;
  prize: boolean;
  promo: boolean;
  optOut: boolean;
  credential: boolean;
  accountAlert: boolean;
  bank: boolean;
  parcel: boolean;
  /** A delivery that failed or waits on the recipient: held, could not be delivered, reschedule. */
  deliveryProblem: boolean;
  toll: boolean;
  tax: boolean;
  payment: boolean;
  loan: boolean;
  malwareLure: boolean;
  apk: boolean;
  /** "Hi Mum, this is my new number": a relative on a new phone (usually asking for money next). */
  familyImpersonation: boolean;
  /** A one-time code message: a code word beside a 4–8 digit code. */
  otp: boolean;
  /** Share of upper-case among cased letters (0..1); 0 when there are fewer than 8. */
  capsRatio: number;
  /** Words of 3+ letters in capitals. */
  capsWords: number;
  exclamations: number;
  length: number;
}

const TLDS =
  'com|net|org|info|biz|co|uk|me|ly|io|xyz|top|id|cn|ru|tk|ml|ga|cf|gq|us|ca|au|de|fr|es|it|nl|pl|br|in|sg|my|hk|tw|jp|kr|app|site|online|shop|store|club|vip|live|link|click|icu|cc|tv|ws|gl|gd|to|mobi|asia|win|bid|loan|work|fun|space|website|tech|cyou|buzz|rest|sbs|cfd|mom|lol|pw|su|ae|sa|eg|ma|ph|vn|th|ng|ke|za|mx|ar|cl|pe|ve|ec|be|ch|at|se|no|dk|fi|ie|pt|gr|tr|ua|ro|cz|hu|sk|bg|lt|lv|ee|nz|il|pk|bd|lk|np|ir|iq|ly|tn|dz|gov|edu|page|one|help|support|services|delivery|post|fyi|ink|today|world|life|group|global|digital|network|center|money|finance|bank|pay|cash';
const TLD_SET = new Set(TLDS.split('|'));
const WORD_TLDS = new Set(
  'me|to|in|us|my|no|it|at|be|co|id|es|de|one|life|world|today|help|live|link|click|win|fun|work|page|pay|cash|money|bank|post|support|services|group|center|online|site|shop|store|club|space|tech|digital|network|global|delivery|app|ink|rest|mom|lol|top|vip|loan|bid|asia|mobi|finance|website|ws|tv|cc|ma|ph|se|ch|pe|ar|il|ie|pt|ae|sa|ca|am|la'.split(
    '|',
  ),
);

const SCHEME_URL = /\bhttps?:\/\/[^\s<>"'，。]+/giu;
const WWW_URL = /(?<![\p{Script=Latin}\p{N}@.-])www\.[^\s<>"'，。]+/giu;
// A bare domain: labels of letters, digits and hyphens, ending in a known TLD (checked after).
const BARE_DOMAIN =
  /(?<![\p{Script=Latin}\p{N}@._/-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,10}))(?![\p{Script=Latin}])(\/[^\s<>"'，。]*)?/giu;
const IP_URL = /\bhttps?:\/\/\d{1,3}(?:\.\d{1,3}){3}/i;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[a-z]{2,}/iu;

const SHORTENERS = new Set(
  'bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly rebrand.ly cutt.ly shorturl.at rb.gy t.ly tiny.cc s.id bit.do lnkd.in v.gd qr.co linktr.ee shorte.st adf.ly tiny.one u.to clck.ru did.li urlz.fr short.io 0rz.tw reurl.cc dwz.cn url.cn t.cn suo.im'.split(
    ' ',
  ),
);

/**
 * A word list: single words are looked up among the message's words (letter runs), phrases
 * and Chinese entries (no spaces between words) by one regular expression.
 */
interface Lexicon {
  bit: number;
  phrases: RegExp | undefined;
}

const SPACELESS_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const escapeRegExp = (w: string): string => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Every single word of every list, with a bit per list it belongs to: one pass over a message's words finds them all. */
const WORD_BITS = new Map<string, number>();
let nextBit = 0;

function words(list: string): Lexicon {
  const bit = 1 << nextBit++;
  const bounded: string[] = [];
  const substrings: string[] = [];
  for (const w of list.split('|')) {
    if (SPACELESS_SCRIPT.test(w)) substrings.push(escapeRegExp(w));
    else if (/^\p{L}[\p{L}\p{M}]*$/u.test(w)) WORD_BITS.set(w, (WORD_BITS.get(w) ?? 0) | bit);
    else bounded.push(escapeRegExp(w));
  }
  const parts: string[] = [];
  if (bounded.length) parts.push(`(?<![\\p{L}])(?:${bounded.join('|')})(?![\\p{L}])`);
  if (substrings.length) parts.push(substrings.join('|'));
  return { bit, phrases: parts.length ? new RegExp(parts.join('|'), 'u') : undefined };
}

function has(lexicon: Lexicon, lower: string, wordBits: number): boolean {
  if ((wordBits & lexicon.bit) !== 0) return true;
  return lexicon.phrases ? lexicon.phrases.test(lower) : false;
}

const URGENCY = words(
  "urgent|urgently|immediately|asap|now|today|tonight|expire|expires|expired|expiring|final notice|final reminder|last chance|last warning|last attempt|within 24 hours|within 24hrs|within 48 hours|act now|limited time|hurry|deadline|before it is too late|segera|sekarang|hari ini|terakhir|buruan|cepat|urgente|inmediatamente|ahora|hoy|immédiatement|dernier|dernière|aujourd'hui|立即|马上|尽快|立刻|紧急|今日|今天|过期|逾期|24小时|عاجل|فورا|الآن",
);
const PRIZE = words(
  'won|win|winner|winning|prize|prizes|claim|congratulations|congrats|selected|award|awarded|lucky|jackpot|lottery|reward|rewards|cash prize|bonus|hadiah|pemenang|undian|menang|selamat anda|terpilih|ganador|premio|felicidades|gagné|gagnant|félicitations|中奖|恭喜|奖金|获奖|领奖|幸运|抽奖|大奖|فزت|جائزة|مبروك',
);
const PROMO = words(
  'free|offer|offers|discount|sale|promo|promotion|deal|deals|cheap|save|% off|special|exclusive|subscribe|membership|ringtone|ringtones|diskon|gratis|murah|hemat|paket|kuota|cashback|potongan|oferta|descuento|gratuit|réduction|promoción|优惠|促销|特价|折扣|免费|限时|会员|回馈|تخفيض|عرض',
);
const OPT_OUT = words('stop|unsubscribe|opt out|optout|opt-out|reply stop|txt stop|stop to end|2stop|退订|回td|回复td|berhenti|unreg');
const CREDENTIAL = words(
  'verify|verification|confirm your|confirm details|update your details|update details|password|passcode|your pin|pin number|enter pin|card pin|login|log in|sign in|signin|credentials|security check|identity|validate|re-activate|reactivate|verifikasi|kata sandi|sandi|verificar|contraseña|vérifier|mot de passe|identifiant|验证|密码|登录|登陆|身份|实名|认证|تحقق|كلمة المرور',
);
const ACCOUNT_ALERT = words(
  "suspended|suspend|locked|blocked|disabled|deactivated|restricted|on hold|unusual activity|suspicious activity|unauthorised|unauthorized|did not authorise|did not authorize|didn't authorise|didn't authorize|not authorised by you|new device|new payee|fraud alert|has been limited|diblokir|blokir|terblokir|dinonaktifkan|bloqueada|bloqueado|suspendida|suspendu|bloqué|冻结|停用|异常|锁定|封号|限制|被盗|موقوف|تعليق",
);
const BANK = words(
  'bank|banking|account|acct|card|debit|credit card|paypal|barclays|hsbc|lloyds|natwest|santander|halifax|monzo|revolut|wells fargo|bank of america|amex|visa|mastercard|apple id|icloud|netflix|amazon|microsoft|outlook|whatsapp|rekening|akun|bca|bri|bni|mandiri|cimb|ovo|gopay|dana|shopeepay|cuenta|tarjeta|compte|carte|banque|银行|账户|帐户|账号|信用卡|支付宝|微信|工商|建设|农业|招商|حساب|بنك|بطاقة',
);
const PARCEL = words(
  'parcel|package|delivery|deliver|redelivery|re-delivery|courier|shipment|shipping|tracking|customs|dhl|usps|ups|fedex|royal mail|evri|hermes|dpd|parcelforce|yodel|post office|postal|la poste|colissimo|chronopost|correos|kurir|pengiriman|resi|jne|j&t|sicepat|pos indonesia|paquete|envío|colis|livraison|快递|包裹|物流|派送|签收|顺丰|邮政|شحنة|طرد',
);
const DELIVERY_PROBLEM = words(
  "could not be delivered|couldn't be delivered|unable to deliver|failed delivery|delivery failed|delivery attempt|missed delivery|held at|is on hold|been held|awaiting payment|awaiting confirmation|reschedule|redeliver|redelivery|update your address|update the address|confirm your address|confirm the address|incomplete address|invalid address|address is incomplete|unpaid|outstanding|customs fee|customs charge|gagal dikirim|paket tertahan|paket anda tertahan|tertahan|alamat tidak lengkap|no se pudo entregar|retenido|n'a pas pu être livré|en attente|无法派送|派送失败|地址不详|地址有误|滞留|重新派送",
);
const TOLL = words(
  'toll|tolls|e-zpass|ezpass|fastrak|sunpass|txtag|peach pass|unpaid toll|toll road|congestion charge|dart charge|péage|peaje|tol|通行费|etc卡|etc通行|etc账户|etc认证|etc已|etc服务',
);
const TAX = words(
  'tax refund|tax rebate|hmrc|irs|tax|refund|rebate|overpaid|penalty|penalty charge|pajak|denda|impuesto|reembolso|impôt|remboursement|amende|退税|退款|罚款|税务|ضريبة|استرداد',
);
const PAYMENT = words(
  'pay|payment|fee|fees|charge|outstanding|unpaid|owed|due|settle|balance|transfer|small fee|redelivery fee|customs fee|shipping fee|bayar|pembayaran|biaya|transfer|tagihan|pagar|pago|tarifa|payer|paiement|frais|支付|付款|缴费|缴纳|费用|转账|汇款|دفع|رسوم',
);
const LOAN = words('loan|loans|lend|lender|credit|debt|pinjaman|pinjam|kta|kredit|dana tunai|préstamo|prêt|贷款|借款|网贷|信用|额度|قرض');
const MALWARE_LURE = words(
  'voicemail|voice message|voice mail|new voicemail|install|instal|app update|security update|flash player|pesan suara|pasang aplikasi|buzón de voz|messagerie vocale|语音留言|安装|下载客户端|下载app',
);
const FAMILY = words('mum|mom|mummy|mommy|mama|dad|daddy|papa|ibu|bapak|ayah|bunda|mamá|papá|maman|妈|爸');
const NEW_NUMBER = words(
  'new number|new phone|my new mobile|lost my phone|broke my phone|broken phone|dropped my phone|phone is broken|phone broke|old number|temporary number|nomor baru|hp rusak|hp hilang|ganti nomor|nuevo número|nouveau numéro|新号码|换号|手机坏了|手机丢了',
);
const APK = /\.apk\b|\bapk\b/i;

// OTP: a code word next to a 4–8 digit code.
const OTP_WORDS = words(
  'code|otp|one-time|one time|passcode|pin|verification|kode|kode otp|código|code de vérification|验证码|校验码|动态码|رمز',
);
const OTP_CODE = /(?<![\d£$€]|\d[.,])(?:[A-Z]-)?\d{4,8}(?![\d%]|[.,]\d)/u;

const CURRENCY = /[£$€¥₹₩₱₦₽]|\brp\.?\s?\d|\b(?:usd|gbp|eur|idr|rmb|cny)\b|\d\s?(?:元|块|万元)|ريال|درهم|جنيه/iu;
const MONEY_AMOUNT =
  /[£$€¥₹₩₱₦₽]\s?\d|[一二三四五六七八九十百千万亿两]+(?:万|千|百)?元|\d\s?[£$€¥元]|\brp\.?\s?\d|\d+(?:[.,]\d+)?\s?(?:pounds|dollars|euros|usd|gbp|juta|jt|jta|rb|ribu|k|m|万|元|块)(?![\p{L}])/iu;
const TARIFF =
  /\d+\s?p\s?\/\s?(?:msg|min|txt|text|wk|week|day|sms|mt|call)|\d+\s?ppm\b|\bppm\b|\/\s?(?:msg|min)\b|\bper (?:msg|min|minute|text|txt|week|wk)\b|\b\d{2,3}p\b|\bstd txt rate|\b\d+(?:[.,]\d+)?\s?gbp\s?\//iu;
const SHORT_CODE_REPLY =
  /(?<![\p{L}])(?:text|txt|send|sms|reply|msg)(?![\p{L}])[^\n]{0,30}?(?<![\p{L}])to(?![\p{L}])\s?(?:no[:.]?\s?)?\d{4,6}(?!\d)(?!\s?\(?free)/iu;
const USSD = /\*\d{2,4}(?:\*\d{1,4})*#/;
const PHONE_RUN = /(?:\+|(?<![\p{L}\p{N}]))\d(?:[\s().-]?\d){8,15}(?!\d)/gu;
const SHORT_NUMBER = /(?<![\p{N}.,£$€:/-])\d{4,6}(?![\p{N}.,%:])/u;
const CAPS_WORD = /(?<![\p{L}])\p{Lu}{3,}(?![\p{L}])/gu;

export function extractSignals(clean: string, raw: string = clean): Signals {
  const lower = clean.toLowerCase();
  let wordBits = 0;
  for (const token of lower.match(/\p{L}[\p{L}\p{M}]*/gu) ?? []) wordBits |= WORD_BITS.get(token) ?? 0;

  const hosts: string[] = [];
  const tlds: string[] = [];
  let urlScheme = false;
  let urlWww = false;
  let urlBare = false;
  let urlCount = 0;
  for (const m of lower.matchAll(SCHEME_URL)) {
    urlScheme = true;
    urlCount++;
    addHost(m[0].replace(/^https?:\/\//, ''), hosts, tlds);
  }
  for (const m of lower.matchAll(WWW_URL)) {
    urlWww = true;
    if (!m[0].length) continue;
    const before = lower.slice(Math.max(0, (m.index ?? 0) - 3), m.index ?? 0);
    if (before.endsWith('//')) continue;
    urlCount++;
    addHost(m[0], hosts, tlds);
  }
  const withoutSchemes = lower.replace(SCHEME_URL, ' ').replace(WWW_URL, ' ');
  for (const m of withoutSchemes.matchAll(BARE_DOMAIN)) {
    const tld = m[2] ?? '';
    const host = m[1] ?? '';
    if (!TLD_SET.has(tld) || /^\d+(\.\d+)*$/.test(host.replace(/\.[a-z]+$/, ''))) continue;
    // "a.m." "e.g." "u.s." are not domains: a real one has a label of 2+ characters before the TLD.
    const labels = host.split('.');
    const second = labels[labels.length - 2] ?? '';
    if (second.length < 2 && !SHORTENERS.has(host)) continue;
    // "see me.to" or "ok.today" is a missing space, not a link: a TLD that is also a word
    // counts only with a path, a hyphen or digit in the name, three labels, or a known shortener.
    if (WORD_TLDS.has(tld) && !m[3] && !/[-0-9]/.test(second) && labels.length < 3 && !SHORTENERS.has(host)) continue;
    urlBare = true;
    urlCount++;
    addHost(host, hosts, tlds);
  }
  const urlShortener = hosts.some((h) => SHORTENERS.has(h) || SHORTENERS.has(h.replace(/^www\./, '')));

  let phone = false;
  let premiumNumber = false;
  let freephone = false;
  for (const m of clean.matchAll(PHONE_RUN)) {
    const run = m[0];
    const digits = run.replace(/\D/g, '');
    // Dates (2016-07-08 11) and thousands (100.000.000) are not phone numbers.
    if (digits.length < 9 || /^\d{4}-\d{2}-\d{2}/.test(run) || /^\d{1,3}(?:[.,]\d{3}){2,}$/.test(run.trim())) continue;
    phone = true;
    const national = digits.startsWith('44') ? '0' + digits.slice(2) : digits;
    if (/^09\d{8,9}$/.test(national) || /^087\d{7,8}$/.test(national) || /^084\d{7,8}$/.test(national)) premiumNumber = true;
    if (/^08(?:00|08)\d{6,7}$/.test(national)) freephone = true;
  }

  const rawLower = raw.toLowerCase();
  const letterCase = countCase(clean);
  const upper = letterCase.upper;
  const cased = letterCase.upper + letterCase.lower;

  const urlLike = urlCount > 0;
  const otp = has(OTP_WORDS, lower, wordBits) && OTP_CODE.test(clean) && !urlLike;

  return {
    url: urlLike,
    urlCount,
    urlScheme,
    urlWww,
    urlBare,
    urlDefanged: /hxxps?|\[\.\]|\(\.\)|\[:\]/.test(rawLower),
    urlShortener,
    urlIp: IP_URL.test(lower),
    tlds,
    hosts,
    email: clean.includes('@') && EMAIL.test(clean),
    phone,
    premiumNumber,
    freephone,
    shortCodeReply: SHORT_CODE_REPLY.test(clean),
    shortNumber: SHORT_NUMBER.test(clean),
    ussd: USSD.test(clean),
    tariff: TARIFF.test(lower),
    money: MONEY_AMOUNT.test(lower),
    currencySymbol: CURRENCY.test(lower),
    urgency: has(URGENCY, lower, wordBits),
    prize: has(PRIZE, lower, wordBits),
    promo: has(PROMO, lower, wordBits),
    optOut: has(OPT_OUT, lower, wordBits),
    credential: has(CREDENTIAL, lower, wordBits),
    accountAlert: has(ACCOUNT_ALERT, lower, wordBits),
    bank: has(BANK, lower, wordBits),
    parcel: has(PARCEL, lower, wordBits),
    deliveryProblem: has(DELIVERY_PROBLEM, lower, wordBits),
    toll: has(TOLL, lower, wordBits),
    tax: has(TAX, lower, wordBits),
    payment: has(PAYMENT, lower, wordBits),
    loan: has(LOAN, lower, wordBits),
    malwareLure: has(MALWARE_LURE, lower, wordBits),
    apk: APK.test(lower),
    familyImpersonation: has(FAMILY, lower, wordBits) && has(NEW_NUMBER, lower, wordBits),
    otp,
    capsRatio: cased >= 8 ? upper / cased : 0,
    capsWords: clean.match(CAPS_WORD)?.length ?? 0,
    exclamations: clean.match(/[!！]/g)?.length ?? 0,
    length: clean.length,
  };
}

function addHost(urlish: string, hosts: string[], tlds: string[]): void {
  const host = (urlish.split(/[/?#:]/)[0] ?? '').replace(/\.+$/, '');
  if (!host) return;
  hosts.push(host);
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (tld && tld !== host) tlds.push(tld);
}

/**
 * The signals as sparse feature names (presence features with value 1). Buckets turn counts
 * and ratios into a few binary features, which a linear model weighs well.
 */
export function signalFeatures(s: Signals): string[] {
  const out: string[] = [];
  const flag = (name: string, on: boolean): void => {
    if (on) out.push(name);
  };
  flag('url', s.url);
  flag('url:scheme', s.urlScheme);
  flag('url:www', s.urlWww);
  flag('url:bare', s.urlBare);
  flag('url:defanged', s.urlDefanged);
  flag('url:shortener', s.urlShortener);
  flag('url:ip', s.urlIp);
  flag('url:many', s.urlCount >= 2);
  for (const tld of new Set(s.tlds)) out.push(`tld:${tld}`);
  flag('email', s.email);
  flag('phone', s.phone);
  flag('phone:premium', s.premiumNumber);
  flag('phone:free', s.freephone);
  flag('shortcode-reply', s.shortCodeReply);
  flag('short-number', s.shortNumber);
  flag('ussd', s.ussd);
  flag('tariff', s.tariff);
  flag('money', s.money);
  flag('currency', s.currencySymbol);
  flag('urgency', s.urgency);
  flag('prize', s.prize);
  flag('promo', s.promo);
  flag('opt-out', s.optOut);
  flag('credential', s.credential);
  flag('account-alert', s.accountAlert);
  flag('bank', s.bank);
  flag('parcel', s.parcel);
  flag('delivery-problem', s.deliveryProblem);
  flag('toll', s.toll);
  flag('tax', s.tax);
  flag('payment', s.payment);
  flag('loan', s.loan);
  flag('malware-lure', s.malwareLure);
  flag('apk', s.apk);
  flag('family-new-number', s.familyImpersonation);
  flag('otp', s.otp);
  // Combinations a linear model cannot form itself: the shape of a lure with a way to act on it.
  const action = s.url || s.phone;
  flag('lure:link+credential', s.url && s.credential);
  flag('lure:link+alert', s.url && s.accountAlert);
  flag('lure:link+parcel', s.url && s.parcel);
  flag('lure:link+payment', s.url && s.payment);
  flag('lure:link+prize', s.url && s.prize);
  flag('lure:action+urgency', action && s.urgency);
  flag('lure:action+money', action && s.money);
  flag('lure:phone+prize', s.phone && s.prize);
  flag('caps:30', s.capsRatio >= 0.3);
  flag('caps:60', s.capsRatio >= 0.6);
  flag('caps-words:2', s.capsWords >= 2);
  flag('caps-words:4', s.capsWords >= 4);
  flag('bang:1', s.exclamations >= 1);
  flag('bang:3', s.exclamations >= 3);
  out.push(`len:${s.length < 20 ? 0 : s.length < 50 ? 1 : s.length < 100 ? 2 : s.length < 140 ? 3 : s.length < 200 ? 4 : 5}`);
  return out;
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Upper- and lower-case letters (Unicode Lu and Ll), code point by code point. */
function countCase(text: string): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      if (cp >= 0x41 && cp <= 0x5a) upper++;
      else if (cp >= 0x61 && cp <= 0x7a) lower++;
    } else if (UPPER.test(ch)) upper++;
    else if (LOWER.test(ch)) lower++;
  }
  return { upper, lower };
}
