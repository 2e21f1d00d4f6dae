/**
 * A notice's text from the operator's template (docs/sms.md, Templates): `{code}` is the dossier code,
 * `{link}` the lookup link (SMS_LOOKUP_URL with its `{code}` filled, URL-encoded), `{tracking}` the postal
 * tracking number (only in `postal_accepted`). The text is then
 * written in the configured encoding and its segments counted.
 */
import type { SmsEncoding, SmsEvent, SmsTemplates } from '../../schemas/sms.js';
import { segmentCount, toGsm7 } from './gsm.js';

export interface RenderSettings {
  templates: SmsTemplates;
  lookupUrl: string;
  encoding: SmsEncoding;
}

export interface Rendered {
  text: string;
  encoding: SmsEncoding;
  segments: number;
}

/** The lookup link of a dossier code. */
export function lookupLink(lookupUrl: string, code: string): string {
  return lookupUrl.replaceAll('{code}', encodeURIComponent(code));
}

/** The notice for `event` about the dossier `code`; `tracking` fills `{tracking}` (a postal S10 number). */
export function renderNotice(s: RenderSettings, event: SmsEvent, code: string, tracking = ''): Rendered {
  const filled = s.templates[event]
    .replaceAll('{tracking}', tracking)
    .replaceAll('{link}', lookupLink(s.lookupUrl, code))
    .replaceAll('{code}', code)
    .normalize('NFC');
  const text = s.encoding === 'gsm7' ? toGsm7(filled) : filled;
  return { text, encoding: s.encoding, segments: segmentCount(text, s.encoding) };
}
