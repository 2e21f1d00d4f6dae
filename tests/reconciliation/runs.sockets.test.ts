/**
 * Reconciliation runs against the portal simulator on a real socket (docs/reconciliation.md): a dossier
 * the portal lacks, a status mismatch, a finding that closes itself with the time, a run during an
 * outage that records it could not compare, and a dossier still queued that is not "missing".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalClient } from '../../adapters/portal/client.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { dossierBody, json } from '../helpers/gateway.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  h.gw.services.portal = createPortalClient({
    url: h.sim.url,
    username: 'u',
    password: 'p',
    dstcode: 'TEST',
    madonvi: '000.00.00.H24',
    timeoutMs: 2_000,
  });
});
afterAll(() => h.close());

const op = () => h.gw.keys.operator;

async function push(): Promise<{ id: string; code: string }> {
  const res = await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  expect(res.status).toBe(201);
  return json(res) as Promise<{ id: string; code: string }>;
}

/** Marks a dossier's queued transfers delivered without sending them: the portal never hears of them. */
function pretendDelivered(dossierId: string): void {
  h.gw.sqlite
    .prepare("UPDATE transfers SET state = 'delivered' WHERE dossier_id = ? AND state = 'pending'")
    .run(dossierId);
}

/** Starts a run and waits (a bounded number of polls) until it has ended. */
async function run(): Promise<Record<string, any>> {
  const res = await h.gw.request('POST', '/v1/ops/reconciliation/runs', { key: op() });
  expect(res.status).toBe(202);
  const location = res.headers.get('location');
  expect(location).toMatch(/^\/v1\/ops\/reconciliation\/runs\/run-/);
  for (let i = 0; i < 400; i++) {
    const r = await json(await h.gw.request('GET', location as string, { key: op() }));
    if (r.state !== 'running') return r;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the run did not end');
}

async function openFindings(kind: string): Promise<Record<string, any>[]> {
  const res = await h.gw.request('GET', `/v1/ops/findings?kind=${kind}&open=true`, { key: op() });
  expect(res.status).toBe(200);
  return (await json(res)).items;
}

describe('a reconciliation run against the portal simulator', () => {
  let missing: { id: string; code: string };
  let mismatched: { id: string; code: string };

  it('finds a dossier the portal lacks and a status mismatch, and nothing for a dossier in step', async () => {
    const inStep = await push();
    mismatched = await push();
    await h.drain();
    expect(h.sim.stats.dossier(inStep.code)).toBeDefined();
    missing = await push();
    pretendDelivered(missing.id);
    const event = await h.gw.request('POST', `/v1/dossiers/${mismatched.id}/events`, {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    expect(event.status).toBe(201);
    pretendDelivered(mismatched.id);

    const done = await run();
    expect(done).toMatchObject({ state: 'completed', portal: 'compared', portalReason: null });
    expect(done.dossiersCompared).toBe(3);
    expect(done.opened).toMatchObject({ missing_at_portal: 1, status_mismatch: 1 });
    const lacking = await openFindings('missing_at_portal');
    expect(lacking.map((f) => f.dossierId)).toEqual([missing.id]);
    const mismatch = await openFindings('status_mismatch');
    expect(mismatch.map((f) => [f.dossierId, f.detail])).toEqual([
      [mismatched.id, 'gateway status processing (4), portal 2'],
    ]);
    // The log names kinds and references, never the applicant.
    const log = await json(await h.gw.request('GET', '/v1/ops/log?kind=finding.opened', { key: op() }));
    const portalKinds = log.items.map((e: any) => e.data.kind).filter((k: string) => k !== 'overdue');
    expect(portalKinds.sort()).toEqual(['missing_at_portal', 'status_mismatch']);
    expect(JSON.stringify(log)).not.toMatch(/Nguyễn|0912|027090/);
  });

  it('opens no second finding for the same dossier in the next run', async () => {
    const done = await run();
    expect(done.opened.missing_at_portal).toBeUndefined();
    expect(done.opened.status_mismatch).toBeUndefined();
    expect(await openFindings('missing_at_portal')).toHaveLength(1);
  });

  it('closes a finding by itself once its condition clears, with the time it cleared', async () => {
    h.gw.sqlite
      .prepare("UPDATE transfers SET state = 'pending', next_attempt_at_ms = 0 WHERE dossier_id = ?")
      .run(missing.id);
    await h.drain();
    expect(h.sim.stats.dossier(missing.code)).toBeDefined();
    const done = await run();
    expect(done.closed).toMatchObject({ missing_at_portal: 1 });
    const closed = await json(
      await h.gw.request('GET', '/v1/ops/findings?kind=missing_at_portal&open=false', { key: op() }),
    );
    expect(closed.items).toHaveLength(1);
    expect(closed.items[0]).toMatchObject({ dossierId: missing.id, open: false, closedByRun: done.id });
    expect(Date.parse(closed.items[0].closedAt)).toBeGreaterThanOrEqual(Date.parse(closed.items[0].openedAt));
    const log = await json(await h.gw.request('GET', '/v1/ops/log?kind=finding.closed', { key: op() }));
    expect(log.items[0].data).toMatchObject({
      kind: 'missing_at_portal',
      clearedAt: closed.items[0].closedAt,
    });
  });

  it('does not count a dossier still queued for the portal as missing', async () => {
    const queued = await push();
    const done = await run();
    expect(done.dossiersSkipped).toBeGreaterThanOrEqual(1);
    const lacking = await openFindings('missing_at_portal');
    expect(lacking.map((f) => f.dossierId)).not.toContain(queued.id);
    await h.drain();
  });

  it('records that it could not compare during an outage, and raises and closes nothing from it', async () => {
    const unseen = await push();
    pretendDelivered(unseen.id);
    await h.sim.control.refuseConnections();
    try {
      const done = await run();
      expect(done.state).toBe('completed');
      expect(done.portal).toBe('not_compared');
      expect(done.portalReason).toMatch(/^outage/);
      expect(done.dossiersCompared).toBe(0);
      expect(done.opened.missing_at_portal).toBeUndefined();
      expect(done.closed.status_mismatch).toBeUndefined();
      expect(await openFindings('missing_at_portal')).toEqual([]);
      expect((await openFindings('status_mismatch')).map((f) => f.dossierId)).toEqual([mismatched.id]);
    } finally {
      await h.sim.control.acceptConnections();
    }
  });
});
