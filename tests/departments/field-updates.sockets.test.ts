/**
 * Field updates after the first forward (docs/departments.md, Field updates), against the land-registry
 * simulator on 127.0.0.1: a later change of a forwarded field (applicant, summary, due date) is sent
 * again whole through the submit endpoint, which the land registry takes as an update of the record with
 * the same receipt number (same record id, no second record); a change that moves no forwarded field
 * sends nothing; the land registry's own change is not sent back to it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LandRegistrySimulator,
  startLandRegistrySimulator,
} from '../../adapters/departments/land-registry.simulator.js';
import { createDepartmentClient } from '../../adapters/departments/rest-client.js';
import type { ForwardWorker } from '../../src/departments/forward-worker.js';
import {
  addDepartmentClient,
  forwardWorker,
  registerDestination,
  type ServedGateway,
  serveGateway,
} from '../helpers/forwarding.js';
import { AGENCY_2, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const LAND = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai tỉnh Bắc Ninh' };
const TOKEN = 'vbd-update-token-7710';
let gw: TestGateway;
let sim: LandRegistrySimulator;
let served: ServedGateway;
let forwarder: ForwardWorker;
let landKey: string;

beforeEach(async () => {
  gw = await createTestGateway();
  served = await serveGateway(gw);
  const land = await addDepartmentClient(gw, { name: 'land', system: 'land-registry', agencies: [AGENCY_2] });
  landKey = land.key;
  sim = await startLandRegistrySimulator({ token: TOKEN, gateway: { url: served.url, key: landKey } });
  forwarder = forwardWorker(gw, { department: createDepartmentClient({ timeoutMs: 2_000 }) });
  await registerDestination(gw, {
    system: 'land-registry',
    profile: 'land-registry',
    baseUrl: sim.url,
    credentials: TOKEN,
    agencies: [AGENCY_2],
  });
});
afterEach(async () => {
  await sim.close();
  await served.close();
  await gw.close();
});

function landTransfers() {
  return gw.sqlite
    .prepare("SELECT kind, state FROM transfers WHERE destination = 'land-registry' ORDER BY id")
    .all() as { kind: string; state: string }[];
}

/** Forwarding rounds until the land registry's lane is empty (bounded). */
async function drain(): Promise<void> {
  for (let i = 0; i < 200 && landTransfers().some((t) => t.state === 'pending'); i++) {
    if ((await forwarder.tick()) === 0) await new Promise((r) => setTimeout(r, 5));
  }
  expect(landTransfers().filter((t) => t.state !== 'delivered')).toEqual([]);
}

describe('field updates after the first forward', () => {
  it('a changed applicant, summary or due date reaches the land registry as an update of the same record', async () => {
    const body = dossierBody({ agency: LAND });
    const pushed = await json(await gw.request('POST', '/v1/dossiers', { body }));
    await drain();
    expect(sim.records.size).toBe(1);
    const [record] = [...sim.records.values()];
    if (!record) throw new Error('no record');

    // The same push again changes nothing forwarded: nothing is sent.
    await gw.request('POST', '/v1/dossiers', { body });
    expect(landTransfers()).toHaveLength(1);

    const applicant = { ...(body.applicant as Record<string, unknown>), phone: '0903 111 222' };
    const changed = {
      ...body,
      applicant,
      summary: 'Xin cấp phép xây dựng nhà ở 4 tầng',
      dueAt: '2026-12-19T17:00:00+07:00',
    };
    expect((await gw.request('POST', '/v1/dossiers', { body: changed })).status).toBe(200);
    await drain();
    expect(landTransfers().map((t) => t.kind)).toEqual(['dossier_sync', 'dossier_sync']);
    expect(sim.records.size).toBe(1);
    expect(sim.records.get(record.recordId)?.dossier).toMatchObject({
      code: pushed.code,
      summary: 'Xin cấp phép xây dựng nhà ở 4 tầng',
      dueAt: '2026-12-19T17:00:00+07:00',
      applicant: expect.objectContaining({ phone: '+84903111222' }),
    });

    // A new due date given with a step goes as an update, then the step, in that order.
    const step = {
      status: 'processing',
      at: '2026-11-29T09:00:00+07:00',
      dueAt: '2026-12-26T17:00:00+07:00',
    };
    expect((await gw.request('POST', `/v1/dossiers/${pushed.id}/events`, { body: step })).status).toBe(201);
    await drain();
    expect(landTransfers().map((t) => t.kind)).toEqual([
      'dossier_sync',
      'dossier_sync',
      'dossier_sync',
      'progress',
    ]);
    expect(sim.records.get(record.recordId)?.dossier.dueAt).toBe('2026-12-26T17:00:00+07:00');
    expect(sim.records.get(record.recordId)?.steps.map((s) => s.status)).toEqual(['processing']);

    // The land registry's own change of a field is not sent back to it.
    const own = {
      ...changed,
      source: { recordId: record.recordId },
      code: pushed.code,
      status: 'processing',
    };
    const res = await gw.request('POST', '/v1/dossiers', {
      key: landKey,
      body: { ...own, summary: 'Đã thẩm định' },
    });
    expect(res.status).toBeLessThan(300);
    expect(landTransfers()).toHaveLength(4);
  });
});
