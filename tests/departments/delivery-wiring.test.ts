/**
 * The Node delivery wiring (`startDelivery`) starts the forwarding worker beside the portal's: a dossier
 * for the land-registry agency reaches the land-registry simulator on 127.0.0.1 with no other help; and
 * the poller beside it: a dossier keyed in at the land registry reaches the gateway by its change feed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LandRegistrySimulator,
  startLandRegistrySimulator,
} from '../../adapters/departments/land-registry.simulator.js';
import { parseConfig } from '../../schemas/config.js';
import { type Delivery, startDelivery } from '../../src/runtime/node/delivery.js';
import { AGENCY_2, createTestGateway, dossierBody, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
let sim: LandRegistrySimulator | undefined;
let delivery: Delivery | undefined;
afterEach(async () => {
  await delivery?.stop();
  await sim?.close();
  await gw?.close();
});

describe('startDelivery', () => {
  it('runs the forwarding worker', async () => {
    gw = await createTestGateway();
    sim = await startLandRegistrySimulator({ token: 'wiring-token' });
    const config = parseConfig({ DB_PATH: gw.dbPath, SMS_ENABLED: 'false', WORKER_POLL_MS: '10' });
    delivery = await startDelivery(config, gw.services, { owner: 'wiring-test' });
    const body = {
      system: 'land-registry',
      profile: 'land-registry',
      baseUrl: sim.url,
      credentials: 'wiring-token',
      agencies: [AGENCY_2],
    };
    expect((await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body })).status).toBe(
      201,
    );
    const agency = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai' };
    expect((await gw.request('POST', '/v1/dossiers', { body: dossierBody({ agency }) })).status).toBe(201);
    const until = Date.now() + 10_000;
    while (sim.records.size === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(sim.records.size).toBe(1);
  });

  it('runs the poller of destinations registered with pull', async () => {
    gw = await createTestGateway();
    sim = await startLandRegistrySimulator({ token: 'wiring-token' });
    await gw.services.clients.add({
      name: 'land',
      role: 'department',
      system: 'land-registry',
      agencies: [AGENCY_2],
    });
    // Keyed in before the destination is registered: its first round finds it.
    const recordId = sim.feed.keyIn({
      code: `${AGENCY_2}-261203-0042`,
      agency: { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai' },
      procedure: { code: '1.003010', name: 'Đăng ký biến động' },
      applicant: { type: 'citizen', fullName: 'Phạm Quốc Huy' },
      channel: 'counter',
      receivedAt: '2026-12-03T08:00:00+07:00',
      status: 'received',
    });
    const config = parseConfig({ DB_PATH: gw.dbPath, SMS_ENABLED: 'false', WORKER_POLL_MS: '10' });
    delivery = await startDelivery(config, gw.services, { owner: 'wiring-test' });
    const body = {
      system: 'land-registry',
      profile: 'land-registry',
      baseUrl: sim.url,
      credentials: 'wiring-token',
      agencies: [AGENCY_2],
      pull: true,
    };
    expect((await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body })).status).toBe(
      201,
    );
    const held = () =>
      gw?.sqlite.prepare("SELECT record_id FROM dossier_sources WHERE system = 'land-registry'").all() ?? [];
    const until = Date.now() + 10_000;
    while (held().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(held()).toEqual([{ record_id: recordId }]);
  });
});
