/**
 * Sandbox mode's departmental software (docs/departments.md, Simulators and sandbox): both simulators on
 * loopback, their clients and destinations registered, idempotently across restarts on the same
 * database, an admin's own destination kept; and a dossier pushed by the one-stop software appears in the
 * land-registry simulator, which moves it by itself, and its progress reaches the portal simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listDestinations } from '../../src/departments/destination.store.js';
import type { ForwardWorker } from '../../src/departments/forward-worker.js';
import { DEMO_AGENCIES, sandboxBanner } from '../../src/runtime/node/sandbox.js';
import {
  registerSandboxDestination,
  type SandboxDepartments,
  startSandboxDepartments,
} from '../../src/runtime/node/sandbox-departments.js';
import { createHarness, type Harness } from '../helpers/delivery.js';
import { forwardWorker, type ServedGateway, serveGateway } from '../helpers/forwarding.js';
import { AGENCY, AGENCY_2, dossierBody } from '../helpers/gateway.js';

let h: Harness | undefined;
const started: SandboxDepartments[] = [];
let served: ServedGateway | undefined;
let forwarder: ForwardWorker | undefined;
afterEach(async () => {
  await forwarder?.stop();
  for (const d of started.splice(0)) await d.stop();
  await served?.close();
  served = undefined;
  await h?.close();
});

async function start(harness: Harness, advanceMs = 60_000) {
  const { services } = harness.gw;
  const d = await startSandboxDepartments(
    {
      store: services.store,
      clock: services.clock,
      clients: services.clients,
      logger: services.logger,
      destinationSecrets: services.destinationSecrets,
    },
    { advanceMs },
  );
  started.push(d);
  return d;
}

describe('sandbox departments', () => {
  it('registers both simulators as destinations with clients of their systems, idempotently', async () => {
    h = await createHarness();
    expect([AGENCY, AGENCY_2]).toEqual(DEMO_AGENCIES);
    const first = await start(h);
    expect(first.registration).toEqual({ vpdk: 'registered', hotich: 'registered' });
    const destinations = await listDestinations(h.gw.services.store.db);
    expect(destinations.map((d) => [d.system, d.profile, d.baseUrl, d.agencies])).toEqual([
      ['hotich', 'civil-status', first.urls.civilStatus, [AGENCY]],
      ['vpdk', 'land-registry', first.urls.landRegistry, [AGENCY_2]],
    ]);
    const active = async () =>
      (await h?.gw.services.clients.list())?.filter(
        (c) => c.revokedAt === null && c.name.includes('simulator'),
      );
    expect((await active())?.map((c) => [c.system, c.role]).sort()).toEqual([
      ['hotich', 'department'],
      ['vpdk', 'department'],
    ]);
    // The civil-status simulator serves its WSDL; both show their records.
    expect((await fetch(`${first.urls.civilStatus}?wsdl`)).status).toBe(200);
    expect(await (await fetch(first.urls.landRegistryRecords)).json()).toEqual([]);
    expect(await (await fetch(first.urls.civilStatusRecords)).json()).toEqual([]);

    // A restart on the same database: the same two destinations, pointing at the new simulators.
    await first.stop();
    started.splice(0);
    const second = await start(h);
    expect(second.registration).toEqual({ vpdk: 'replaced', hotich: 'replaced' });
    const again = await listDestinations(h.gw.services.store.db);
    expect(again.map((d) => [d.system, d.baseUrl])).toEqual([
      ['hotich', second.urls.civilStatus],
      ['vpdk', second.urls.landRegistry],
    ]);
    expect(await active()).toHaveLength(2); // the first run's keys were revoked

    const banner = sandboxBanner([], 'http://127.0.0.1:1', undefined, second.urls);
    expect(banner).toContain(second.urls.landRegistryRecords);
    expect(banner).toContain(`${second.urls.civilStatus}?wsdl`);
  });

  it('keeps a destination an admin pointed elsewhere', async () => {
    h = await createHarness();
    const input = {
      system: 'vpdk',
      profile: 'land-registry',
      baseUrl: 'https://vbd.example.vn',
      credentials: 'real-token',
      agencies: [AGENCY_2],
    };
    const deps = {
      store: h.gw.services.store,
      clock: h.gw.services.clock,
      destinationSecrets: h.gw.services.destinationSecrets,
    };
    // As if an admin had registered the real land-registry software under the sandbox's system name.
    expect(await registerSandboxDestination(deps, input)).toBe('registered');
    expect(await registerSandboxDestination(deps, { ...input, baseUrl: 'http://127.0.0.1:9/x' })).toBe(
      'kept',
    );
    const [vpdk] = await listDestinations(h.gw.services.store.db);
    expect(vpdk?.baseUrl).toBe('https://vbd.example.vn');
  });

  it('a dossier pushed by the one-stop software reaches the land registry, which moves it by itself', async () => {
    h = await createHarness();
    const harness = h;
    served = await serveGateway(harness.gw, { soap: true });
    const d = await start(harness, 20);
    d.connect(served.url);
    const fw = forwardWorker(harness.gw, { owner: 'sandbox-test' });
    forwarder = fw;
    const agency = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai' };
    const pushed = await harness.gw.request('POST', '/v1/dossiers', { body: dossierBody({ agency }) });
    expect(pushed.status).toBe(201);
    const { code } = (await pushed.json()) as { code: string };

    // Bounded: rounds of both workers until the portal holds the land registry's two steps.
    const until = Date.now() + 15_000;
    while (harness.sim.stats.progressOf(code).length < 2 && Date.now() < until) {
      await fw.tick();
      await harness.worker.tick();
      await new Promise((r) => setTimeout(r, 10));
    }
    const records = (await (await fetch(d.urls.landRegistryRecords)).json()) as {
      dossier: { code: string };
    }[];
    expect(records.map((r) => r.dossier.code)).toEqual([code]);
    expect(harness.sim.stats.insertCount(code)).toBe(1);
    expect(harness.sim.stats.progressOf(code).map((p) => p.TrangThai)).toEqual(['4', '9']);
    expect(d.civil.records.size).toBe(0); // another agency's software
  });
});
