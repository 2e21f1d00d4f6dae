/**
 * Forwarding over SOAP, on real sockets (docs/departments.md): the one-stop software pushes a dossier for
 * the civil-status agency → the forwarding worker sends it to the civil-status SOAP simulator → the
 * simulator reports progress through the gateway's SOAP service (`CapNhatTienDo`, docs/soap.md) as its
 * own system → the same dossier moves, the portal simulator holds it once with every step in order, and
 * nothing echoes back. The same with the simulator down for a while.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CivilStatusSimulator,
  startCivilStatusSimulator,
} from '../../adapters/departments/civil-status.simulator.js';
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
import { AGENCY, dossierBody } from '../helpers/gateway.js';

const CIVIL_AGENCY = { code: AGENCY, name: 'Phòng Tư pháp (hộ tịch)' };
const CREDENTIALS = 'lienthong:hotich-secret-0001';
const BIRTH = { code: '1.001193', name: 'Đăng ký khai sinh' };

let h: Harness;
let served: ServedGateway;
let sim: CivilStatusSimulator;
let forwarder: ForwardWorker;
let civilKey: string;

beforeEach(async () => {
  h = await createHarness();
  served = await serveGateway(h.gw, { soap: true });
  const civil = await addDepartmentClient(h.gw, {
    name: 'civil status',
    system: 'hotich',
    agencies: [AGENCY],
  });
  civilKey = civil.key;
  sim = await startCivilStatusSimulator({
    credentials: CREDENTIALS,
    gateway: { url: served.url, clientId: civil.id, key: civil.key },
  });
  forwarder = forwardWorker(h.gw);
  await registerDestination(h.gw, {
    system: 'hotich',
    profile: 'civil-status',
    baseUrl: sim.url,
    credentials: CREDENTIALS,
    agencies: [AGENCY],
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

function civilTransfers() {
  return h.gw.sqlite
    .prepare("SELECT kind, state, attempts FROM transfers WHERE destination = 'hotich' ORDER BY id")
    .all() as { kind: string; state: string; attempts: number }[];
}

async function pushForCivil() {
  const body = dossierBody({ agency: CIVIL_AGENCY, procedure: BIRTH });
  const pushed = await call('POST', '/v1/dossiers', h.gw.keys.motcua, body);
  expect(pushed.status).toBe(201);
  return { id: pushed.body.id as string, code: pushed.body.code as string };
}

function recordOf(code: string) {
  const record = [...sim.records.values()].find((r) => r.dossier.code === code);
  if (!record) throw new Error(`the simulator holds no record of ${code}`);
  return record;
}

/** The one-stop software's step, then the civil-status software's own two, each through the gateway. */
async function progress(id: string, code: string): Promise<void> {
  const record = recordOf(code);
  const step = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
  expect((await call('POST', `/v1/dossiers/${id}/events`, h.gw.keys.motcua, step)).status).toBe(201);
  await drain();
  expect(record.steps.map((s) => s.status)).toEqual(['processing']);
  const done = {
    status: 'resolved' as const,
    at: '2026-12-01T10:00:00+07:00',
    note: 'Đã cấp giấy khai sinh',
  };
  expect(await sim.reportProgress(record.recordId, done)).toBe('applied');
  const returned = { status: 'returned' as const, at: '2026-12-02T08:00:00+07:00' };
  expect(await sim.reportProgress(record.recordId, returned)).toBe('applied');
  await drain();
}

/** The portal simulator holds the dossier once, with every step in order. */
function expectPortalInOrder(code: string): void {
  expect(h.sim.stats.insertCount(code)).toBe(1);
  expect(h.sim.stats.progressOf(code).map((p) => p.TrangThai)).toEqual(['4', '9', '10']);
  expect(h.sim.stats.dossier(code)?.TrangThaiHoSo).toBe('10');
}

describe('forwarding to the civil-status software over SOAP', () => {
  it('one-stop push → civil status (SOAP) → its progress over SOAP → the same dossier, once at the portal, in order', async () => {
    const { id, code } = await pushForCivil();
    await drain();
    expect(sim.records.size).toBe(1);
    const record = recordOf(code);
    expect(record.recordId).toMatch(/^HTX-2026-\d{6}$/);
    expect(record.dossier).toMatchObject({
      code,
      status: 'received',
      procedure: BIRTH,
      receivedAt: '2026-11-28T08:30:00+07:00',
    });

    // The record id the civil-status software answered is a source of the dossier.
    const seen = await call('GET', `/v1/dossiers/${id}`, civilKey);
    expect(seen.status).toBe(200);
    expect(
      seen.body.sources.map((s: { system: string; recordId: string }) => [s.system, s.recordId]),
    ).toContainEqual(['hotich', record.recordId]);

    await progress(id, code);
    // Its own steps were not forwarded back to it; the dossier moved, and no second one appeared.
    expect(record.steps.map((s) => s.status)).toEqual(['processing', 'resolved', 'returned']);
    expect(civilTransfers().map((t) => t.kind)).toEqual(['dossier_sync', 'progress']);
    const list = await call('GET', '/v1/dossiers', h.gw.keys.operator);
    expect(list.body.items.filter((d: { code: string }) => d.code === code)).toHaveLength(1);
    expect((await call('GET', `/v1/dossiers/${id}`, h.gw.keys.operator)).body.status).toBe('returned');
    expectPortalInOrder(code);
  });

  it('with the civil-status software down for a while: retried, nothing lost, order kept', async () => {
    await sim.control.down(true);
    const first = await pushForCivil();
    const second = await pushForCivil();
    // A step of the first dossier queued behind its dossier while the software is down.
    const step = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    expect((await call('POST', `/v1/dossiers/${first.id}/events`, h.gw.keys.motcua, step)).status).toBe(201);
    for (let i = 0; i < 20 && civilTransfers().every((t) => t.attempts === 0); i++) {
      await forwarder.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(civilTransfers().some((t) => t.attempts > 0)).toBe(true);
    expect(civilTransfers().every((t) => t.state === 'pending')).toBe(true);
    await sim.control.down(false);
    sim.control.fault('Server', 1);
    sim.control.fail(503, 1);
    await drain();
    expect(civilTransfers().every((t) => t.state === 'delivered')).toBe(true);
    expect([...sim.records.values()].map((r) => r.dossier.code).sort()).toEqual(
      [first.code, second.code].sort(),
    );
    // The step reached the software after its dossier, never before.
    expect(recordOf(first.code).steps.map((s) => s.status)).toEqual(['processing']);

    const done = { status: 'resolved' as const, at: '2026-12-01T10:00:00+07:00' };
    expect(await sim.reportProgress(recordOf(first.code).recordId, done)).toBe('applied');
    await progress(second.id, second.code);
    expect(h.sim.stats.insertCount(first.code)).toBe(1);
    expect(h.sim.stats.progressOf(first.code).map((p) => p.TrangThai)).toEqual(['4', '9']);
    expectPortalInOrder(second.code);
  });

  it('a fault blaming the gateway is a dead letter an operator can replay', async () => {
    sim.control.fault('Client', 1);
    const { id } = await pushForCivil();
    const until = Date.now() + 5_000;
    while (civilTransfers()[0]?.state !== 'dead' && Date.now() < until) await forwarder.tick();
    expect(civilTransfers()[0]?.state).toBe('dead');
    const replay = await call('POST', '/v1/ops/transfers/replay', h.gw.keys.operator, {
      filter: { destination: 'hotich', dossierId: id },
    });
    expect(replay.status).toBeLessThan(300);
    await drain();
    expect(sim.records.size).toBe(1);
  });
});
