/** SMS text (docs/sms.md, Encoding and Quiet hours): diacritics, the GSM 03.38 set, segments, the window. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { segmentCount, stripDiacritics, toGsm7, units } from '../../src/sms/gsm.js';
import { mobileOf } from '../../src/sms/mobile.js';
import { parseQuietHours, quietUntil } from '../../src/sms/quiet-hours.js';
import { renderNotice } from '../../src/sms/render.js';
import { parseTemplates, SmsSettingsError } from '../../src/sms/settings.js';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const templates = parseTemplates(JSON.parse(readFileSync('config/sms-templates.json', 'utf8')), 'test');
const CODE = '000.00.15.H24-261128-0001';
const LOOKUP = 'https://dichvucong.example.vn/tra-cuu?ma={code}';

describe('GSM 7-bit text', () => {
  it('drops every Vietnamese diacritic, đ and Đ included', () => {
    expect(stripDiacritics('Đã tiếp nhận hồ sơ của Ông/Bà; bưu điện, đường Ngô Gia Tự')).toBe(
      'Da tiep nhan ho so cua Ong/Ba; buu dien, duong Ngo Gia Tu',
    );
    expect(stripDiacritics('ẮẰẲẴẶắằẳẵặỨỪỬỮỰứừửữựỶỸỴýỳỷỹỵ')).toBe('AAAAAaaaaaUUUUUuuuuuYYYyyyyy');
  });

  it('emits only characters of the GSM 03.38 basic set', () => {
    const out = toGsm7('Kết quả “đã có” — giá 75.000₫ {x} [y] ~ € ½ 😀');
    for (const ch of out) expect(GSM_BASIC).toContain(ch);
    expect(out.startsWith('Ket qua ?da co? ? gia 75.000? ?x? ?y? ? ? ? ?')).toBe(true);
  });

  it('counts 160 per single segment and 153 per part; extension characters twice', () => {
    expect(segmentCount('a'.repeat(160), 'gsm7')).toBe(1);
    expect(segmentCount('a'.repeat(161), 'gsm7')).toBe(2);
    expect(segmentCount('a'.repeat(306), 'gsm7')).toBe(2);
    expect(segmentCount('a'.repeat(307), 'gsm7')).toBe(3);
    expect(units('a€', 'gsm7')).toBe(3);
  });
});

describe('UCS-2 text', () => {
  it('counts 70 per single segment and 67 per part', () => {
    expect(segmentCount('ệ'.repeat(70), 'ucs2')).toBe(1);
    expect(segmentCount('ệ'.repeat(71), 'ucs2')).toBe(2);
    expect(segmentCount('ệ'.repeat(134), 'ucs2')).toBe(2);
    expect(segmentCount('ệ'.repeat(135), 'ucs2')).toBe(3);
  });
});

describe('a rendered notice', () => {
  it('keeps diacritics in ucs2 and drops them in gsm7, with the code, the link and the segment count', () => {
    const ucs2 = renderNotice({ templates, lookupUrl: LOOKUP, encoding: 'ucs2' }, 'resolved_postal', CODE);
    const gsm7 = renderNotice({ templates, lookupUrl: LOOKUP, encoding: 'gsm7' }, 'resolved_postal', CODE);
    const link = `https://dichvucong.example.vn/tra-cuu?ma=${CODE}`;
    expect(ucs2.text).toBe(`Hồ sơ ${CODE} đã có kết quả và sẽ được gửi qua bưu điện. Tra cứu: ${link}`);
    expect(gsm7.text).toBe(`Ho so ${CODE} da co ket qua va se duoc gui qua buu dien. Tra cuu: ${link}`);
    expect(ucs2.text.length).toBe(150);
    expect(ucs2.segments).toBe(3); // 150 UTF-16 units: 67 + 67 + 16
    expect(gsm7.segments).toBe(1);
  });

  it('fits each default template in one GSM 7-bit segment (three in UCS-2) with the default link', () => {
    for (const event of Object.keys(templates) as (keyof typeof templates)[]) {
      const gsm7 = renderNotice(
        { templates, lookupUrl: LOOKUP, encoding: 'gsm7' },
        event,
        CODE,
        'EB123456785VN',
      );
      const ucs2 = renderNotice(
        { templates, lookupUrl: LOOKUP, encoding: 'ucs2' },
        event,
        CODE,
        'EB123456785VN',
      );
      expect(gsm7.segments, `${event}: ${gsm7.text.length}`).toBe(1);
      expect(ucs2.segments, event).toBe(3);
    }
  });

  it('refuses a template file without {code}, with a missing event, or an unknown key', () => {
    expect(() => parseTemplates({ ...templates, received: 'Đã tiếp nhận' }, 'f')).toThrow(SmsSettingsError);
    const { returned: _r, ...missing } = templates;
    expect(() => parseTemplates(missing, 'f')).toThrow(/returned/);
    expect(() => parseTemplates({ ...templates, extra: '{code}' }, 'f')).toThrow(SmsSettingsError);
    expect(() => parseTemplates({ ...templates, postal_accepted: 'Hồ sơ {code} đã gửi' }, 'f')).toThrow(
      /\{tracking\}/,
    );
  });
});

describe('mobile numbers', () => {
  it('takes the 03/05/07/08/09 ranges in any written form, not landlines (02x)', () => {
    expect(mobileOf('0912 345 678')).toEqual({ ok: true, phone: '+84912345678' });
    expect(mobileOf('+84 389 123 456')).toEqual({ ok: true, phone: '+84389123456' });
    expect(mobileOf('0084 56 123 4567')).toEqual({ ok: true, phone: '+84561234567' });
    expect(mobileOf('070.123.4567')).toEqual({ ok: true, phone: '+84701234567' });
    expect(mobileOf('0812345678')).toEqual({ ok: true, phone: '+84812345678' });
    expect(mobileOf('0222 3812 345')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(mobileOf('024 3825 1234')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(mobileOf('0612345678')).toEqual({ ok: false, reason: 'invalid_phone' });
    expect(mobileOf(undefined)).toEqual({ ok: false, reason: 'no_phone' });
  });
});

describe('quiet hours (Vietnam time)', () => {
  const q = parseQuietHours('21:00-07:00');
  const at = (iso: string) => Date.parse(iso);
  it('holds from 21:00 until 07:00 the next morning, and nothing outside', () => {
    if (!q) throw new Error('unreadable');
    expect(quietUntil(q, at('2027-01-15T20:59:59+07:00'))).toBeUndefined();
    expect(quietUntil(q, at('2027-01-15T21:00:00+07:00'))).toBe(at('2027-01-16T07:00:00+07:00'));
    expect(quietUntil(q, at('2027-01-15T23:30:00+07:00'))).toBe(at('2027-01-16T07:00:00+07:00'));
    expect(quietUntil(q, at('2027-01-16T03:00:00+07:00'))).toBe(at('2027-01-16T07:00:00+07:00'));
    expect(quietUntil(q, at('2027-01-16T06:59:59+07:00'))).toBe(at('2027-01-16T07:00:00+07:00'));
    expect(quietUntil(q, at('2027-01-16T07:00:00+07:00'))).toBeUndefined();
  });
  it('reads a same-day window and off, and refuses anything else', () => {
    const lunch = parseQuietHours('12:00-13:30');
    if (!lunch) throw new Error('unreadable');
    expect(quietUntil(lunch, at('2027-01-15T12:10:00+07:00'))).toBe(at('2027-01-15T13:30:00+07:00'));
    expect(quietUntil(lunch, at('2027-01-15T13:30:00+07:00'))).toBeUndefined();
    const off = parseQuietHours('off');
    if (!off) throw new Error('unreadable');
    expect(quietUntil(off, at('2027-01-15T23:00:00+07:00'))).toBeUndefined();
    expect(parseQuietHours('9pm-7am')).toBeUndefined();
    expect(parseQuietHours('24:00-07:00')).toBeUndefined();
  });
});
