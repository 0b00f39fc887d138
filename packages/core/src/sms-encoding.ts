/**
 * GSM 03.38 default alphabet and its extension table: a reply that uses only
 * these characters goes out as GSM-7 (160 characters a segment), anything else
 * as UCS-2 (70 a segment). Gateways must be told which one to use.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

/** The codings a reply goes out in. */
export const SMS_CODINGS = ['gsm7', 'ucs2'] as const;
export type SmsCoding = (typeof SMS_CODINGS)[number];

/** The codings a received message may arrive in (the alphabet of its GSM data coding scheme): GSM-7, 8-bit data or UCS-2. */
export const MESSAGE_CODINGS = ['gsm7', '8bit', 'ucs2'] as const;
export type MessageCoding = (typeof MESSAGE_CODINGS)[number];

export interface SmsSize {
  coding: SmsCoding;
  /** septets for GSM-7 (extension characters count twice), UTF-16 code units for UCS-2 */
  units: number;
  segments: number;
}

export function smsCoding(text: string): SmsCoding {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return 'ucs2';
  return 'gsm7';
}

export function smsSize(text: string): SmsSize {
  const coding = smsCoding(text);
  let units = 0;
  if (coding === 'gsm7') for (const ch of text) units += extension.has(ch) ? 2 : 1;
  else units = text.length;
  const [single, multi] = coding === 'gsm7' ? [160, 153] : [70, 67];
  const segments = units <= single ? 1 : Math.ceil(units / multi);
  return { coding, units, segments };
}
