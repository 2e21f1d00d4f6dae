/** The SMS settings (README, Configuration; docs/sms.md): defaults, refusals, the template file at start. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../schemas/config.js';
import { loadSmsSettings } from '../../src/runtime/node/sms.js';
import { SmsSettingsError } from '../../src/sms/settings.js';

describe('SMS settings', () => {
  it('are off by default, with the documented defaults', () => {
    expect(parseConfig({}).sms).toEqual({
      enabled: false,
      templatesPath: 'config/sms-templates.json',
      lookupUrl: 'https://dichvucong.example.vn/tra-cuu?ma={code}',
      encoding: 'gsm7',
      quietHours: '21:00-07:00',
      provider: undefined,
      timeoutMs: 10_000,
    });
    expect(loadSmsSettings(parseConfig({}), undefined)).toBeUndefined();
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
