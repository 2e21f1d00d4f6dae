import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  normalizeErrorCode,
  type PortalCallResult,
  parseCodeList,
  parseDataIncorrect,
  parseRetryAfter,
} from '../../../adapters/portal/answers.js';
import { createPortalClient, type PortalClient } from '../../../adapters/portal/client.js';
import type { PortalPort } from '../../../src/transfers/portal.port.js';
import { dossierCode, dossierObject, progressRecord } from './fixtures.js';
import {
  AUTHEN_ERROR,
  createFakePortal,
  type FakePortal,
  PORTAL_CONFIG,
  portalHandlers,
  SUCCESS,
} from './portal.msw.js';

const server = setupServer();
const NOW = Date.parse('2026-11-28T01:00:00Z');
const TIMEOUT_MS = 150;

let fake: FakePortal;
let client: PortalClient;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  fake = createFakePortal();
  server.use(...portalHandlers(fake));
  client = createPortalClient({ ...PORTAL_CONFIG, timeoutMs: TIMEOUT_MS, now: () => NOW });
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

describe('session and headers', () => {
  it('sends dstcode on every call and logs in once for many calls', async () => {
    expect(await client.syncDossiers([dossierObject(A)], false)).toEqual({ kind: 'ok', retryable: false });
    expect(await client.pushProgress([progressRecord(A, 'processing', 5)])).toEqual({
      kind: 'ok',
      retryable: false,
    });
    expect(fake.logins).toBe(1);
    expect(fake.dstcodes).toEqual(['DVCQG', 'DVCQG', 'DVCQG']);
    expect(fake.integrations.map((r) => [r.service, r.isUpdating, r.session, r.madonvi])).toEqual([
      ['DongBoHoSoMC', false, 'session-1', '000.00.00.H24'],
      ['CapNhatTienDoHoSoMC', false, 'session-1', '000.00.00.H24'],
    ]);
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

  it('logs in again once on AUTHEN_ERROR and repeats the call with the new session', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    fake.sessionsIssued = []; // the portal forgot session-1 (expired)
    const result = await client.syncDossiers([dossierObject(B)], true);
    expect(result.kind).toBe('ok');
    expect(fake.logins).toBe(2);
    expect(fake.integrations.map((r) => r.session)).toEqual(['session-1', 'session-1', 'session-2']);
    expect(fake.integrations[2]?.data).toEqual(fake.integrations[1]?.data);
  });

  it('treats a second AUTHEN_ERROR in a row as a configuration fault and stops', async () => {
    const result = await insertWith({ answer: AUTHEN_ERROR }, { answer: AUTHEN_ERROR });
    expect(result).toMatchObject({ kind: 'config_fault', errorCode: '100', retryable: false });
    expect(fake.logins).toBe(2);
    expect(fake.integrations).toHaveLength(2);
  });

  it('treats a refused login as a configuration fault without calling the service', async () => {
    fake.authReplies.push({ answer: AUTHEN_ERROR });
    const result = await client.syncDossiers([dossierObject(A)], false);
    expect(result).toMatchObject({ kind: 'config_fault', errorCode: '100', retryable: false });
    expect(result.kind === 'config_fault' && result.message).toMatch(/username and password/);
    expect(fake.integrations).toHaveLength(0);
  });

  it('treats a re-login refused after AUTHEN_ERROR as a configuration fault', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    fake.integrationReplies.push({ answer: AUTHEN_ERROR });
    fake.authReplies.push({ answer: AUTHEN_ERROR });
    const result = await client.syncDossiers([dossierObject(B)], false);
    expect(result).toMatchObject({ kind: 'config_fault', errorCode: '100' });
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
    ['0', 0],
  ])('error_code %s is a delivery', async (_, code) => {
    expect(await insertWith({ answer: { error_code: code, message: 'Thành công' } })).toEqual({
      kind: 'ok',
      retryable: false,
    });
  });

  it('"-3" lists the dossiers the portal already has', async () => {
    const message = `Hồ sơ đã tồn tại: ${A}, ${B}`;
    expect(await insertWith({ answer: { error_code: '-3', message } })).toEqual({
      kind: 'exists',
      retryable: false,
      codes: [A, B],
      message,
    });
  });

  it('"-1" lists the dossiers the portal does not have', async () => {
    fake.integrationReplies.push({ answer: { error_code: '-1', message: `Không tìm thấy hồ sơ: ${C}` } });
    expect(await client.pushProgress([progressRecord(C, 'processing', 5)])).toMatchObject({
      kind: 'not_found',
      retryable: true,
      codes: [C],
    });
  });

  it.each([
    [101, 'IP_DISALLOWED'],
    [106, 'AGENCY_ID_INCORRECT'],
    ['106', 'AGENCY_ID_INCORRECT'],
  ])('error_code %s (%s) is a configuration fault', async (code, message) => {
    expect(await insertWith({ answer: { error_code: code, message } })).toEqual({
      kind: 'config_fault',
      retryable: false,
      errorCode: String(code),
      message,
    });
  });

  it('500 DATA_INCORRECT names the dossier, the field and the reason', async () => {
    const message = `DATA_INCORRECT: ${B}: NgayHenTra: is earlier than NgayTiepNhan: 20261127 < 20261128`;
    expect(await insertWith({ answer: { error_code: 500, message } })).toEqual({
      kind: 'data_incorrect',
      retryable: false,
      code: B,
      field: 'NgayHenTra',
      reason: 'is earlier than NgayTiepNhan: 20261127 < 20261128',
      message,
      origin: 'portal',
    });
  });

  it('500 DATA_INCORRECT for the whole call names no dossier', async () => {
    const result = await insertWith({
      answer: { error_code: '500', message: 'DATA_INCORRECT: *: data: at most 50 dossiers per call, got 51' },
    });
    expect(result).toMatchObject({ kind: 'data_incorrect', code: undefined, field: 'data' });
  });

  it('an error_code outside the contract is an outage (retried, then dead-lettered by age)', async () => {
    expect(await insertWith({ answer: { error_code: '-99', message: 'Lỗi hệ thống' } })).toMatchObject({
      kind: 'outage',
      retryable: true,
      message: expect.stringMatching(/unexpected error_code "-99"/),
    });
  });
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

  it('HTTP 429 with Retry-After in seconds', async () => {
    expect(await insertWith({ status: 429, headers: { 'Retry-After': '7' } })).toMatchObject({
      kind: 'outage',
      status: 429,
      retryAfterMs: 7_000,
      retryable: true,
    });
  });

  it('HTTP 429 with Retry-After as an HTTP date', async () => {
    const at = new Date(NOW + 30_000).toUTCString();
    expect(await insertWith({ status: 429, headers: { 'Retry-After': at } })).toMatchObject({
      kind: 'outage',
      status: 429,
      retryAfterMs: 30_000,
    });
  });

  it('a call that does not answer in time is an outage', async () => {
    const started = performance.now();
    const result = await insertWith({ hangMs: 1_000 });
    expect(result).toMatchObject({ kind: 'outage', retryable: true });
    expect(result.kind === 'outage' && result.message).toMatch(/did not answer within 150 ms/);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('a connection error is an outage', async () => {
    const result = await insertWith({ networkError: true });
    expect(result).toMatchObject({
      kind: 'outage',
      retryable: true,
      message: expect.stringMatching(/unreachable/),
    });
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
    expect(result).toMatchObject({
      kind: 'data_incorrect',
      origin: 'client',
      code: B,
      field: 'NgayTiepNhan',
      retryable: false,
    });
    expect(fake.logins).toBe(0);
    expect(fake.integrations).toHaveLength(0);
  });

  it('refuses more than 50 dossiers or 10 progress records per call without naming a dossier', async () => {
    const dossiers = Array.from({ length: 51 }, (_, i) => dossierObject(dossierCode(i + 1)));
    expect(await client.syncDossiers(dossiers, false)).toMatchObject({
      kind: 'data_incorrect',
      code: undefined,
      field: 'data',
      reason: 'at most 50 dossiers per call, got 51',
    });
    const steps = Array.from({ length: 11 }, (_, i) => progressRecord(A, 'processing', i));
    expect(await client.pushProgress(steps)).toMatchObject({ kind: 'data_incorrect', field: 'data' });
    expect(fake.integrations).toHaveLength(0);
  });

  it('sends nothing for an empty batch', async () => {
    expect(await client.syncDossiers([], false)).toEqual({ kind: 'ok', retryable: false });
    expect(await client.pushProgress([])).toEqual({ kind: 'ok', retryable: false });
    expect(fake.logins).toBe(0);
  });
});

describe('lookup', () => {
  it('returns the stored objects and the codes the portal does not know', async () => {
    fake.integrationReplies.push({
      answer: { ...SUCCESS, result: [{ ...dossierObject(A), Extra: 'kept' }] },
    });
    const result = await client.lookup([A, B]);
    expect(result).toMatchObject({ kind: 'ok', missing: [B] });
    expect(result.kind === 'ok' && result.found.map((d) => d.MaHoSo)).toEqual([A]);
    expect(fake.integrations[0]).toMatchObject({
      service: 'TraCuuHoSo',
      data: [{ MaHoSo: A }, { MaHoSo: B }],
    });
  });

  it('reports an answer holding an object not in the portal format as an outage', async () => {
    fake.integrationReplies.push({ answer: { ...SUCCESS, result: [{ MaHoSo: A }] } });
    expect((await client.lookup([A])).kind).toBe('outage');
  });

  it('logs in again once when the session expired', async () => {
    fake.integrationReplies.push({ answer: AUTHEN_ERROR }, { answer: { ...SUCCESS, result: [] } });
    expect(await client.lookup([A])).toMatchObject({ kind: 'ok', found: [], missing: [A] });
    expect(fake.logins).toBe(2);
  });
});

describe('answer parsing helpers', () => {
  it.each([
    [0, '00'],
    ['0', '00'],
    ['00', '00'],
    [' -3 ', '-3'],
    [-1, '-1'],
    [100, '100'],
  ])('normalises error_code %j to %s', (code, expected) => {
    expect(normalizeErrorCode(code)).toBe(expected);
  });

  it('reads code lists from -3 and -1 messages', () => {
    expect(parseCodeList('Hồ sơ đã tồn tại: A, B')).toEqual(['A', 'B']);
    expect(parseCodeList('Không tìm thấy hồ sơ: A')).toEqual(['A']);
    expect(parseCodeList('Không tìm thấy hồ sơ')).toEqual([]);
    expect(parseCodeList('Hồ sơ đã tồn tại: A,B , ')).toEqual(['A', 'B']);
  });

  it('splits DATA_INCORRECT messages however many parts they have', () => {
    expect(parseDataIncorrect('DATA_INCORRECT: X: MaTTHC: required')).toEqual({
      code: 'X',
      field: 'MaTTHC',
      reason: 'required',
    });
    expect(parseDataIncorrect('DATA_INCORRECT: Email: invalid')).toEqual({
      field: 'Email',
      reason: 'invalid',
    });
    expect(parseDataIncorrect('DATA_INCORRECT')).toEqual({ reason: 'DATA_INCORRECT' });
    expect(parseDataIncorrect('Dữ liệu không hợp lệ')).toEqual({ reason: 'Dữ liệu không hợp lệ' });
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
