/** The SMS settings (README, Configuration; docs/sms.md): defaults, refusals, the template file at start. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../schemas/config.js';
import { loadSmsSettings } from '../../src/runtime/node/sms.js';
import { SmsSettingsError } from '../../src/sms/settings.js';

describe('SMS settings', () => {
  const PORTAL = {
    PORTAL_URL: 'https://portal.example.vn',
    PORTAL_USERNAME: 'u',
    PORTAL_PASSWORD: 'p',
    PORTAL_DSTCODE: 'D',
    PORTAL_MADONVI: '000.00.00.H24',
  };

  it('are on in sandbox mode, and outside it only with a provider; on without one is refused there', () => {
    expect(parseConfig({}).sms.enabled).toBe(true);
    expect(parseConfig({ SMS_ENABLED: 'false' }).sms.enabled).toBe(false);
    expect(parseConfig(PORTAL).sms.enabled).toBe(false);
    const provider = { SMS_PROVIDER_URL: 'https://sms.example.vn', SMS_PROVIDER_TOKEN: 't' };
    expect(parseConfig({ ...PORTAL, ...provider }).sms.enabled).toBe(true);
    expect(() => parseConfig({ ...PORTAL, SMS_ENABLED: 'true' })).toThrow(/SMS_PROVIDER_URL: required/);
  });

  it('have the documented defaults', () => {
    expect(parseConfig({ SMS_ENABLED: 'false' }).sms).toEqual({
      enabled: false,
      templatesPath: 'config/sms-templates.json',
      lookupUrl: 'https://dichvucong.example.vn/tra-cuu?ma={code}',
      encoding: 'gsm7',
      quietHours: '21:00-07:00',
      provider: undefined,
      timeoutMs: 10_000,
    });
    expect(loadSmsSettings(parseConfig({ SMS_ENABLED: 'false' }), undefined)).toBeUndefined();
  });

  it('refuse a provider without a token, a link without {code}, an unreadable window or encoding', () => {
    expect(() => parseConfig({ SMS_PROVIDER_URL: 'https://sms.example.vn' })).toThrow(/SMS_PROVIDER_TOKEN/);
    expect(() => parseConfig({ SMS_LOOKUP_URL: 'https://x.example.vn/tra-cuu' })).toThrow(ConfigError);
    expect(() => parseConfig({ SMS_QUIET_HOURS: '9pm-7am' })).toThrow(/SMS_QUIET_HOURS/);
    expect(() => parseConfig({ SMS_ENCODING: 'utf8' })).toThrow(/SMS_ENCODING/);
    expect(
      parseConfig({ SMS_PROVIDER_URL: 'https://sms.example.vn', SMS_PROVIDER_TOKEN: 't' }).sms.provider,
    ).toEqual({
      url: 'https://sms.example.vn',
      token: 't',
    });
  });

  it('read the template file at start; a missing or invalid one stops it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-sms-'));
    try {
      const enabled = (path: string) => parseConfig({ SMS_ENABLED: 'true', SMS_TEMPLATES_PATH: path });
      expect(loadSmsSettings(parseConfig({ SMS_ENABLED: 'true' }), undefined)?.render.encoding).toBe('gsm7');
      expect(() => loadSmsSettings(enabled(join(dir, 'none.json')), undefined)).toThrow(/SMS_TEMPLATES_PATH/);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ received: 'Đã nhận hồ sơ' }));
      expect(() => loadSmsSettings(enabled(bad), undefined)).toThrow(SmsSettingsError);
      expect(() => loadSmsSettings(enabled(bad), undefined)).toThrow(
        /received: a template must contain \{code\}/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
