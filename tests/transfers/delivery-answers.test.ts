/**
 * The portal's answers as the delivery worker meets them over real sockets (docs/portal-contract.md):
 * the simulator on 127.0.0.1, the real client and the real worker. "đã tồn tại" with and without codes,
 * with `-3` or `3`, alone or in a batch, ends as an update in the same round (one attempt); a failure
 * naming no dossier is retried once with a new login and the second one in a row opens the circuit with
 * an alert; a session is replaced once it reached its lifetime.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPortalClient } from '../../adapters/portal/client.js';
import type { ExistsAnswer } from '../../adapters/portal/simulator.state.js';
import { portalMapper } from '../../mappings/portal/index.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Pushes `n` new dossiers; each queues one insert. */
async function push(n: number): Promise<{ id: string; code: string }[]> {
  const out: { id: string; code: string }[] = [];
  for (let i = 0; i < n; i++) {
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    out.push({ id: d.id, code: d.code });
  }
  return out;
}

/**
 * The portal already holds these dossiers (an earlier insert was applied but its answer never came back):
 * their queued insert objects are sent to the simulator by a client of their own.
 */
async function heldAlready(codes: string[]): Promise<void> {
  const rows = h.gw.sqlite
    .prepare("SELECT payload FROM transfers WHERE kind = 'dossier_sync' ORDER BY id")
    .all() as { payload: string }[];
  const objects = rows
    .map((r) => portalMapper.dossier(JSON.parse(r.payload)))
    .filter((m) => codes.includes(m.code))
    .map((m) => m.object);
  const other = createPortalClient({
    url: h.sim.url,
    username: 'u',
    password: 'p',
    dstcode: 'OTHER',
    madonvi: '000.00.00.H24',
    timeoutMs: 2_000,
  });
  expect((await other.syncDossiers(objects, false)).kind).toBe('ok');
}

/** Drains in at most `rounds` worker rounds (the loop this file guards against would not end). */
async function drainWithin(rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (h.transfers().every((t) => t.state === 'delivered')) return;
    await h.worker.tick();
  }
}

describe('"đã tồn tại" to an insert', () => {
  it.each<ExistsAnswer>([
    { code: '-3', named: false },
    { code: -3, named: true },
    { code: 3, named: false },
    { code: '3', named: true },
  ])('%j for one dossier: delivered as an update in one attempt', async (how) => {
    h = await createHarness();
    const [d] = await push(1);
    if (!d) throw new Error('no dossier');
    await heldAlready([d.code]);
    h.sim.control.setExistsAnswer(how);
    await drainWithin(3);
    expect(h.transfers()).toMatchObject([{ state: 'delivered', attempts: 1 }]);
    expect([h.sim.stats.insertCount(d.code), h.sim.stats.updateCount(d.code)]).toEqual([1, 1]);
    expect(h.sim.stats.calls('DongBoHoSoMC')).toEqual({ [String(how.code)]: 1, '00': 2 });
  });

  it.each<ExistsAnswer>([
    { code: '-3', named: true },
    { code: 3, named: true },
  ])('%j naming one dossier of a batch: that one is updated, the others inserted', async (how) => {
    h = await createHarness();
    const [a, b, c] = await push(3);
    if (!a || !b || !c) throw new Error('no dossiers');
    await heldAlready([b.code]);
    h.sim.control.setExistsAnswer(how);
    await drainWithin(3);
    expect(h.transfers().map((t) => [t.state, t.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect([a, b, c].map((d) => [h.sim.stats.insertCount(d.code), h.sim.stats.updateCount(d.code)])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
    ]);
  });

  it('naming none in a batch: each dossier is sent again as an update, the ones the portal lacks then inserted', async () => {
    h = await createHarness();
    const [a, b, c] = await push(3);
    if (!a || !b || !c) throw new Error('no dossiers');
    await heldAlready([a.code, b.code]);
    h.sim.control.setExistsAnswer({ code: '-3', named: false });
    await drainWithin(3);
    expect(h.transfers().every((t) => t.state === 'delivered' && t.attempts === 1)).toBe(true);
    expect([a, b, c].map((d) => [h.sim.stats.insertCount(d.code), h.sim.stats.updateCount(d.code)])).toEqual([
      [1, 1],
      [1, 1],
      [1, 0],
    ]);
    // insert of all three → bare -3; update of all three → -1 naming c; c inserted; a and b updated.
    expect(h.sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 3, '-3': 1, '-1': 1 });
  });

  it('naming none when every dossier of the batch is held: each is updated', async () => {
    h = await createHarness();
    const dossiers = await push(4);
    await heldAlready(dossiers.map((d) => d.code));
    h.sim.control.setExistsAnswer({ code: 3, named: false });
    await drainWithin(3);
    expect(h.transfers().every((t) => t.state === 'delivered' && t.attempts === 1)).toBe(true);
    expect(dossiers.map((d) => h.sim.stats.updateCount(d.code))).toEqual([1, 1, 1, 1]);
  });
});

describe('any other refusal naming a dossier', () => {
  it('dead-letters that dossier with the portal code and words, and delivers the rest of the batch', async () => {
    h = await createHarness();
    const [a, b] = await push(2);
    if (!a || !b) throw new Error('no dossiers');
    h.sim.control.rejectCodes([b.code], { errorCode: -2, field: 'TenTTHC', reason: 'không khớp' });
    await drainWithin(3);
    const [ta, tb] = h.transfers();
    expect(ta).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(tb).toMatchObject({ state: 'dead', attempts: 1 });
    expect(tb?.last_error).toBe(
      `portal refused the data (error_code -2): simulator: refused ${b.code}: TenTTHC: không khớp`,
    );
    const entry = h.gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'transfer.attempt' AND dossier_id = ?")
      .get(b.id) as { data: string };
    expect(JSON.parse(entry.data)).toMatchObject({ outcome: 'dead', errorCode: '-2' });
  });
});

describe('session', () => {
  it('logs in again once a session reached its lifetime, before the call, not after a refusal', async () => {
    let nowMs = Date.parse('2026-12-01T00:00:00Z');
    h = await createHarness({}, { client: { sessionTtlMs: 60_000, now: () => nowMs } });
    await push(1);
    await drainWithin(2);
    nowMs += 60_000;
    await push(1);
    await drainWithin(2);
    expect(h.transfers().every((t) => t.state === 'delivered')).toBe(true);
    expect(h.sim.stats.calls('auth')).toEqual({ '00': 2 });
    expect(h.sim.stats.calls('DongBoHoSoMC')).toEqual({ '00': 2 });
  });

  it('after a failure naming no dossier logs in again and repeats; the second in a row opens the circuit with an alert', async () => {
    h = await createHarness(
      { circuit: { failureThreshold: 3, cooldownMs: 50, faultCooldownMs: 60_000 } },
      { client: { madonvi: '000.00.00.H99' } },
    );
    await push(2);
    await h.worker.tick();
    expect(h.sim.stats.calls('auth')).toEqual({ '00': 2 });
    expect(h.sim.stats.calls('DongBoHoSoMC')).toEqual({ SIM_MADONVI_UNKNOWN: 2 });
    // Open: no calls, no attempts spent, however often the worker looks.
    for (let i = 0; i < 5; i++) await h.worker.tick();
    expect(h.sim.stats.totalCalls()).toBe(4);
    expect(h.transfers().every((t) => t.state === 'pending' && t.attempts === 0)).toBe(true);
    const health = await json(await h.gw.request('GET', '/v1/ops/health', { key: h.gw.keys.operator }));
    expect(health.status).toBe('alert');
    expect(health.destinations[0]).toMatchObject({ circuit: 'open' });
    expect(health.destinations[0].alert).toContain('SIM_MADONVI_UNKNOWN');
    expect(h.gw.logs.some((l) => l.includes('portal configuration fault'))).toBe(true);
  });
});
