import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortalClient, type PortalClient } from '../../../adapters/portal/client.js';
import type { SimDossier } from '../../../adapters/portal/simulator.contract.js';
import { type PortalSimulator, startPortalSimulator } from '../../../adapters/portal/simulator.js';
import {
  dossierCode,
  dossierObject,
  progressRecord,
  realClientObject,
  realClientProgress,
} from './fixtures.js';

// A manual clock shared by the simulator and the client: sessions, the capacity window and HTTP-date
// Retry-After values move only when a test says so. Whole seconds, so HTTP dates are exact.
let clockMs = Date.parse('2026-11-28T01:00:00Z');
const now = () => clockMs;

const CREDENTIALS = { username: 'lienthong', password: 'mat-khau' };
const TTL_MS = 60_000;

let sim: PortalSimulator;
let client: PortalClient;

function clientFor(url: string, overrides: { timeoutMs?: number; dstcode?: string; madonvi?: string } = {}) {
  return createPortalClient({
    url,
    ...CREDENTIALS,
    dstcode: overrides.dstcode ?? 'DVCQG',
    madonvi: overrides.madonvi ?? '000.00.00.H24',
    timeoutMs: overrides.timeoutMs ?? 2_000,
    now,
  });
}

beforeAll(async () => {
  sim = await startPortalSimulator({ ...CREDENTIALS, sessionTtlMs: TTL_MS, now });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.control.reset();
  sim.control.clear();
  client = clientFor(sim.url);
});

interface Raw {
  status: number;
  headers: Headers;
  body: { error_code?: unknown; message?: string; session?: string; result?: SimDossier[] };
}

async function post(path: string, body: unknown, base = sim.url, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dstcode: 'DVCQG', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Raw['body'] };
}

async function login(base = sim.url): Promise<string> {
  const { body } = await post('/auth', CREDENTIALS, base);
  if (typeof body.session !== 'string') throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.session;
}

async function integrate(
  service: string,
  data: unknown[],
  options: { isUpdating?: unknown; session?: string; madonvi?: string; base?: string } = {},
) {
  const base = options.base ?? sim.url;
  const session = options.session ?? (await login(base));
  const body: Record<string, unknown> = {
    session,
    madonvi: options.madonvi ?? '000.00.00.H24',
    service,
    data,
  };
  if (service === 'DongBoHoSoMC') body.isUpdating = options.isUpdating ?? 'False';
  return post('/integration', body, base);
}

/** TraCuuHoSo as the contract has it: one code, at the top level. */
async function lookupRaw(mahoso: unknown, session?: string) {
  return post('/integration', {
    session: session ?? (await login()),
    madonvi: '000.00.00.H24',
    service: 'TraCuuHoSo',
    mahoso,
  });
}

const A = dossierCode(1);
const B = dossierCode(2);
const C = dossierCode(3);
const D = dossierCode(4);

describe('session', () => {
  it('logs in with the configured credentials and refuses others, naming no dossier', async () => {
    const ok = await post('/auth', CREDENTIALS);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ error_code: 0, session: expect.any(String) });
    const bad = await post('/auth', { ...CREDENTIALS, password: 'wrong' });
    expect(bad.body.error_code).toBe('SIM_LOGIN_REFUSED');
  });

  it('refuses a missing, unknown or expired session with its own code', async () => {
    const data = [dossierObject(A)];
    expect((await integrate('DongBoHoSoMC', data, { session: 'nope' })).body.error_code).toBe(
      'SIM_SESSION_UNKNOWN',
    );
    const missing = await post('/integration', {
      madonvi: 'x',
      service: 'DongBoHoSoMC',
      isUpdating: false,
      data,
    });
    expect(missing.body.error_code).toBe('SIM_SESSION_UNKNOWN');
    const session = await login();
    clockMs += TTL_MS - 1_000;
    expect((await lookupRaw(A, session)).body.error_code).toBe('00');
    clockMs += 1_000;
    expect((await lookupRaw(A, session)).body.error_code).toBe('SIM_SESSION_UNKNOWN');
  });

  it('lets the client log in again by itself after the sessions expire', async () => {
    expect((await client.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
    sim.control.expireSessions();
    expect((await client.syncDossiers([dossierObject(A)], true)).kind).toBe('ok');
    expect(sim.stats.calls('auth')).toEqual({ '00': 2 });
    expect(sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 2, SIM_SESSION_UNKNOWN: 1 });
  });

  it('serves the login and integration on configured paths', async () => {
    const paths = { authPath: '/dvcqg/xac-thuc', integrationPath: '/dvcqg/tich-hop' };
    const other = await startPortalSimulator({ ...CREDENTIALS, ...paths, now });
    try {
      const c = createPortalClient({
        url: other.url,
        ...CREDENTIALS,
        ...paths,
        dstcode: 'D',
        madonvi: 'M',
        timeoutMs: 2_000,
        now,
      });
      expect((await c.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
      expect((await fetch(`${other.url}/auth`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('configured agency and destination', () => {
  let strict: PortalSimulator;
  beforeAll(async () => {
    strict = await startPortalSimulator({ ...CREDENTIALS, dstcode: 'DVCQG', madonvi: '000.00.00.H24', now });
  });
  afterAll(async () => {
    await strict.close();
  });

  it('refuses another madonvi, naming no dossier: the client tries once more, then reports a fault', async () => {
    const answer = await integrate('DongBoHoSoMC', [dossierObject(A)], {
      base: strict.url,
      madonvi: '000.00.00.H56',
    });
    expect(answer.body.error_code).toBe('SIM_MADONVI_UNKNOWN');
    expect(
      await clientFor(strict.url, { madonvi: '000.00.00.H56' }).syncDossiers([dossierObject(A)], false),
    ).toMatchObject({ kind: 'config_fault', errorCode: 'SIM_MADONVI_UNKNOWN' });
    expect(strict.stats.dossierCodes()).toEqual([]);
  });

  it('refuses calls without the configured dstcode at the HTTP level', async () => {
    const answer = await post('/auth', CREDENTIALS, strict.url, { dstcode: 'OTHER' });
    expect(answer.status).toBe(403);
    expect(
      await clientFor(strict.url, { dstcode: 'OTHER' }).syncDossiers([dossierObject(A)], false),
    ).toMatchObject({ kind: 'config_fault', errorCode: 'HTTP_403' });
    expect((await clientFor(strict.url).syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
  });
});

describe('dossier sync', () => {
  it('inserts, then refuses a second insert of a held code with -3 naming it, applying nothing of that call', async () => {
    expect((await integrate('DongBoHoSoMC', [dossierObject(A), dossierObject(B)])).body).toEqual({
      error_code: '00',
      message: 'Thành công',
    });
    const again = await integrate('DongBoHoSoMC', [dossierObject(C), dossierObject(A), dossierObject(B)]);
    expect(again.body).toEqual({ error_code: '-3', message: `Hồ sơ đã tồn tại: ${A}, ${B}` });
    expect(sim.stats.dossier(C)).toBeUndefined();
    expect(sim.stats.snapshot().inserts).toEqual({ [A]: 1, [B]: 1 });
  });

  it.each([
    [
      { code: '-3', named: false },
      { error_code: '-3', message: 'Hồ sơ đã tồn tại' },
    ],
    [
      { code: 3, named: true },
      { error_code: 3, message: `Hồ sơ đã tồn tại: ${A}` },
    ],
    [
      { code: '3', named: false },
      { error_code: '3', message: 'Hồ sơ đã tồn tại' },
    ],
  ] as const)('words "đã tồn tại" as told: %j', async (how, expected) => {
    await integrate('DongBoHoSoMC', [dossierObject(A)]);
    sim.control.setExistsAnswer(how);
    expect((await integrate('DongBoHoSoMC', [dossierObject(A)])).body).toEqual(expected);
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'exists',
      codes: how.named ? [A] : [],
    });
  });

  it('refuses an update naming an unknown dossier with -1, applying nothing of that call', async () => {
    await integrate('DongBoHoSoMC', [dossierObject(A)]);
    const update = await integrate(
      'DongBoHoSoMC',
      [dossierObject(A, 'processing'), dossierObject(D, 'processing')],
      {
        isUpdating: 'True',
      },
    );
    expect(update.body).toEqual({ error_code: '-1', message: `Không tìm thấy hồ sơ: ${D}` });
    expect(sim.stats.dossier(A)?.TrangThaiHoSo).toBe('2');
    expect(sim.stats.updateCount(A)).toBe(0);
  });

  it('replaces the held object on update', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    expect((await client.syncDossiers([dossierObject(A, 'processing')], true)).kind).toBe('ok');
    expect(sim.stats.dossier(A)).toEqual(dossierObject(A, 'processing'));
    expect(sim.stats.updateCount(A)).toBe(1);
  });

  it.each([
    ['"True"/"False"', 'False', 'True'],
    ['"true"/"false"', 'false', 'true'],
    ['JSON booleans', false, true],
  ])('accepts isUpdating as %s', async (_, insert, update) => {
    expect(
      (await integrate('DongBoHoSoMC', [dossierObject(A)], { isUpdating: insert })).body.error_code,
    ).toBe('00');
    expect(
      (await integrate('DongBoHoSoMC', [dossierObject(A)], { isUpdating: update })).body.error_code,
    ).toBe('00');
    expect([sim.stats.insertCount(A), sim.stats.updateCount(A)]).toEqual([1, 1]);
  });

  it('refuses a sync without a readable isUpdating', async () => {
    for (const isUpdating of [undefined, 'Yes', 1]) {
      const body = {
        session: await login(),
        madonvi: '000.00.00.H24',
        service: 'DongBoHoSoMC',
        isUpdating,
        data: [dossierObject(A)],
      };
      expect((await post('/integration', body)).body).toMatchObject({
        error_code: 'SIM_INVALID',
        message: expect.stringMatching(/^simulator: \*: isUpdating: /),
      });
    }
  });

  it('accepts what real clients send: every contract field, optional ones as "", Gia as a string', async () => {
    const object = realClientObject(A);
    expect((await integrate('DongBoHoSoMC', [object])).body.error_code).toBe('00');
    expect(sim.stats.dossier(A)).toEqual(object);
  });

  it.each([
    ['NgayHenTra as ""', { NgayHenTra: '' }],
    ['no NgayHenTra at all', { NgayHenTra: undefined }],
    ['Gia as a number', { DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí', Gia: 50000 }] }],
    ['Gia as a string', { DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí', Gia: '50000' }] }],
    ['DuocThanhToanTrucTuyen 2', { DuocThanhToanTrucTuyen: '2' }],
    [
      'DuocTaiSuDung 2 with MaKetQuaThayThe',
      { TaiLieuNop: [{ TenTepDinhKem: 'KQ', DuocTaiSuDung: 2, MaKetQuaThayThe: 'KQ-1' }] },
    ],
    [
      'a dossier not yet received without NgayTiepNhan',
      { TrangThaiHoSo: '1', NgayTiepNhan: '', NgayHenTra: '' },
    ],
  ])('accepts %s', async (_, change) => {
    const object = { ...realClientObject(A), ...change };
    const answer = await integrate('DongBoHoSoMC', [JSON.parse(JSON.stringify(object))]);
    expect(answer.body).toMatchObject({ error_code: '00' });
  });

  const invalidCases: [string, Record<string, unknown>, string][] = [
    ['a missing required field', { MaTTHC: undefined }, 'MaTTHC: required'],
    ['an empty required field', { ChuHoSo: ' ' }, 'ChuHoSo: must not be empty'],
    [
      'a date not in the format',
      { NgayTiepNhan: '28/11/2026' },
      'NgayTiepNhan: must be a date yyyyMMddHHmmss',
    ],
    ['a TrangThaiHoSo outside 1–10', { TrangThaiHoSo: '11' }, 'TrangThaiHoSo: must be one of'],
    [
      'a received dossier without NgayTiepNhan',
      { NgayTiepNhan: '' },
      'NgayTiepNhan: required once the dossier is received',
    ],
    ['DuocThanhToanTrucTuyen 3', { DuocThanhToanTrucTuyen: '3' }, 'DuocThanhToanTrucTuyen: must be one of'],
    [
      'DuocTaiSuDung 2 without MaKetQuaThayThe',
      { TaiLieuNop: [{ TenTepDinhKem: 'KQ', DuocTaiSuDung: '2' }] },
      'TaiLieuNop.0.MaKetQuaThayThe: required when DuocTaiSuDung is 2',
    ],
    [
      'a negative Gia',
      { DanhSachLePhi: [{ Gia: '-5' }] },
      'DanhSachLePhi.0.Gia: must be a non-negative amount',
    ],
    ['a key the contract does not know', { NgayHetHan: '' }, '(object): Unrecognized key'],
    ['a due date not in the format', { NgayHenTra: '19/12/2026' }, 'NgayHenTra: '],
  ];
  it.each(invalidCases)('refuses %s, naming the dossier and field', async (_, change, expected) => {
    const spoilt = JSON.parse(JSON.stringify({ ...realClientObject(B), ...change }));
    const answer = await integrate('DongBoHoSoMC', [dossierObject(A), spoilt]);
    expect(answer.body.error_code).toBe('SIM_INVALID');
    expect(answer.body.message).toContain(`simulator: ${B}: ${expected}`);
    expect(sim.stats.dossierCodes()).toEqual([]);
    expect(await client.syncDossiers([dossierObject(A), spoilt], false)).toMatchObject({ kind: 'refused' });
  });

  it('refuses the same code twice in one insert', async () => {
    const answer = await integrate('DongBoHoSoMC', [dossierObject(A), dossierObject(A)]);
    expect(answer.body.message).toBe(`simulator: ${A}: MaHoSo: appears more than once in this call`);
  });

  it('refuses more than 50 dossiers in one call, naming no dossier', async () => {
    const data = Array.from({ length: 51 }, (_, i) => dossierObject(dossierCode(i + 1)));
    const answer = await integrate('DongBoHoSoMC', data);
    expect(answer.body).toEqual({
      error_code: 'SIM_INVALID',
      message: 'simulator: *: data: at most 50 dossiers per call, got 51',
    });
    expect(sim.stats.dossierCodes()).toEqual([]);
    expect((await integrate('DongBoHoSoMC', data.slice(0, 50))).body.error_code).toBe('00');
  });

  it('refuses an unknown service and a malformed envelope, naming no dossier', async () => {
    expect((await integrate('XoaHoSo', [])).body.message).toMatch(/^simulator: \*: service: unknown service/);
    expect((await integrate('DongBoHoSoMC', [], { madonvi: '' })).body.message).toBe(
      'simulator: *: madonvi: must not be empty',
    );
  });
});

describe('progress', () => {
  it('refuses progress for an unknown dossier with -1 and applies nothing', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const answer = await integrate('CapNhatTienDoHoSoMC', [
      progressRecord(A, 'processing', 5),
      progressRecord(D, 'processing', 5),
    ]);
    expect(answer.body).toEqual({ error_code: '-1', message: `Không tìm thấy hồ sơ: ${D}` });
    expect(sim.stats.progressOf(A)).toEqual([]);
    expect(await client.pushProgress([progressRecord(D, 'processing', 5)])).toMatchObject({
      kind: 'not_found',
      codes: [D],
    });
  });

  it('keeps steps in the order received and ignores an equal step sent again', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const steps = [
      progressRecord(A, 'processing', 10),
      progressRecord(A, 'supplement_requested', 20),
      progressRecord(A, 'processing', 30),
    ];
    expect((await client.pushProgress(steps.slice(0, 2))).kind).toBe('ok');
    // A resend after a crash repeats the second step, then the third goes out.
    expect((await client.pushProgress(steps.slice(1))).kind).toBe('ok');
    const resentWithOtherText = { ...steps[0], NoiDungXuLy: 'khác' };
    expect((await client.pushProgress([resentWithOtherText])).kind).toBe('ok');
    expect(sim.stats.progressOf(A)).toEqual(steps);
    expect(sim.stats.snapshot().duplicateProgressIgnored).toBe(2);
  });

  it('accepts ChucDanh, PhongBanXuLy, NgayBatDau and NgayKetThucTheoQuyDinh as "", and NguoiXuLy of 50 characters', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const record = realClientProgress(A, `${'N'.repeat(49)}Ữ`);
    expect((await integrate('CapNhatTienDoHoSoMC', [record])).body.error_code).toBe('00');
    expect(sim.stats.progressOf(A)).toEqual([record]);
  });

  it('refuses NguoiXuLy over 50 characters, more than 10 records and invalid records, naming the dossier', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const long = await integrate('CapNhatTienDoHoSoMC', [realClientProgress(A, 'N'.repeat(51))]);
    expect(long.body.message).toBe(`simulator: ${A}: NguoiXuLy: must be at most 50 characters`);
    const eleven = Array.from({ length: 11 }, (_, i) => progressRecord(A, 'processing', i));
    expect((await integrate('CapNhatTienDoHoSoMC', eleven)).body.message).toBe(
      'simulator: *: data: at most 10 progress records per call, got 11',
    );
    const bad = { ...progressRecord(A, 'processing', 1), TrangThai: '0' };
    expect((await integrate('CapNhatTienDoHoSoMC', [bad])).body.message).toMatch(
      new RegExp(`^simulator: ${A.replace(/\./g, '\\.')}: TrangThai: must be one of`),
    );
    const missing = { ...realClientProgress(A, 'Cán bộ'), NoiDungXuLy: undefined };
    expect((await integrate('CapNhatTienDoHoSoMC', [JSON.parse(JSON.stringify(missing))])).body.message).toBe(
      `simulator: ${A}: NoiDungXuLy: required`,
    );
    expect(sim.stats.progressOf(A)).toEqual([]);
  });
});

describe('lookup (TraCuuHoSo)', () => {
  it('takes one code at the top level: the object held in result, or an empty result', async () => {
    await client.syncDossiers([dossierObject(A), dossierObject(B)], false);
    expect((await lookupRaw(B)).body).toEqual({
      error_code: '00',
      message: 'Thành công',
      result: [dossierObject(B)],
    });
    expect((await lookupRaw(D)).body).toEqual({ error_code: '00', message: 'Thành công', result: [] });
    expect(await client.lookup(A)).toMatchObject({ kind: 'ok', held: true, result: [dossierObject(A)] });
    expect(await client.lookup(D)).toMatchObject({ kind: 'ok', held: false });
  });

  it('refuses the old form with a data list', async () => {
    const answer = await integrate('TraCuuHoSo', [{ MaHoSo: A }]);
    expect(answer.body).toEqual({ error_code: 'SIM_INVALID', message: 'simulator: *: mahoso: required' });
  });
});

describe('misbehaviour on command', () => {
  it('answers 5xx to the next calls, then recovers', async () => {
    sim.control.fail({ status: 503, count: 2 });
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'outage',
      status: 503,
    });
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'outage',
      status: 503,
    });
    expect((await client.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
    // No session yet: both failures hit the login, then the call went through.
    expect(sim.stats.calls('auth')).toEqual({ http_503: 2, '00': 1 });
    expect(sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 1 });
    sim.control.fail({ status: 500, count: 1 });
    expect(await client.syncDossiers([dossierObject(B)], false)).toMatchObject({
      kind: 'outage',
      status: 500,
    });
    expect(sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 1, http_500: 1 });
  });

  it('answers 429 with Retry-After in seconds or as an HTTP date', async () => {
    await client.syncDossiers([dossierObject(A)], false); // logged in
    sim.control.fail({ status: 429, count: 1, retryAfterSeconds: 4 });
    expect(await client.syncDossiers([dossierObject(B)], false)).toMatchObject({
      kind: 'outage',
      status: 429,
      retryAfterMs: 4_000,
    });
    sim.control.fail({ status: 429, count: 1, retryAfterSeconds: 9, retryAfterFormat: 'http-date' });
    const raw = await lookupRaw(A, 'irrelevant');
    expect(raw.headers.get('retry-after')).toBe(new Date(clockMs + 9_000).toUTCString());
    sim.control.fail({ status: 429, count: 1, retryAfterSeconds: 9, retryAfterFormat: 'http-date' });
    expect(await client.syncDossiers([dossierObject(B)], false)).toMatchObject({ retryAfterMs: 9_000 });
  });

  it('answers slowly, so a client with a short timeout sees an outage', async () => {
    sim.control.delay(400);
    const impatient = clientFor(sim.url, { timeoutMs: 100 });
    const result = await impatient.syncDossiers([dossierObject(A)], false);
    expect(result).toMatchObject({ kind: 'outage', message: expect.stringMatching(/within 100 ms/) });
    // The portal still answers the abandoned login after its delay (a timeout is not "not applied").
    await waitFor(() => sim.stats.calls('auth')['00'] === 1);
    sim.control.delay(0);
    expect((await impatient.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
  });

  it('refuses chosen dossiers, naming them, in syncs and progress, applying nothing', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    sim.control.rejectCodes([B], { field: 'ChuHoSo', reason: 'không khớp CSDL dân cư' });
    sim.control.rejectCodes([A], { errorCode: -2 });
    expect(await client.syncDossiers([dossierObject(C), dossierObject(B)], false)).toMatchObject({
      kind: 'refused',
      origin: 'portal',
      codes: [B],
      errorCode: 'SIM_INVALID',
      message: `simulator: refused ${B}: ChuHoSo: không khớp CSDL dân cư`,
    });
    expect(await client.pushProgress([progressRecord(A, 'processing', 1)])).toMatchObject({
      kind: 'refused',
      codes: [A],
      errorCode: '-2',
    });
    expect(sim.stats.dossierCodes()).toEqual([A]);
    sim.control.clearRejections();
    expect((await client.syncDossiers([dossierObject(C), dossierObject(B)], false)).kind).toBe('ok');
  });

  it('limits calls per second with 429 and Retry-After: 1', async () => {
    sim.control.setCapacity(3);
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/auth', CREDENTIALS)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(answers.find((a) => a.status === 429)?.headers.get('retry-after')).toBe('1');
    clockMs += 1_000;
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);
  });

  it('refuses every login and call while the caller is refused; the client stops after the second', async () => {
    sim.control.refuseCaller(true);
    expect((await post('/auth', CREDENTIALS)).body.error_code).toBe('SIM_CALLER_REFUSED');
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'config_fault',
      errorCode: 'SIM_CALLER_REFUSED',
    });
    expect(sim.stats.calls('auth')).toEqual({ SIM_CALLER_REFUSED: 3 });
  });

  it('refuses connections until told to accept them again, on the same URL, keeping its data', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    await sim.control.refuseConnections();
    expect(await client.syncDossiers([dossierObject(B)], false)).toMatchObject({
      kind: 'outage',
      message: expect.stringMatching(/unreachable/),
    });
    await expect(fetch(`${sim.url}/auth`, { method: 'POST', body: '{}' })).rejects.toThrow();
    await sim.control.acceptConnections();
    expect((await client.syncDossiers([dossierObject(B)], false)).kind).toBe('ok');
    expect(sim.stats.dossierCodes()).toEqual([A, B]);
  });

  it('accepts connections again by itself after a timed refusal', async () => {
    await sim.control.refuseConnections(150);
    await expect(fetch(`${sim.url}/auth`, { method: 'POST', body: '{}' })).rejects.toThrow();
    await waitUntilAccepting(sim.url);
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitUntilAccepting(url: string, timeoutMs = 3_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`${url}/__sim/stats`);
      return;
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe('control over HTTP (for another process)', () => {
  const control = (path: string, body?: unknown) =>
    fetch(`${sim.url}/__sim/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('switches faults, delay, rejections, capacity and IP refusal on and off', async () => {
    expect((await control('fail', { status: 502, count: 1 })).status).toBe(200);
    expect((await post('/auth', CREDENTIALS)).status).toBe(502);
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);

    await control('delay', { ms: 300 });
    const started = performance.now();
    await post('/auth', CREDENTIALS);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    await control('reset');

    await control('reject', { codes: [A], errorCode: 99 });
    expect((await integrate('DongBoHoSoMC', [dossierObject(A)])).body).toEqual({
      error_code: 99,
      message: `simulator: refused ${A}: MaHoSo: rejected by the simulator on command`,
    });
    await control('clear-rejections');
    expect((await integrate('DongBoHoSoMC', [dossierObject(A)])).body.error_code).toBe('00');

    await control('capacity', { perSecond: 1 });
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);
    expect((await post('/auth', CREDENTIALS)).status).toBe(429);
    await control('capacity', { perSecond: null });
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);

    await control('refuse-caller', { on: true });
    expect((await post('/auth', CREDENTIALS)).body.error_code).toBe('SIM_CALLER_REFUSED');
    await control('reset');
    expect((await post('/auth', CREDENTIALS)).body.error_code).toBe(0);

    await integrate('DongBoHoSoMC', [dossierObject(B)]);
    expect((await control('exists-answer', { code: 3, named: false })).status).toBe(200);
    expect((await integrate('DongBoHoSoMC', [dossierObject(B)])).body).toEqual({
      error_code: 3,
      message: 'Hồ sơ đã tồn tại',
    });
    await control('reset');
    expect((await integrate('DongBoHoSoMC', [dossierObject(B)])).body.error_code).toBe('-3');
  });

  it('expires sessions', async () => {
    const session = await login();
    await control('expire-sessions');
    expect((await lookupRaw(A, session)).body.error_code).toBe('SIM_SESSION_UNKNOWN');
  });

  it('reports stats and forgets everything on clear', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as {
      calls: Record<string, Record<string, number>>;
      inserts: Record<string, number>;
      dossiers: Record<string, SimDossier>;
    };
    expect(stats.calls).toEqual({ auth: { '00': 1 }, DongBoHoSoMC: { '00': 1 } });
    expect(stats.inserts).toEqual({ [A]: 1 });
    expect(stats.dossiers[A]).toEqual(dossierObject(A));
    expect(sim.stats.requests()).toEqual([
      expect.objectContaining({ service: 'DongBoHoSoMC', isUpdating: 'False', data: [dossierObject(A)] }),
    ]);
    await control('clear');
    expect(sim.stats.requests()).toEqual([]);
    expect(sim.stats.snapshot()).toEqual({
      calls: {},
      inserts: {},
      updates: {},
      progress: {},
      dossiers: {},
      duplicateProgressIgnored: 0,
    });
  });

  it('refuses connections for a while after answering the request', async () => {
    const answer = await control('refuse-connections', { forMs: 300 });
    expect(await answer.json()).toEqual({ ok: true, refusingForMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(fetch(`${sim.url}/__sim/stats`)).rejects.toThrow();
    await waitUntilAccepting(sim.url);
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);
  });

  it('refuses a malformed command with 400', async () => {
    expect((await control('fail', { status: 404 })).status).toBe(400);
    expect((await control('refuse-connections', {})).status).toBe(400);
    expect((await control('capacity', { perSecond: 0 })).status).toBe(400);
    expect((await control('exists-answer', { code: 4, named: true })).status).toBe(400);
  });
});

describe('stats for delivery tests', () => {
  it('shows every dossier exactly once and every step in order after a crash and a resend', async () => {
    const codes = [A, B, C];
    const steps = codes.flatMap((code) => [
      progressRecord(code, 'processing', 10),
      progressRecord(code, 'resolved', 20),
    ]);
    expect(
      (
        await client.syncDossiers(
          codes.map((c) => dossierObject(c)),
          false,
        )
      ).kind,
    ).toBe('ok');
    expect((await client.pushProgress(steps)).kind).toBe('ok');
    // The gateway crashed before recording the deliveries: it resends exactly what it sent.
    expect(
      await client.syncDossiers(
        codes.map((c) => dossierObject(c)),
        false,
      ),
    ).toMatchObject({
      kind: 'exists',
      codes,
    });
    expect((await client.pushProgress(steps)).kind).toBe('ok');
    for (const code of codes) {
      expect(sim.stats.insertCount(code)).toBe(1);
      expect(sim.stats.progressOf(code).map((r) => r.TrangThai)).toEqual(['4', '9']);
    }
    expect(sim.stats.snapshot().duplicateProgressIgnored).toBe(6);
    expect(sim.stats.totalCalls()).toBe(5);
  });
});
