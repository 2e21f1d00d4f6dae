import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  foldVietnamese,
  isNonEmpty,
  namedCodes,
  normalizeErrorCode,
  type PortalCallResult,
  parseRetryAfter,
} from '../../../adapters/portal/answers.js';
import {
  createPortalClient,
  type PortalClient,
  type PortalClientOptions,
} from '../../../adapters/portal/client.js';
import { joinUrl } from '../../../adapters/portal/wire.js';
import type { PortalPort } from '../../../src/transfers/portal.port.js';
import { dossierCode, dossierObject, progressRecord } from './fixtures.js';
import {
  createFakePortal,
  type FakePortal,
  PORTAL_CONFIG,
  PORTAL_URL,
  portalHandlers,
  SESSION_REFUSED,
  SUCCESS,
} from './portal.msw.js';

const server = setupServer();
let nowMs = Date.parse('2026-11-28T01:00:00Z');
const NOW = nowMs;
const TIMEOUT_MS = 150;

let fake: FakePortal;
let client: PortalClient;

function clientWith(options: Partial<PortalClientOptions> = {}): PortalClient {
  return createPortalClient({ ...PORTAL_CONFIG, timeoutMs: TIMEOUT_MS, now: () => nowMs, ...options });
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  nowMs = NOW;
  fake = createFakePortal();
  server.use(...portalHandlers(fake));
  client = clientWith();
});
afterEach(() => {
  expect(fake.invalid).toEqual([]);
  server.resetHandlers();
});
afterAll(() => server.close());

const A = dossierCode(1);
const B = dossierCode(2);
const C = dossierCode(3);

/** One insert of A and B against the scripted integration reply. */
async function insertWith(...replies: FakePortal['integrationReplies']): Promise<PortalCallResult> {
  fake.integrationReplies.push(...replies);
  return client.syncDossiers([dossierObject(A), dossierObject(B)], false);
}

describe('the portal client fits the worker', () => {
  it('is a PortalPort', () => {
    const port: PortalPort = client;
    expect(typeof port.syncDossiers).toBe('function');
  });
});

describe('envelopes', () => {
  it('sends isUpdating as "True"/"False" by default, and no isUpdating with progress', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    await client.syncDossiers([dossierObject(A)], true);
    await client.pushProgress([progressRecord(A, 'processing', 5)]);
    expect(fake.raw.map((r) => (r as { isUpdating?: unknown }).isUpdating)).toEqual([
      'False',
      'True',
      undefined,
    ]);
    expect(fake.raw[2]).not.toHaveProperty('isUpdating');
    expect(fake.integrations.map((r) => [r.service, r.session, r.madonvi])).toEqual([
      ['DongBoHoSoMC', 'session-1', '000.00.00.H24'],
      ['DongBoHoSoMC', 'session-1', '000.00.00.H24'],
      ['CapNhatTienDoHoSoMC', 'session-1', '000.00.00.H24'],
    ]);
  });

  it('sends isUpdating as a JSON boolean when told to', async () => {
    const booleans = clientWith({ isUpdatingAs: 'boolean' });
    await booleans.syncDossiers([dossierObject(A)], false);
    await booleans.syncDossiers([dossierObject(A)], true);
    expect(fake.raw.map((r) => (r as { isUpdating?: unknown }).isUpdating)).toEqual([false, true]);
  });

  it('posts to the configured paths after the base URL', async () => {
    const base = 'http://portal.test/other/';
    server.use(
      ...portalHandlers(fake, {
        base: 'http://portal.test/other',
        auth: '/xac-thuc',
        integration: '/tich-hop/v1',
      }),
    );
    const custom = clientWith({ url: base, authPath: '/xac-thuc', integrationPath: 'tich-hop/v1' });
    expect((await custom.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
    expect(fake.logins).toBe(1);
    expect(fake.integrations).toHaveLength(1);
    expect(joinUrl('https://h/lgsp/', '/auth')).toBe('https://h/lgsp/auth');
    expect(joinUrl(PORTAL_URL, 'integration')).toBe(`${PORTAL_URL}/integration`);
  });
});

describe('session', () => {
  it('sends dstcode on every call and logs in once for many calls', async () => {
    expect(await client.syncDossiers([dossierObject(A)], false)).toEqual({ kind: 'ok', retryable: false });
    expect((await client.pushProgress([progressRecord(A, 'processing', 5)])).kind).toBe('ok');
    expect(fake.logins).toBe(1);
    expect(fake.dstcodes).toEqual(['DVCQG', 'DVCQG', 'DVCQG']);
  });

  it('shares one login between concurrent calls', async () => {
    const results = await Promise.all([
      client.syncDossiers([dossierObject(A)], false),
      client.syncDossiers([dossierObject(B)], true),
      client.pushProgress([progressRecord(C, 'processing', 1)]),
    ]);
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(fake.logins).toBe(1);
  });

  it('logs in again before a call once the session reached its lifetime', async () => {
    const short = clientWith({ sessionTtlMs: 60_000 });
    await short.syncDossiers([dossierObject(A)], false);
    nowMs += 59_999;
    await short.syncDossiers([dossierObject(A)], true);
    nowMs += 1;
    await short.syncDossiers([dossierObject(A)], true);
    expect(fake.logins).toBe(2);
    expect(fake.integrations.map((r) => r.session)).toEqual(['session-1', 'session-1', 'session-2']);
  });

  it('logs in again once on a failure that names no dossier and repeats the call', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    fake.sessionsIssued = []; // the portal forgot session-1
    const result = await client.syncDossiers([dossierObject(B)], true);
    expect(result.kind).toBe('ok');
    expect(fake.logins).toBe(2);
    expect(fake.integrations.map((r) => r.session)).toEqual(['session-1', 'session-1', 'session-2']);
    expect(fake.raw[2]).toEqual({ ...(fake.raw[1] as object), session: 'session-2' });
  });

  it('makes the second such failure in a row a configuration fault, and stops', async () => {
    const result = await insertWith(
      { answer: SESSION_REFUSED },
      { answer: { error_code: 7, message: 'Lỗi' } },
    );
    expect(result).toMatchObject({ kind: 'config_fault', errorCode: '7', retryable: false });
    expect(result.kind === 'config_fault' && result.message).toContain('FAKE_SESSION');
    expect(fake.logins).toBe(2);
    expect(fake.integrations).toHaveLength(2);
  });

  it('tries a refused login once more, then reports a configuration fault without calling the service', async () => {
    const refused = { answer: { error_code: 1, message: 'Sai mật khẩu' } };
    fake.authReplies.push(refused, refused);
    const result = await client.syncDossiers([dossierObject(A)], false);
    expect(result).toMatchObject({ kind: 'config_fault', errorCode: '1', retryable: false });
    expect(result.kind === 'config_fault' && result.message).toContain('Sai mật khẩu');
    expect(fake.logins).toBe(2);
    expect(fake.integrations).toHaveLength(0);
  });

  it('gets through one refused login', async () => {
    fake.authReplies.push({ answer: { error_code: 1, message: 'bận' } });
    expect((await client.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
    expect(fake.logins).toBe(2);
  });

  it('reports a login that fails on the network as an outage', async () => {
    fake.authReplies.push({ status: 503 });
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'outage',
      status: 503,
      retryable: true,
    });
    expect(fake.integrations).toHaveLength(0);
  });

  it('reports a login answer without a session as an outage', async () => {
    fake.authReplies.push({ answer: { error_code: 0, message: 'Thành công' } });
    expect((await client.syncDossiers([dossierObject(A)], false)).kind).toBe('outage');
  });
});

describe('the contract answers', () => {
  it.each([
    ['"00"', '00'],
    ['"0"', '0'],
    ['0', 0],
  ])('error_code %s is a delivery', async (_, code) => {
    expect(await insertWith({ answer: { error_code: code, message: 'Thành công' } })).toEqual({
      kind: 'ok',
      retryable: false,
    });
  });

  it.each([
    ['-3', '-3'],
    ['"-3"', '-3'],
    ['3', 3],
    ['"3"', '3'],
  ])('%s with "đã tồn tại" lists the dossiers named', async (_, code) => {
    const message = `Hồ sơ đã tồn tại: ${A}, ${B}`;
    expect(await insertWith({ answer: { error_code: code, message } })).toEqual({
      kind: 'exists',
      retryable: false,
      codes: [A, B],
      errorCode: String(code),
      message,
    });
  });

  it('a bare "Hồ sơ đã tồn tại" is "exists" naming none, with or without diacritics', async () => {
    expect(await insertWith({ answer: { error_code: '-3', message: 'Hồ sơ đã tồn tại' } })).toMatchObject({
      kind: 'exists',
      codes: [],
    });
    expect(await insertWith({ answer: { error_code: 3, message: 'Ho so DA TON TAI' } })).toMatchObject({
      kind: 'exists',
      codes: [],
    });
  });

  it('a 0 saying "đã tồn tại" to an insert is "exists" (the insert was not applied), to an update a delivery', async () => {
    const answer = { error_code: '0', message: `Hồ sơ ${B} đã tồn tại` };
    expect(await insertWith({ answer })).toMatchObject({ kind: 'exists', codes: [B] });
    fake.integrationReplies.push({ answer });
    expect((await client.syncDossiers([dossierObject(B)], true)).kind).toBe('ok');
  });

  it('"-1" with "không tìm thấy" lists the dossiers the portal does not have', async () => {
    fake.integrationReplies.push({ answer: { error_code: '-1', message: `Không tìm thấy hồ sơ: ${C}` } });
    expect(await client.pushProgress([progressRecord(C, 'processing', 5)])).toMatchObject({
      kind: 'not_found',
      retryable: true,
      codes: [C],
    });
  });

  it.each([
    ['500', 500, `DATA_INCORRECT: ${B}: NgayHenTra: invalid`],
    ['-2', '-2', `Hồ sơ ${B} sai định dạng NgayHenTra.`],
    ['3 without "đã tồn tại"', 3, `Lỗi dữ liệu hồ sơ ${B}`],
  ])('any other code naming a dossier (%s) refuses that dossier', async (_, code, message) => {
    expect(await insertWith({ answer: { error_code: code, message } })).toEqual({
      kind: 'refused',
      retryable: false,
      codes: [B],
      errorCode: String(code),
      message,
      origin: 'portal',
    });
  });

  it.each([
    [101, 'IP_DISALLOWED'],
    [100, 'AUTHEN_ERROR'],
    ['-99', 'Lỗi hệ thống'],
  ])(
    'any other code naming no dossier (%s) is retried once with a new login, then a configuration fault',
    async (code, message) => {
      const result = await insertWith(
        { answer: { error_code: code, message } },
        { answer: { error_code: code, message } },
      );
      expect(result).toMatchObject({ kind: 'config_fault', errorCode: String(code) });
      expect(fake.logins).toBe(2);
    },
  );
});

describe('outages', () => {
  it.each([500, 502, 503, 504])('HTTP %i is an outage', async (status) => {
    expect(await insertWith({ status, body: '<html>Bad gateway</html>' })).toEqual({
      kind: 'outage',
      retryable: true,
      status,
      message: `portal answered HTTP ${status}`,
    });
  });

  it('HTTP 503 with Retry-After carries the wait', async () => {
    expect(await insertWith({ status: 503, headers: { 'Retry-After': '3' } })).toMatchObject({
      kind: 'outage',
      status: 503,
      retryAfterMs: 3_000,
    });
  });

  it('HTTP 429 with Retry-After in seconds or as an HTTP date', async () => {
    expect(await insertWith({ status: 429, headers: { 'Retry-After': '7' } })).toMatchObject({
      kind: 'outage',
      status: 429,
      retryAfterMs: 7_000,
    });
    const at = new Date(NOW + 30_000).toUTCString();
    expect(await insertWith({ status: 429, headers: { 'Retry-After': at } })).toMatchObject({
      retryAfterMs: 30_000,
    });
  });

  it('a call that does not answer in time is an outage', async () => {
    const result = await insertWith({ hangMs: 1_000 });
    expect(result).toMatchObject({ kind: 'outage', retryable: true });
    expect(result.kind === 'outage' && result.message).toMatch(/did not answer within 150 ms/);
  });

  it('a connection error is an outage', async () => {
    const result = await insertWith({ networkError: true });
    expect(result).toMatchObject({ kind: 'outage', message: expect.stringMatching(/unreachable/) });
    expect(result).not.toHaveProperty('status');
  });

  it.each([
    ['an HTML page', '<html><body>Maintenance</body></html>'],
    ['an empty body', ''],
    ['JSON without error_code', '{"status":"ok"}'],
    ['a JSON array', '[1,2]'],
  ])('HTTP 200 with %s is an outage', async (_, body) => {
    expect(
      await insertWith({ status: 200, body, headers: { 'content-type': 'application/json' } }),
    ).toMatchObject({ kind: 'outage', status: 200, retryable: true });
  });

  it.each([403, 404])('HTTP %i (wrong URL or dstcode) is a configuration fault', async (status) => {
    expect(
      await insertWith({
        status,
        body: JSON.stringify({ error_code: status, message: 'DSTCODE_INCORRECT' }),
      }),
    ).toEqual({
      kind: 'config_fault',
      retryable: false,
      errorCode: `HTTP_${status}`,
      message: `portal answered HTTP ${status}: DSTCODE_INCORRECT`,
    });
  });
});

describe('what the client refuses to send', () => {
  it('refuses an invalid dossier object locally, naming it, and sends nothing', async () => {
    const bad = { ...dossierObject(B), NgayTiepNhan: '2026-11-28' };
    const result = await client.syncDossiers([dossierObject(A), bad], false);
    expect(result).toMatchObject({ kind: 'refused', origin: 'client', codes: [B], errorCode: 'NOT_SENT' });
    expect(result.kind === 'refused' && result.message).toContain('NgayTiepNhan');
    expect(fake.logins).toBe(0);
  });

  it('refuses more dossiers than the batch size, or more than 10 progress records, naming none', async () => {
    const dossiers = Array.from({ length: 51 }, (_, i) => dossierObject(dossierCode(i + 1)));
    expect(await client.syncDossiers(dossiers, false)).toMatchObject({
      kind: 'refused',
      codes: [],
      message: expect.stringContaining('at most 50 dossiers per call, got 51'),
    });
    const small = clientWith({ syncBatchSize: 2 });
    expect(await small.syncDossiers(dossiers.slice(0, 3), false)).toMatchObject({
      kind: 'refused',
      codes: [],
    });
    expect((await small.syncDossiers(dossiers.slice(0, 2), false)).kind).toBe('ok');
    const steps = Array.from({ length: 11 }, (_, i) => progressRecord(A, 'processing', i));
    expect(await client.pushProgress(steps)).toMatchObject({ kind: 'refused', codes: [] });
    expect(fake.integrations).toHaveLength(1);
  });

  it('sends nothing for an empty batch', async () => {
    expect(await client.syncDossiers([], false)).toEqual({ kind: 'ok', retryable: false });
    expect(await client.pushProgress([])).toEqual({ kind: 'ok', retryable: false });
    expect(fake.logins).toBe(0);
  });
});

describe('lookup (TraCuuHoSo)', () => {
  it('asks for one code at the top level; a non-empty result means the portal holds it', async () => {
    fake.integrationReplies.push({
      answer: { ...SUCCESS, result: [{ ...dossierObject(A), Extra: 'kept' }] },
    });
    const result = await client.lookup(A);
    expect(result).toMatchObject({ kind: 'ok', held: true });
    expect(fake.raw[0]).toEqual({
      session: 'session-1',
      madonvi: '000.00.00.H24',
      service: 'TraCuuHoSo',
      mahoso: A,
    });
  });

  it('an empty result, or "không tìm thấy", means the portal does not hold it', async () => {
    fake.integrationReplies.push({ answer: { ...SUCCESS, result: [] } });
    expect(await client.lookup(B)).toMatchObject({ kind: 'ok', held: false });
    fake.integrationReplies.push({ answer: { error_code: '-1', message: `Không tìm thấy hồ sơ ${B}` } });
    expect(await client.lookup(B)).toMatchObject({ kind: 'ok', held: false });
  });

  it('logs in again once when the session is refused', async () => {
    fake.integrationReplies.push({ answer: SESSION_REFUSED }, { answer: { ...SUCCESS, result: [] } });
    expect(await client.lookup(A)).toMatchObject({ kind: 'ok', held: false });
    expect(fake.logins).toBe(2);
  });

  it('refuses an empty code without calling', async () => {
    expect(await client.lookup(' ')).toMatchObject({ kind: 'refused', origin: 'client' });
    expect(fake.logins).toBe(0);
  });
});

describe('answer helpers', () => {
  it.each([
    [0, '00'],
    ['0', '00'],
    ['00', '00'],
    [' -3 ', '-3'],
    [-1, '-1'],
  ])('normalises error_code %j to %s', (code, expected) => {
    expect(normalizeErrorCode(code)).toBe(expected);
  });

  it('finds the codes a message names, as whole codes only', () => {
    const X = '000.00.15.H24-261128-0001';
    const Y = '000.00.15.H24-261128-00012';
    expect(namedCodes(`Hồ sơ đã tồn tại: ${Y}`, [X, Y])).toEqual([Y]);
    expect(namedCodes(`Hồ sơ ${X}.`, [X, Y])).toEqual([X]);
    expect(namedCodes(`${X},${Y}`, [X, Y])).toEqual([X, Y]);
    expect(namedCodes('Hồ sơ đã tồn tại', [X])).toEqual([]);
  });

  it('folds Vietnamese text for matching', () => {
    expect(foldVietnamese('Hồ sơ ĐÃ TỒN TẠI')).toBe('ho so da ton tai');
    expect(foldVietnamese('Không tìm thấy')).toBe('khong tim thay');
  });

  it('reads a lookup result as held when it is not empty', () => {
    expect([[], {}, '', null, undefined].map(isNonEmpty)).toEqual([false, false, false, false, false]);
    expect([[1], { MaHoSo: 'A' }, 'x'].map(isNonEmpty)).toEqual([true, true, true]);
  });

  it('reads Retry-After as seconds or as an HTTP date, never negative', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Sat, 28 Nov 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
