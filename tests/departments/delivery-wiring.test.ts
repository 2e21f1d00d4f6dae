/**
 * The Node delivery wiring (`startDelivery`) starts the forwarding worker beside the portal's: a dossier
 * for the land-registry agency reaches the land-registry simulator on 127.0.0.1 with no other help.
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
});
