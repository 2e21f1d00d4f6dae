/**
 * The portal settings where public clients disagree (docs/portal-contract.md, Settings): their defaults,
 * what they refuse, and that each one reaches the wire as configured, through `parseConfig` and the Node
 * delivery wiring (`startDelivery`) against the simulator on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type PortalSimulator, startPortalSimulator } from '../../adapters/portal/simulator.js';
import { PORTAL_WIRE_DEFAULTS } from '../../adapters/portal/wire.js';
import { ConfigError, parseConfig } from '../../schemas/config.js';
import type { Clock } from '../../src/lib/time.js';
import { type Delivery, startDelivery } from '../../src/runtime/node/delivery.js';
import { createTestGateway, dossierBody, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
let sim: PortalSimulator | undefined;
let delivery: Delivery | undefined;
afterEach(async () => {
  await delivery?.stop();
  await sim?.close();
  await gw?.close();
  delivery = undefined;
  sim = undefined;
  gw = undefined;
});

const CREDENTIALS = { username: 'lienthong', password: 'mat-khau' };

/** A gateway and a delivery worker (not running) against a simulator, configured by `env`. */
async function deliverTo(
  env: Record<string, string>,
  simPaths: { authPath?: string; integrationPath?: string } = {},
  clock?: Clock,
): Promise<{ gw: TestGateway; sim: PortalSimulator; delivery: Delivery }> {
  gw = await createTestGateway(clock ? { clock } : {});
  sim = await startPortalSimulator({ ...CREDENTIALS, ...simPaths, ...(clock ? { now: clock.now } : {}) });
  const config = parseConfig({
    DB_PATH: gw.dbPath,
    PORTAL_URL: sim.url,
    PORTAL_USERNAME: CREDENTIALS.username,
    PORTAL_PASSWORD: CREDENTIALS.password,
    PORTAL_DSTCODE: 'DVCQG',
    PORTAL_MADONVI: '000.00.00.H24',
    ...env,
  });
  const services = gw.services;
  delivery = await startDelivery(config, services, { owner: 'settings-test', run: false });
  return { gw, sim, delivery };
}

async function push(g: TestGateway, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    expect((await g.request('POST', '/v1/dossiers', { body: dossierBody() })).status).toBe(201);
  }
}

function syncRequests(s: PortalSimulator): { isUpdating: unknown; size: number }[] {
  return s.stats
    .requests()
    .filter((r): r is { service: string; isUpdating: unknown; data: unknown[] } => {
      return typeof r === 'object' && r !== null && (r as { service?: unknown }).service === 'DongBoHoSoMC';
    })
    .map((r) => ({ isUpdating: r.isUpdating, size: r.data.length }));
}

describe('portal settings in the configuration', () => {
  it('default to the direct client’s choices', () => {
    const config = parseConfig({});
    expect(config.portalWire).toEqual({
      sessionTtlMs: 600_000,
      isUpdatingAs: 'string',
      syncBatchSize: 50,
      authPath: '/auth',
      integrationPath: '/integration',
    });
    expect(config.portalWire).toEqual(PORTAL_WIRE_DEFAULTS);
  });

  it.each([
    ['PORTAL_IS_UPDATING_AS', 'yes'],
    ['PORTAL_SYNC_BATCH_SIZE', '51'],
    ['PORTAL_SYNC_BATCH_SIZE', '0'],
    ['PORTAL_SESSION_TTL_SECONDS', '0'],
    ['PORTAL_AUTH_PATH', 'auth'],
    ['PORTAL_INTEGRATION_PATH', '/integration?x=1'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe('each setting reaches the wire as configured', () => {
  it('isUpdating as the strings "True"/"False" by default, DongBoHoSoMC in batches of 50', async () => {
    const { gw: g, sim: s, delivery: d } = await deliverTo({});
    await push(g, 3);
    await d.worker.tick();
    expect(syncRequests(s)).toEqual([{ isUpdating: 'False', size: 3 }]);
  });

  it('isUpdating as a JSON boolean and DongBoHoSoMC in batches of PORTAL_SYNC_BATCH_SIZE', async () => {
    const {
      gw: g,
      sim: s,
      delivery: d,
    } = await deliverTo({
      PORTAL_IS_UPDATING_AS: 'boolean',
      PORTAL_SYNC_BATCH_SIZE: '2',
    });
    await push(g, 5);
    await d.worker.tick(1);
    expect(syncRequests(s)).toEqual([
      { isUpdating: false, size: 2 },
      { isUpdating: false, size: 2 },
      { isUpdating: false, size: 1 },
    ]);
  });

  it('the login and integration calls on PORTAL_AUTH_PATH and PORTAL_INTEGRATION_PATH', async () => {
    const paths = { authPath: '/lgsp/dvcqg/xac-thuc', integrationPath: '/lgsp/dvcqg/tich-hop' };
    const {
      gw: g,
      sim: s,
      delivery: d,
    } = await deliverTo(
      { PORTAL_AUTH_PATH: paths.authPath, PORTAL_INTEGRATION_PATH: paths.integrationPath },
      paths,
    );
    await push(g, 1);
    await d.worker.tick();
    expect(s.stats.calls('auth')).toEqual({ '00': 1 });
    expect(s.stats.calls('DongBoHoSoMC')).toEqual({ '00': 1 });
  });

  it('a new login once a session is PORTAL_SESSION_TTL_SECONDS old, on the runtime clock', async () => {
    let nowMs = Date.parse('2026-12-01T00:00:00Z');
    const clock: Clock = { now: () => nowMs };
    const { gw: g, sim: s, delivery: d } = await deliverTo({ PORTAL_SESSION_TTL_SECONDS: '60' }, {}, clock);
    await push(g, 1);
    await d.worker.tick();
    nowMs += 59_000;
    await push(g, 1);
    await d.worker.tick();
    expect(s.stats.calls('auth')).toEqual({ '00': 1 });
    nowMs += 1_000;
    await push(g, 1);
    await d.worker.tick();
    expect(s.stats.calls('auth')).toEqual({ '00': 2 });
    expect(s.stats.calls('DongBoHoSoMC')).toEqual({ '00': 3 });
  });

  it('sandbox mode: the built-in simulator serves the configured paths', async () => {
    gw = await createTestGateway();
    const config = parseConfig({
      DB_PATH: gw.dbPath,
      PORTAL_AUTH_PATH: '/a/login',
      PORTAL_INTEGRATION_PATH: '/a/sync',
      PORTAL_IS_UPDATING_AS: 'boolean',
    });
    delivery = await startDelivery(config, gw.services, { owner: 'sandbox-test', run: false });
    await push(gw, 1);
    await delivery.worker.tick();
    const [transfer] = gw.sqlite.prepare('SELECT state FROM transfers').all() as { state: string }[];
    expect(transfer?.state).toBe('delivered');
  });
});
