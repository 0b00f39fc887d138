import { smsSize, type SmsCoding } from '../sms-encoding';
import type { Language, ReplyKey, ReplyParams } from './types';

/**
 * Every reply in every language. Each must fit one SMS segment with the longest
 * parameter values (see ReplyParams), which the tests check:
 * - English, French and Spanish stay inside the GSM-7 alphabet so they get 160
 *   characters. GSM-7 has é è à ù but not ê â î ô û ç á í ó ú, so the French and
 *   Spanish texts are phrased around those letters, and use plain spaces and
 *   apostrophes (a no-break space or a curly quote would force UCS-2).
 * - Arabic and Chinese are UCS-2 anyway: 70 characters including the parameters.
 * Keywords named here must be ones the parser accepts in that language.
 */
export const REPLY_TEMPLATES: Readonly<Record<ReplyKey, Readonly<Record<Language, string>>>> = {
  ask_sender: {
    en: 'Thanks for your spam report (ref {ref}). Please reply with the phone number or name the spam came from.',
    fr: "Merci pour votre signalement (réf. {ref}). Répondez avec le numéro ou le nom de l'expéditeur du spam.",
    es: 'Gracias por su denuncia de spam (ref. {ref}). Responda con el teléfono o el nombre del remitente.',
    ar: 'شكراً على بلاغك {ref}. أرسل لنا رقم أو اسم مرسل الرسالة المزعجة.',
    zh: '感谢举报，编号{ref}。请回复垃圾短信的发送号码或名称。',
  },
  report_complete: {
    en: 'Thanks! Report {ref} is complete, with sender {sender}. We will check it. Text STATUS {ref} for updates.',
    fr: 'Merci ! Signalement {ref} complet, expéditeur {sender}. Nous allons le vérifier. Envoyez STATUT {ref} pour le suivi.',
    es: '¡Gracias! Denuncia {ref} completa, remitente {sender}. La vamos a revisar. Escriba ESTADO {ref} para ver su estado.',
    ar: 'اكتمل البلاغ {ref} عن المرسل {sender}. شكراً لك!',
    zh: '举报{ref}已完成，发送方：{sender}。谢谢！',
  },
  report_complete_no_sender: {
    en: 'Thanks! Report {ref} is saved without a sender. It still helps us find spam. Text STATUS {ref} for updates.',
    fr: 'Merci ! Signalement {ref} enregistré sans expéditeur. Il nous aide à repérer les spams. Envoyez STATUT {ref} pour le suivi.',
    es: '¡Gracias! Denuncia {ref} guardada sin remitente. Nos ayuda a detectar spam. Escriba ESTADO {ref} para ver su estado.',
    ar: 'حفظنا البلاغ {ref} بدون مرسل. شكراً لك، فهو يساعدنا!',
    zh: '举报{ref}已保存（无发送方信息）。谢谢！',
  },
  help: {
    en: 'Forward spam texts to {shortCode}, then reply with the number or name they came from. Text STATUS <ref> to check a report, STOP to end replies.',
    fr: "Transférez les spams au {shortCode}, puis répondez avec le numéro ou le nom de l'expéditeur. STATUT <réf> pour le suivi, ARRET pour couper les réponses.",
    es: 'Mande el spam al {shortCode} y luego responda con el teléfono o el nombre del remitente. ESTADO <ref> para ver una denuncia, PARAR para no recibir respuestas.',
    ar: 'حوّل رسائل الإزعاج إلى {shortCode}. حالة ورقم البلاغ للتتبع، توقف للإيقاف',
    zh: '请将垃圾短信转发至{shortCode}。发送“状态 编号”查询举报，发送“停止”不再接收回复。',
  },
  status_received: {
    en: 'Report {ref}: received and being checked. Thanks for your help.',
    fr: 'Signalement {ref} : bien enregistré, vérification en cours. Merci de votre aide.',
    es: 'Denuncia {ref}: recibida, la estamos revisando. Gracias por su ayuda.',
    ar: 'البلاغ {ref}: تم استلامه وهو قيد المراجعة. شكراً لك.',
    zh: '举报{ref}：已收到，正在核查。感谢您的帮助！',
  },
  status_confirmed: {
    en: 'Report {ref}: confirmed as spam. Thanks for reporting it.',
    fr: "Signalement {ref} : confirmé comme spam. Merci de l'avoir signalé.",
    es: 'Denuncia {ref}: confirmada como spam. Gracias por avisarnos.',
    ar: 'البلاغ {ref}: تأكدنا أنها رسالة مزعجة. شكراً لإبلاغك.',
    zh: '举报{ref}：已确认为垃圾短信。感谢您的举报！',
  },
  status_blocked: {
    en: 'Report {ref}: confirmed as spam, and the sender has been blocked. Thanks for reporting it.',
    fr: "Signalement {ref} : spam confirmé, l'expéditeur a été bloqué. Merci de l'avoir signalé.",
    es: 'Denuncia {ref}: spam confirmado, el remitente ha sido bloqueado. Gracias por avisarnos.',
    ar: 'البلاغ {ref}: رسالة مزعجة مؤكدة وتم حظر المرسل. شكراً لإبلاغك.',
    zh: '举报{ref}：已确认为垃圾短信，发送方已被拦截。感谢您的举报！',
  },
  status_not_spam: {
    en: 'Report {ref}: this looked like a genuine message, not spam, so no action was taken. Thanks for checking with us.',
    fr: "Signalement {ref} : ce message semble légitime, ce n'est pas un spam. Aucune mesure n'a été prise. Merci de votre vigilance.",
    es: 'Denuncia {ref}: parece un mensaje auténtico, no spam, por eso no tomamos medidas. Gracias por consultarnos.',
    ar: 'البلاغ {ref}: تبدو رسالة سليمة وليست مزعجة، لذا لم نتخذ أي إجراء.',
    zh: '举报{ref}：该短信看起来是正常消息，不是垃圾短信，无需处理。',
  },
  status_unknown: {
    en: 'We found no report {ref} for your number. Please check the reference and try again.',
    fr: 'Aucun signalement {ref} pour votre numéro. Vérifiez la référence et réessayez.',
    es: 'No encontramos la denuncia {ref} para este teléfono. Revise la referencia e intente de nuevo.',
    ar: 'لا يوجد بلاغ {ref} لرقمك. تحقق من رقم البلاغ وحاول مجدداً.',
    zh: '您的号码没有编号为{ref}的举报，请核对编号后重试。',
  },
  status_missing_ref: {
    en: 'Please add your report reference, e.g. STATUS {example}.',
    fr: 'Indiquez la référence de votre signalement, par exemple : STATUT {example}.',
    es: 'Indique la referencia de su denuncia, por ejemplo: ESTADO {example}.',
    ar: 'أرسل رقم البلاغ بعد الكلمة، مثلاً: حالة {example}',
    zh: '请附上举报编号，例如：状态 {example}',
  },
  stopped: {
    en: 'You will get no more replies from us. You can still forward spam to report it. Text START to turn replies back on.',
    fr: 'Vous ne recevrez plus de réponses. Vous pouvez toujours nous transférer des spams. Envoyez DEMARRER pour les réactiver.',
    es: 'Ya no le enviaremos respuestas. Puede seguir mandando spam para denunciarlo. Escriba ALTA para volver a recibirlas.',
    ar: 'لن تصلك ردود منا بعد الآن، ويمكنك مواصلة الإبلاغ. أرسل ابدأ لتفعيلها.',
    zh: '您将不再收到回复，但仍可转发垃圾短信举报。发送“开始”恢复回复。',
  },
  started: {
    en: 'Replies are back on. Forward spam texts to us any time. Text STOP to turn replies off.',
    fr: 'Les réponses sont réactivées. Transférez-nous les spams quand vous voulez. Envoyez ARRET pour les couper.',
    es: 'Las respuestas vuelven a estar activas. Puede mandarnos spam cuando quiera. Escriba PARAR para desactivarlas.',
    ar: 'عادت الردود من جديد. أرسل توقف لإيقافها.',
    zh: '回复已恢复。发送“停止”可再次关闭回复。',
  },
  invalid_sender: {
    en: "Sorry, we couldn't read that as a sender. Please reply with the number or name the spam came from, e.g. +447700900123 or BANK.",
    fr: "Désolé, nous n'avons pas reconnu d'expéditeur. Répondez avec le numéro ou le nom de l'expéditeur, par exemple +33612345678 ou BANQUE.",
    es: 'Lo sentimos, no reconocimos el remitente. Responda con el teléfono o el nombre del remitente, por ejemplo +34612345678 o BANCO.',
    ar: 'لم نتعرف على المرسل. أرسل رقمه أو اسمه، مثلاً +971501234567 أو BANK',
    zh: '无法识别发送方。请回复号码或名称，例如 +8613812345678 或 BANK',
  },
  no_open_report: {
    en: 'No report is waiting for a sender. Please forward the spam text first, then reply with the number or name it came from.',
    fr: "Aucun signalement n'attend d'expéditeur. Transférez d'abord le SMS de spam, puis répondez avec le numéro ou le nom de l'expéditeur.",
    es: 'No hay ninguna denuncia esperando remitente. Primero mande el SMS de spam y luego responda con el teléfono o el nombre del remitente.',
    ar: 'لا بلاغ ينتظر مرسلاً. حوّل الرسالة المزعجة أولاً، ثم أرسل رقم مرسلها.',
    zh: '目前没有等待发送方信息的举报。请先转发垃圾短信，再回复发送方。',
  },
  empty: {
    en: 'Your message was empty. Please forward the spam text to {shortCode}.',
    fr: 'Votre message était vide. Transférez le SMS de spam au {shortCode}.',
    es: 'Recibimos un mensaje en blanco. Mande el SMS de spam al {shortCode}.',
    ar: 'رسالتك فارغة. حوّل الرسالة المزعجة إلى {shortCode}.',
    zh: '您的消息为空。请将垃圾短信转发至{shortCode}。',
  },
  throttled: {
    en: 'You have sent a lot of messages. Please wait a while before sending more.',
    fr: "Vous avez envoyé beaucoup de messages. Merci de patienter un peu avant d'en envoyer d'autres.",
    es: 'Ha enviado muchos mensajes. Por favor, espere un rato antes de mandar otros.',
    ar: 'أرسلت رسائل كثيرة. يرجى الانتظار قليلاً قبل إرسال المزيد.',
    zh: '您发送的消息过多，请稍后再发。',
  },
};

const PLACEHOLDER = /\{(ref|sender|shortCode|example)\}/g;

/** Fills a reply's placeholders; a placeholder without a value is a bug in the caller, so it throws. */
export function renderReply(key: ReplyKey, language: Language, params: ReplyParams): { text: string; coding: SmsCoding } {
  const template = REPLY_TEMPLATES[key][language];
  // One pass, so a value that itself looks like a placeholder (a sender "{ref}") is left alone.
  const text = template.replace(PLACEHOLDER, (_, name: keyof ReplyParams) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`reply ${key}/${language} needs a value for {${name}}`);
    return value;
  });
  return { text, coding: smsSize(text).coding };
}

/**
 * Forwarding and copy-paste mangle texts: phones re-wrap lines, change case,
 * turn ' into ’ or characters into compatibility forms. Comparing without any
 * whitespace, lower-cased and NFKC-normalised absorbs all of that.
 */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‛`´]/g, "'")
    .replace(/[“”„]/g, '"')
    .replace(/\s+/gu, '');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A parameter value as it may come back: anything non-empty, but bounded so a long text cannot match by stretching one. */
const WILDCARD = '[^]{1,40}?';

const OWN_PROMPTS: readonly RegExp[] = Object.values(REPLY_TEMPLATES).flatMap((byLanguage) =>
  Object.values(byLanguage).map(
    (template) =>
      new RegExp(
        `^${template
          .split(PLACEHOLDER)
          .map((part, i) => (i % 2 ? WILDCARD : escapeRegExp(normalise(part))))
          .join('')}$`,
        'u',
      ),
  ),
);

/** Longest a normalised reply can be; anything longer is not ours and skips the regular expressions. */
const MAX_PROMPT_LENGTH = 1000;

/** Whether a text is one of our own replies (a subscriber forwarding it back), whatever values were filled in. */
export function isOwnPrompt(text: string): boolean {
  const normalised = normalise(text);
  if (normalised.length === 0 || normalised.length > MAX_PROMPT_LENGTH) return false;
  return OWN_PROMPTS.some((re) => re.test(normalised));
}
