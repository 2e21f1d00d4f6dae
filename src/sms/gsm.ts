/**
 * Text encodings of an SMS (docs/sms.md, Encoding). GSM 7-bit carries 160 characters in one segment
 * and 153 per segment of a multi-part message; characters of the extension table (`^{}\[~]|€`) count
 * twice. UCS-2 carries 70, and 67 per part (a character outside the BMP counts twice). For GSM 7-bit,
 * Vietnamese text loses its diacritics (đ → d included) and anything left outside the GSM 03.38 basic
 * set becomes `?`, so the provider never receives a character the handset cannot show.
 */
import type { SmsEncoding } from '../../schemas/sms.js';

/** The GSM 03.38 basic character set (the default alphabet, without the escape). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: each costs an escape plus itself. */
const GSM_EXTENSION = '^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** Removes Vietnamese (and other Latin) diacritics: "Đã tiếp nhận" → "Da tiep nhan". */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** The text as GSM 7-bit sends it: no diacritics, only basic-set characters (others become `?`). */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of stripDiacritics(text)) out += BASIC.has(ch) ? ch : '?';
  return out;
}

/** Septets (GSM 7-bit) or UTF-16 code units (UCS-2) the text occupies. */
export function units(text: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return text.length;
  let n = 0;
  for (const ch of text) n += EXTENSION.has(ch) ? 2 : 1;
  return n;
}

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
};

/** How many segments the text is sent in. */
export function segmentCount(text: string, encoding: SmsEncoding): number {
  const n = units(text, encoding);
  const { single, part } = LIMITS[encoding];
  return n <= single ? 1 : Math.ceil(n / part);
}
