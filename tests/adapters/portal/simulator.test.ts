import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortalClient, type PortalClient } from '../../../adapters/portal/client.js';
import { type PortalSimulator, startPortalSimulator } from '../../../adapters/portal/simulator.js';
import type { PortalDossier } from '../../../schemas/portal.js';
import { dossierCode, dossierObject, progressRecord } from './fixtures.js';

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
  body: { error_code?: unknown; message?: string; session?: string; result?: PortalDossier[] };
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
  options: { isUpdating?: boolean; session?: string; madonvi?: string; base?: string } = {},
) {
  const base = options.base ?? sim.url;
  const session = options.session ?? (await login(base));
  return post(
    '/integration',
    {
      session,
      madonvi: options.madonvi ?? '000.00.00.H24',
      service,
      isUpdating: options.isUpdating ?? false,
      data,
    },
    base,
  );
}

const A = dossierCode(1);
const B = dossierCode(2);
const C = dossierCode(3);
const D = dossierCode(4);

describe('session', () => {
  it('logs in with the configured credentials and refuses others', async () => {
    const ok = await post('/auth', CREDENTIALS);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ error_code: 0, session: expect.any(String) });
    const bad = await post('/auth', { ...CREDENTIALS, password: 'wrong' });
    expect(bad.body).toEqual({ error_code: 100, message: 'AUTHEN_ERROR' });
  });

  it('answers AUTHEN_ERROR for a missing, unknown or expired session', async () => {
    const data = [dossierObject(A)];
    expect((await integrate('DongBoHoSoMC', data, { session: 'nope' })).body.error_code).toBe(100);
    const missing = await post('/integration', {
      madonvi: 'x',
      service: 'DongBoHoSoMC',
      isUpdating: false,
      data,
    });
    expect(missing.body.error_code).toBe(100);
    const session = await login();
    clockMs += TTL_MS - 1_000;
    expect((await integrate('TraCuuHoSo', [{ MaHoSo: A }], { session })).body.error_code).toBe('00');
    clockMs += 1_000;
    expect((await integrate('TraCuuHoSo', [{ MaHoSo: A }], { session })).body.error_code).toBe(100);
  });

  it('lets the client log in again by itself after the sessions expire', async () => {
    expect((await client.syncDossiers([dossierObject(A)], false)).kind).toBe('ok');
    sim.control.expireSessions();
    expect((await client.syncDossiers([dossierObject(A)], true)).kind).toBe('ok');
    expect(sim.stats.calls('auth')).toEqual({ '00': 2 });
    expect(sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 2, '100': 1 });
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

  it('answers 106 AGENCY_ID_INCORRECT for another madonvi', async () => {
    const answer = await integrate('DongBoHoSoMC', [dossierObject(A)], {
      base: strict.url,
      madonvi: '000.00.00.H56',
    });
    expect(answer.body).toEqual({ error_code: 106, message: 'AGENCY_ID_INCORRECT' });
    expect(
      await clientFor(strict.url, { madonvi: '000.00.00.H56' }).syncDossiers([dossierObject(A)], false),
    ).toMatchObject({ kind: 'config_fault', errorCode: '106' });
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
  it('inserts, then refuses a second insert of a held code with -3, applying nothing of that call', async () => {
    expect((await integrate('DongBoHoSoMC', [dossierObject(A), dossierObject(B)])).body).toEqual({
      error_code: '00',
      message: 'Thành công',
    });
    const again = await integrate('DongBoHoSoMC', [dossierObject(C), dossierObject(A), dossierObject(B)]);
    expect(again.body).toEqual({ error_code: '-3', message: `Hồ sơ đã tồn tại: ${A}, ${B}` });
    expect(sim.stats.dossier(C)).toBeUndefined();
    expect(sim.stats.snapshot().inserts).toEqual({ [A]: 1, [B]: 1 });
  });

  it('refuses an update naming an unknown dossier with -1, applying nothing of that call', async () => {
    await integrate('DongBoHoSoMC', [dossierObject(A)]);
    const update = await integrate(
      'DongBoHoSoMC',
      [dossierObject(A, 'processing'), dossierObject(D, 'processing')],
      {
        isUpdating: true,
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

  const invalidCases: [string, (d: PortalDossier) => unknown, string][] = [
    ['a missing required field', ({ MaTTHC: _, ...rest }) => rest, 'MaTTHC: required'],
    [
      'a date not in the format',
      (d) => ({ ...d, NgayTiepNhan: '28/11/2026' }),
      'NgayTiepNhan: must be a date yyyyMMddHHmmss (Asia/Ho_Chi_Minh) naming a real day and time',
    ],
    ['a TrangThaiHoSo outside 1–10', (d) => ({ ...d, TrangThaiHoSo: '11' }), 'TrangThaiHoSo: must be one of'],
    [
      'NgayHenTra earlier than NgayTiepNhan',
      (d) => ({ ...d, NgayHenTra: '20261127170000' }),
      'NgayHenTra: is earlier than NgayTiepNhan',
    ],
    [
      'a due date not in the format',
      (d) => ({ ...d, NgayHenTra: '19/12/2026' }),
      'NgayHenTra: must be a date',
    ],
  ];
  it.each(invalidCases)(
    'refuses %s as DATA_INCORRECT naming the dossier and field',
    async (_, spoil, expected) => {
      const answer = await integrate('DongBoHoSoMC', [dossierObject(A), spoil(dossierObject(B))]);
      expect(answer.body.error_code).toBe(500);
      expect(answer.body.message).toContain(`DATA_INCORRECT: ${B}: ${expected}`);
      expect(sim.stats.dossierCodes()).toEqual([]);
      const classified = await client.syncDossiers([dossierObject(C)], false);
      expect(classified.kind).toBe('ok');
    },
  );

  it('refuses the same code twice in one insert', async () => {
    const answer = await integrate('DongBoHoSoMC', [dossierObject(A), dossierObject(A)]);
    expect(answer.body.message).toBe(`DATA_INCORRECT: ${A}: MaHoSo: appears more than once in this call`);
  });

  it('refuses more than 50 dossiers in one call as a whole-call DATA_INCORRECT', async () => {
    const data = Array.from({ length: 51 }, (_, i) => dossierObject(dossierCode(i + 1)));
    const answer = await integrate('DongBoHoSoMC', data);
    expect(answer.body).toEqual({
      error_code: 500,
      message: 'DATA_INCORRECT: *: data: at most 50 dossiers per call, got 51',
    });
    expect(sim.stats.dossierCodes()).toEqual([]);
    expect((await integrate('DongBoHoSoMC', data.slice(0, 50))).body.error_code).toBe('00');
  });

  it('refuses an unknown service and a malformed envelope as whole-call DATA_INCORRECT', async () => {
    expect((await integrate('XoaHoSo', [])).body.message).toMatch(
      /^DATA_INCORRECT: \*: service: unknown service/,
    );
    expect((await integrate('DongBoHoSoMC', [], { madonvi: '' })).body.message).toBe(
      'DATA_INCORRECT: *: madonvi: must not be empty',
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

  it('refuses more than 10 records and invalid records, naming the dossier', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const eleven = Array.from({ length: 11 }, (_, i) => progressRecord(A, 'processing', i));
    expect((await integrate('CapNhatTienDoHoSoMC', eleven)).body.message).toBe(
      'DATA_INCORRECT: *: data: at most 10 progress records per call, got 11',
    );
    const bad = { ...progressRecord(A, 'processing', 1), TrangThai: '0' };
    expect((await integrate('CapNhatTienDoHoSoMC', [bad])).body.message).toMatch(
      new RegExp(`^DATA_INCORRECT: ${A.replace(/\./g, '\\.')}: TrangThai: must be one of`),
    );
    expect(sim.stats.progressOf(A)).toEqual([]);
  });
});

describe('lookup', () => {
  it('returns the objects held and leaves unknown codes out', async () => {
    await client.syncDossiers([dossierObject(A), dossierObject(B)], false);
    const raw = await integrate('TraCuuHoSo', [{ MaHoSo: B }, { MaHoSo: D }]);
    expect(raw.body).toEqual({ error_code: '00', message: 'Thành công', result: [dossierObject(B)] });
    const result = await client.lookup([A, D]);
    expect(result).toMatchObject({ kind: 'ok', found: [dossierObject(A)], missing: [D] });
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
    const raw = await integrate('TraCuuHoSo', [{ MaHoSo: A }], { session: 'irrelevant' });
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

  it('rejects chosen dossiers as DATA_INCORRECT, in syncs and progress, applying nothing', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    sim.control.rejectCodes([B, A], { field: 'ChuHoSo', reason: 'không khớp CSDL dân cư' });
    expect(await client.syncDossiers([dossierObject(C), dossierObject(B)], false)).toMatchObject({
      kind: 'data_incorrect',
      origin: 'portal',
      code: B,
      field: 'ChuHoSo',
      reason: 'không khớp CSDL dân cư',
    });
    expect(await client.pushProgress([progressRecord(A, 'processing', 1)])).toMatchObject({
      kind: 'data_incorrect',
      code: A,
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

  it('answers 101 IP_DISALLOWED while callers are refused', async () => {
    sim.control.setIpDisallowed(true);
    expect((await post('/auth', CREDENTIALS)).body).toEqual({ error_code: 101, message: 'IP_DISALLOWED' });
    expect(await client.syncDossiers([dossierObject(A)], false)).toMatchObject({
      kind: 'config_fault',
      errorCode: '101',
    });
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

    await control('reject', { codes: [A] });
    expect((await integrate('DongBoHoSoMC', [dossierObject(A)])).body.message).toBe(
      `DATA_INCORRECT: ${A}: MaHoSo: rejected by the simulator on command`,
    );
    await control('clear-rejections');
    expect((await integrate('DongBoHoSoMC', [dossierObject(A)])).body.error_code).toBe('00');

    await control('capacity', { perSecond: 1 });
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);
    expect((await post('/auth', CREDENTIALS)).status).toBe(429);
    await control('capacity', { perSecond: null });
    expect((await post('/auth', CREDENTIALS)).status).toBe(200);

    await control('ip-disallowed', { on: true });
    expect((await post('/auth', CREDENTIALS)).body.error_code).toBe(101);
    await control('reset');
    expect((await post('/auth', CREDENTIALS)).body.error_code).toBe(0);
  });

  it('expires sessions', async () => {
    const session = await login();
    await control('expire-sessions');
    expect((await integrate('TraCuuHoSo', [{ MaHoSo: A }], { session })).body.error_code).toBe(100);
  });

  it('reports stats and forgets everything on clear', async () => {
    await client.syncDossiers([dossierObject(A)], false);
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as {
      calls: Record<string, Record<string, number>>;
      inserts: Record<string, number>;
      dossiers: Record<string, PortalDossier>;
    };
    expect(stats.calls).toEqual({ auth: { '00': 1 }, DongBoHoSoMC: { '00': 1 } });
    expect(stats.inserts).toEqual({ [A]: 1 });
    expect(stats.dossiers[A]).toEqual(dossierObject(A));
    await control('clear');
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
