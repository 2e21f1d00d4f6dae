/**
 * The worker's lanes run rounds at the same time; each round's figures must stay its own. Every
 * `transfer.attempt` entry carries the time spent in the portal calls of its round (`durationMs`), and
 * its attempt number and outcome follow the history of its own transfer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLog } from '../../src/reconciliation/log.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const DOSSIERS = 300;
const STEPS = ['processing', 'supplement_requested', 'processing', 'resolved'];
const PORTAL_DELAY_MS = 15;

interface Attempt {
  id: number;
  transferId: number;
  data: { attempt: number; outcome: string; durationMs?: unknown; transferKind: string; seq: number };
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
}

describe('worker lanes', () => {
  it('keeps each round its own figures while several lanes deliver at once', async () => {
    h = await createHarness({ concurrency: 4 });
    for (let i = 0; i < DOSSIERS; i++) {
      const d = await json(await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
      for (const [hour, status] of STEPS.entries()) {
        const r = await h.gw.request('POST', `/v1/dossiers/${d.id}/events`, {
          body: { status, at: `2026-11-29T${String(9 + hour).padStart(2, '0')}:00:00+07:00` },
        });
        expect(r.status).toBe(201);
      }
    }
    h.sim.control.delay(PORTAL_DELAY_MS);
    h.sim.control.fail({ status: 503, count: 2 }); // a few retries, so some transfers have two attempts
    h.worker.start();
    await waitUntil(() => h.transfers().every((t) => t.state === 'delivered'), 60_000);
    await h.worker.stop();

    const transfers = h.transfers();
    expect(transfers.length).toBeGreaterThanOrEqual(DOSSIERS * 2);
    expect(transfers.every((t) => t.state === 'delivered')).toBe(true);

    const entries = (
      h.gw.sqlite
        .prepare(
          "SELECT id, transfer_id AS transferId, data FROM reconciliation_log WHERE kind = 'transfer.attempt' ORDER BY id",
        )
        .all() as { id: number; transferId: number; data: string }[]
    ).map((e): Attempt => ({ ...e, data: JSON.parse(e.data) }));

    const missing = entries.filter((e) => typeof e.data.durationMs !== 'number');
    expect(missing.length, `${missing.length} of ${entries.length} entries without durationMs`).toBe(0);
    // Every call waits for the simulator's delay, so a round's own figure is never below it.
    expect(entries.every((e) => (e.data.durationMs as number) >= PORTAL_DELAY_MS - 1)).toBe(true);

    const byTransfer = new Map<number, Attempt[]>();
    for (const e of entries) byTransfer.set(e.transferId, [...(byTransfer.get(e.transferId) ?? []), e]);
    expect(byTransfer.size).toBe(transfers.length);
    for (const t of transfers) {
      const own = byTransfer.get(t.id) ?? [];
      expect(own.map((e) => e.data.attempt)).toEqual(own.map((_, i) => i + 1));
      expect(own.length).toBe(t.attempts);
      expect(own.map((e) => e.data.outcome)).toEqual([...own.slice(1).map(() => 'retry'), 'delivered']);
      expect(own.every((e) => e.data.transferKind === t.kind && e.data.seq === t.seq)).toBe(true);
    }
    expect(entries.some((e) => e.data.outcome === 'retry')).toBe(true);
    expect(await verifyLog(h.gw.services.store.db)).toMatchObject({ ok: true });
  }, 90_000);
});
