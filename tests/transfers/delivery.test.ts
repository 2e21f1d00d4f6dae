/**
 * Delivery to the portal over real sockets, against the portal simulator: every dossier exactly once,
 * every progress record in order, through outages, 429 storms, expired sessions and poison dossiers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLog } from '../../src/reconciliation/log.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function pushWithEvents(n: number) {
  const dossiers: { id: string; code: string }[] = [];
  for (let i = 0; i < n; i++) {
    const d = await json(await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    dossiers.push({ id: d.id, code: d.code });
  }
  const steps = ['processing', 'supplement_requested', 'processing', 'resolved'];
  for (const [hour, status] of steps.entries()) {
    for (const d of dossiers) {
      const r = await h.gw.request('POST', `/v1/dossiers/${d.id}/events`, {
        body: {
          status,
          at: `2026-11-29T${String(9 + hour).padStart(2, '0')}:00:00+07:00`,
          note: `step ${hour}`,
        },
      });
      expect(r.status).toBe(201);
    }
  }
  return dossiers;
}

function expectExactlyOnceInOrder(dossiers: { code: string }[]) {
  for (const d of dossiers) {
    expect(h.sim.stats.insertCount(d.code), d.code).toBe(1);
    const progress = h.sim.stats.progressOf(d.code).map((p) => p.TrangThai);
    expect(progress, d.code).toEqual(['4', '5', '4', '9']);
    expect(h.sim.stats.dossier(d.code)?.TrangThaiHoSo).toBe('9');
  }
}

describe('delivery to the portal', () => {
  it('delivers every dossier once and every progress record in order, logging each attempt', async () => {
    h = await createHarness();
    const dossiers = await pushWithEvents(12);
    await h.drain();
    expect(h.transfers().every((t) => t.state === 'delivered')).toBe(true);
    expectExactlyOnceInOrder(dossiers);
    const attempts = h.gw.sqlite
      .prepare("SELECT count(*) AS n FROM reconciliation_log WHERE kind = 'transfer.attempt'")
      .get() as { n: number };
    expect(attempts.n).toBe(h.transfers().length);
    const entry = h.gw.sqlite
      .prepare("SELECT transfer_id, data FROM reconciliation_log WHERE kind = 'transfer.attempt' LIMIT 1")
      .get() as {
      transfer_id: number;
      data: string;
    };
    expect(entry.transfer_id).toBeGreaterThan(0);
    expect(JSON.parse(entry.data)).toMatchObject({
      destination: 'portal',
      attempt: 1,
      outcome: 'delivered',
      errorCode: '00',
      durationMs: expect.any(Number),
    });
    expect(await verifyLog(h.gw.services.store.db)).toMatchObject({ ok: true });
    const calls = h.sim.stats.calls('DongBoHoSoMC');
    expect(Object.keys(calls)).toEqual(['00']);
    // Each delivery is logged at info, with references only.
    const logged = h.gw.logs
      .map((line) => JSON.parse(line))
      .filter((l) => l.msg === 'transfers delivered' && l.level === 'info')
      .flatMap((l) => l.transfers.map((t: { id: number }) => t.id));
    expect(logged.sort((a, b) => a - b)).toEqual(
      h
        .transfers()
        .map((t) => t.id)
        .sort((a, b) => a - b),
    );
  });

  it('only delays through an outage: nothing lost, nothing doubled, nothing reordered', async () => {
    h = await createHarness();
    const dossiers = await pushWithEvents(8);
    await h.sim.control.refuseConnections();
    for (let i = 0; i < 6; i++) {
      await h.worker.tick();
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(h.transfers().some((t) => t.attempts > 0 && t.state === 'pending')).toBe(true);
    const health = await json(await h.gw.request('GET', '/v1/ops/health', { key: h.gw.keys.operator }));
    expect(health.destinations[0]).toMatchObject({
      name: 'portal',
      circuit: expect.stringMatching(/open|half_open/),
    });
    expect(health.destinations[0].lastError).toBeTruthy();
    await h.sim.control.acceptConnections();
    await h.drain();
    expect(h.transfers().every((t) => t.state === 'delivered')).toBe(true);
    expectExactlyOnceInOrder(dossiers);
  });

  it('honours Retry-After on 429 and gets through a storm of them', async () => {
    h = await createHarness();
    const [d] = await pushWithEvents(1);
    h.sim.control.fail({ status: 429, count: 1, retryAfterSeconds: 2 });
    const before = h.gw.services.clock.now();
    await h.worker.tick();
    const waiting = h.transfers().find((t) => t.state === 'pending' && t.attempts === 1);
    expect(waiting, JSON.stringify(h.transfers())).toBeTruthy();
    const delay = (waiting?.next_attempt_at_ms ?? 0) - before;
    expect(delay).toBeGreaterThanOrEqual(1_900);
    expect(delay).toBeLessThan(2_600);
    h.gw.sqlite.prepare('UPDATE transfers SET next_attempt_at_ms = 0 WHERE state = ?').run('pending');
    h.sim.control.fail({ status: 429, count: 8, retryAfterSeconds: 0, retryAfterFormat: 'http-date' });
    await h.drain();
    expectExactlyOnceInOrder(d ? [d] : []);
  });

  it('logs in again when the session expires mid-drain, spending no attempts', async () => {
    h = await createHarness({ concurrency: 1 });
    const dossiers = await pushWithEvents(6);
    await h.worker.tick();
    h.sim.control.expireSessions();
    await h.drain();
    expectExactlyOnceInOrder(dossiers);
    expect(h.transfers().every((t) => t.attempts === 1)).toBe(true);
    expect(h.sim.stats.calls('auth')['00']).toBeGreaterThanOrEqual(2);
  });

  it('never lets one poison dossier block the others; its later transfers wait, blocked, until replayed', async () => {
    h = await createHarness();
    const dossiers = await pushWithEvents(5);
    const poison = dossiers[2];
    if (!poison) throw new Error('no dossier');
    h.sim.control.rejectCodes([poison.code], { field: 'NgayHenTra', reason: 'sai định dạng' });
    await h.drain();
    const others = dossiers.filter((d) => d !== poison);
    expectExactlyOnceInOrder(others);
    expect(h.sim.stats.insertCount(poison.code)).toBe(0);
    const dead = await json(
      await h.gw.request('GET', '/v1/ops/transfers?state=dead', { key: h.gw.keys.operator }),
    );
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ dossierId: poison.id, kind: 'dossier_sync', seq: 1 });
    expect(dead.items[0].lastError).toContain('error_code SIM_INVALID');
    expect(dead.items[0].lastError).toContain(`${poison.code}: NgayHenTra: sai định dạng`);
    const blocked = await json(
      await h.gw.request('GET', '/v1/ops/transfers?state=blocked', { key: h.gw.keys.operator }),
    );
    expect(blocked.items.length).toBe(8);
    expect(
      blocked.items.every(
        (t: { blocked: boolean; dossierId: string }) => t.blocked && t.dossierId === poison.id,
      ),
    ).toBe(true);
    const health = await json(await h.gw.request('GET', '/v1/ops/health', { key: h.gw.keys.operator }));
    expect(health.destinations[0]).toMatchObject({ dead: 1, blocked: 8 });

    h.sim.control.clearRejections();
    const replay = await h.gw.request('POST', '/v1/ops/transfers/replay', {
      key: h.gw.keys.operator,
      body: { filter: { dossierId: poison.id } },
    });
    expect(await json(replay)).toEqual({ replayed: 1 });
    await h.drain();
    expectExactlyOnceInOrder(dossiers);
  });

  it('opens the circuit on a configuration fault, raises an alert and spends no attempts while open', async () => {
    h = await createHarness({ circuit: { failureThreshold: 3, cooldownMs: 50, faultCooldownMs: 60_000 } });
    await pushWithEvents(2);
    h.sim.control.refuseCaller(true);
    await h.worker.tick();
    const calls = h.sim.stats.totalCalls();
    for (let i = 0; i < 5; i++) await h.worker.tick();
    expect(h.sim.stats.totalCalls()).toBe(calls);
    expect(h.transfers().every((t) => t.attempts === 0)).toBe(true);
    const health = await json(await h.gw.request('GET', '/v1/ops/health', { key: h.gw.keys.operator }));
    expect(health.status).toBe('alert');
    expect(health.destinations[0]).toMatchObject({ circuit: 'open' });
    expect(health.destinations[0].alert).toContain('SIM_CALLER_REFUSED');
    expect(h.gw.logs.some((l) => l.includes('configuration fault'))).toBe(true);
  });

  it('sends the dossier first when the portal answers "Không tìm thấy" to progress, and updates on "đã tồn tại"', async () => {
    h = await createHarness();
    const [d] = await pushWithEvents(0).then(async () => {
      const created = await json(await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
      return [{ id: created.id as string, code: created.code as string }];
    });
    if (!d) throw new Error('no dossier');
    await h.drain();
    h.sim.control.clear(); // the portal lost everything it had
    await h.gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    await h.drain();
    expect(h.sim.stats.dossier(d.code)?.TrangThaiHoSo).toBe('4');
    expect(h.sim.stats.progressOf(d.code).map((p) => p.TrangThai)).toEqual(['4']);
    // a resend of the original insert (as after a crash) becomes an update, not a second dossier
    h.gw.sqlite
      .prepare(
        "UPDATE transfers SET state = 'pending', next_attempt_at_ms = 0 WHERE dossier_id = ? AND seq = 1",
      )
      .run(d.id);
    await h.drain();
    expect(h.sim.stats.insertCount(d.code)).toBe(1);
    expect(h.transfers().every((t) => t.state === 'delivered')).toBe(true);
  });

  it('dead-letters a transfer whose attempts run out, and it is listed with its last error', async () => {
    h = await createHarness({
      retry: { baseMs: 1, capMs: 5, maxAttempts: 3, maxAgeMs: 3_600_000 },
      circuit: { failureThreshold: 100, cooldownMs: 1, faultCooldownMs: 1 },
    });
    await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    h.sim.control.fail({ status: 503 });
    await h.drain(3_000);
    const [t] = h.transfers();
    expect(t).toMatchObject({ state: 'dead', attempts: 3 });
    expect(t?.last_error).toContain('gave up after 3 attempts');
  });
});
