/**
 * Forwarding over real sockets (docs/departments.md): the one-stop software pushes a dossier for the
 * land-registry agency → the forwarding worker sends it to the land-registry simulator → the simulator
 * reports progress through the gateway's REST API as its own system → the same dossier moves (no
 * duplicate), the portal simulator holds it once with every step in order, and nothing echoes back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LandRegistrySimulator,
  startLandRegistrySimulator,
} from '../../adapters/departments/land-registry.simulator.js';
import { createDepartmentClient } from '../../adapters/departments/rest-client.js';
import type { ForwardWorker } from '../../src/departments/forward-worker.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import {
  addDepartmentClient,
  callGateway,
  drainBoth,
  forwardWorker,
  registerDestination,
  type ServedGateway,
  serveGateway,
} from '../helpers/forwarding.js';
import { AGENCY_2, dossierBody } from '../helpers/gateway.js';

const LAND_AGENCY = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai tỉnh Bắc Ninh' };
const TOKEN = 'vbd-secret-token-0001';

let h: Harness;
let served: ServedGateway;
let sim: LandRegistrySimulator;
let forwarder: ForwardWorker;
let landKey: string;

beforeEach(async () => {
  h = await createHarness();
  served = await serveGateway(h.gw);
  landKey = (
    await addDepartmentClient(h.gw, { name: 'land registry', system: 'land-registry', agencies: [AGENCY_2] })
  ).key;
  sim = await startLandRegistrySimulator({ token: TOKEN, gateway: { url: served.url, key: landKey } });
  forwarder = forwardWorker(h.gw, { department: createDepartmentClient({ timeoutMs: 2_000 }) });
  await registerDestination(h.gw, {
    system: 'land-registry',
    profile: 'land-registry',
    baseUrl: sim.url,
    credentials: TOKEN,
    agencies: [AGENCY_2],
  });
});
afterEach(async () => {
  await forwarder.stop();
  await sim.close();
  await served.close();
  await h.close();
});

function call(method: string, path: string, key: string, body?: unknown) {
  return callGateway(served.url, method, path, key, body);
}

function drain(ms?: number): Promise<void> {
  return drainBoth(h, forwarder, ms);
}

function landTransfers() {
  return h.gw.sqlite
    .prepare("SELECT kind, state, attempts FROM transfers WHERE destination = 'land-registry' ORDER BY id")
    .all() as { kind: string; state: string; attempts: number }[];
}

async function pushForLand() {
  const pushed = await call('POST', '/v1/dossiers', h.gw.keys.motcua, dossierBody({ agency: LAND_AGENCY }));
  expect(pushed.status).toBe(201);
  return { id: pushed.body.id as string, code: pushed.body.code as string };
}

describe('forwarding to the land-registry software', () => {
  it('one-stop push → land registry → its progress → the same dossier, once at the portal, in order', async () => {
    const { id, code } = await pushForLand();
    await drain();
    expect(sim.records.size).toBe(1);
    const [record] = [...sim.records.values()];
    if (!record) throw new Error('no record');
    expect(record.recordId).toMatch(/^VBD-2026-\d{6}$/);
    expect(record.dossier).toMatchObject({
      code,
      status: 'received',
      receivedAt: '2026-11-28T08:30:00+07:00',
    });

    // The record id the land registry answered is a source of the dossier: its events attach to it.
    const seen = await call('GET', `/v1/dossiers/${id}`, landKey);
    expect(seen.status).toBe(200);
    expect(
      seen.body.sources.map((s: { system: string; recordId: string }) => [s.system, s.recordId]),
    ).toContainEqual(['land-registry', record.recordId]);

    // The one-stop software's step reaches the land registry.
    const step = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    expect((await call('POST', `/v1/dossiers/${id}/events`, h.gw.keys.motcua, step)).status).toBe(201);
    await drain();
    expect(record.steps.map((s) => s.status)).toEqual(['processing']);

    // The land registry reports progress as its own system, by its own record id.
    const reported = await sim.reportProgress(record.recordId, {
      status: 'resolved',
      at: '2026-12-05T10:00:00+07:00',
    });
    expect(reported).toBe(201);
    await drain();
    // Nothing echoed back to the land registry: its own step was not forwarded to it.
    expect(record.steps.map((s) => s.status)).toEqual(['processing', 'resolved']);
    expect(landTransfers().map((t) => t.kind)).toEqual(['dossier_sync', 'progress']);

    // Its full push of the same record updates the same dossier: no duplicate.
    const again = await call(
      'POST',
      '/v1/dossiers',
      landKey,
      dossierBody({ agency: LAND_AGENCY, code, source: { recordId: record.recordId }, status: 'resolved' }),
    );
    expect(again.body.id).toBe(id);
    expect(again.body.outcome).not.toBe('created');
    const list = await call('GET', '/v1/dossiers', h.gw.keys.operator);
    expect(list.body.items.filter((d: { code: string }) => d.code === code)).toHaveLength(1);

    await drain();
    expect(h.sim.stats.insertCount(code)).toBe(1);
    expect(h.sim.stats.progressOf(code).map((p) => p.TrangThai)).toEqual(['4', '9']);
    expect(h.sim.stats.dossier(code)?.TrangThaiHoSo).toBe('9');
  });

  it('a dossier of another agency is not forwarded; one pushed by the land registry is not sent back', async () => {
    await call('POST', '/v1/dossiers', h.gw.keys.motcua, dossierBody());
    const own = dossierBody({ agency: LAND_AGENCY, source: { recordId: 'VBD-2026-000999' } });
    expect((await call('POST', '/v1/dossiers', landKey, own)).status).toBe(201);
    await drain();
    expect(landTransfers()).toEqual([]);
    expect(sim.calls).toBe(0);
  });

  it('with the land registry down for a while: retried, nothing lost, nothing doubled, order kept', async () => {
    await sim.control.down(true);
    const first = await pushForLand();
    const second = await pushForLand();
    // A step of the first dossier, queued behind it while the land registry is down.
    const step = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    expect((await call('POST', `/v1/dossiers/${first.id}/events`, h.gw.keys.motcua, step)).status).toBe(201);
    for (let i = 0; i < 20 && landTransfers().every((t) => t.attempts === 0); i++) {
      await forwarder.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(landTransfers().some((t) => t.attempts > 0)).toBe(true);
    expect(landTransfers().every((t) => t.state === 'pending')).toBe(true);
    await sim.control.down(false);
    sim.control.fail(503, 2);
    await drain();
    expect([...sim.records.values()].map((r) => r.dossier.code).sort()).toEqual(
      [first.code, second.code].sort(),
    );
    expect(landTransfers().every((t) => t.state === 'delivered')).toBe(true);
    const record = [...sim.records.values()].find((r) => r.dossier.code === first.code);
    if (!record) throw new Error('no record');
    // The step reached the land registry after its dossier, never before.
    expect(record.steps.map((s) => s.status)).toEqual(['processing']);
    const done = { status: 'resolved' as const, at: '2026-12-05T10:00:00+07:00' };
    expect(await sim.reportProgress(record.recordId, done)).toBe(201);
    await drain();
    // The portal holds each dossier once, the first with every step in order.
    expect(h.sim.stats.insertCount(first.code)).toBe(1);
    expect(h.sim.stats.insertCount(second.code)).toBe(1);
    expect(h.sim.stats.progressOf(first.code).map((p) => p.TrangThai)).toEqual(['4', '9']);
    expect(h.sim.stats.dossier(first.code)?.TrangThaiHoSo).toBe('9');
  });

  it('an answer without a record id is a dead letter an operator can replay', async () => {
    sim.control.badData(true);
    const { id } = await pushForLand();
    const until = Date.now() + 5_000;
    while (landTransfers()[0]?.state !== 'dead' && Date.now() < until) await forwarder.tick();
    expect(landTransfers()[0]?.state).toBe('dead');
    sim.control.badData(false);
    const replay = await call('POST', '/v1/ops/transfers/replay', h.gw.keys.operator, {
      filter: { destination: 'land-registry', dossierId: id },
    });
    expect(replay.status).toBeLessThan(300);
    await drain();
    expect(sim.records.size).toBe(1);
  });
});
