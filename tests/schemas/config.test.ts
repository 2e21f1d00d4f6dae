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
});
