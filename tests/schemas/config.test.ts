import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../schemas/config.js';

describe('configuration', () => {
  it('has safe defaults: loopback, port 8080, the embedded SQLite file, sandbox mode', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dbPath: './data/lienthong.db',
      bodyLimitBytes: 1024 * 1024,
      sandbox: true,
      portal: undefined,
    });
    expect(c.idempotencyTtlMs).toBe(24 * 3600_000);
  });

  it('names the bad variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => parseConfig({ IDEMPOTENCY_TTL_HOURS: '2' })).toThrow(/IDEMPOTENCY_TTL_HOURS/);
    expect(() => parseConfig({ PORTAL_URL: 'not a url' })).toThrow(/PORTAL_URL/);
  });

  it('requires the portal credentials once PORTAL_URL is set, naming each missing one', () => {
    try {
      parseConfig({ PORTAL_URL: 'http://127.0.0.1:9000', PORTAL_USERNAME: 'u' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toMatch(
        /PORTAL_PASSWORD[\s\S]*PORTAL_DSTCODE[\s\S]*PORTAL_MADONVI/,
      );
    }
  });

  it('leaves sandbox mode when the portal is configured', () => {
    const c = parseConfig({
      PORTAL_URL: 'http://127.0.0.1:9000',
      PORTAL_USERNAME: 'u',
      PORTAL_PASSWORD: 'p',
      PORTAL_DSTCODE: 'd',
      PORTAL_MADONVI: '000.00.00.H24',
    });
    expect(c.sandbox).toBe(false);
    expect(c.portal?.url).toBe('http://127.0.0.1:9000');
  });

  it('reads the log checkpoint key as hex or base64 of at least 32 bytes, and only one way', () => {
    const hex = 'ab'.repeat(32);
    expect(Array.from(parseConfig({ LOG_CHECKPOINT_KEY: hex }).logAnchor.key ?? [])).toEqual(
      Array(32).fill(0xab),
    );
    const b64 = Buffer.alloc(48, 7).toString('base64url');
    expect(parseConfig({ LOG_CHECKPOINT_KEY: b64 }).logAnchor.key).toHaveLength(48);
    expect(() => parseConfig({ LOG_CHECKPOINT_KEY: 'ab'.repeat(16) })).toThrow(
      /LOG_CHECKPOINT_KEY: must hold at least 32 bytes \(it holds 16\)/,
    );
    expect(() => parseConfig({ LOG_CHECKPOINT_KEY: 'not a key!' })).toThrow(
      /LOG_CHECKPOINT_KEY: must be hex or base64/,
    );
    expect(() => parseConfig({ LOG_CHECKPOINT_KEY: hex, LOG_CHECKPOINT_KEY_FILE: '/k' })).toThrow(/not both/);
    expect(parseConfig({}).logAnchor).toEqual({ key: undefined, keyFile: undefined, every: 1000 });
    expect(() => parseConfig({ LOG_CHECKPOINT_EVERY: '0' })).toThrow(/LOG_CHECKPOINT_EVERY/);
  });

  it('keeps raw transfer payloads 90 days unless RETENTION_DAYS_RAW says otherwise', () => {
    expect(parseConfig({}).retention.rawMs).toBe(90 * 86_400_000);
    expect(parseConfig({ RETENTION_DAYS_RAW: '30' }).retention.rawMs).toBe(30 * 86_400_000);
    expect(() => parseConfig({ RETENTION_DAYS_RAW: '0' })).toThrow(/RETENTION_DAYS_RAW/);
  });
});
