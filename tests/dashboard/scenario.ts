/**
 * A real gateway for the browser test and the screenshot script: the app on a loopback socket, a
 * portal simulator that refuses connections until the first delivery has failed twice (so a dead
 * letter exists), then accepts them, and the delivery worker running, so a replay is delivered.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { toVnIso } from '../../src/lib/time.js';
import { createHarness, FAST, type Harness } from '../helpers/delivery.js';
import { dossierBody } from '../helpers/gateway.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Debian chromium binary, or CHROMIUM_PATH; undefined when there is none. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

export interface Scenario {
  h: Harness;
  url: string;
  dossierId: string;
  transferId: number;
  /** The code of a dossier due within two working days. */
  nearDueCode: string;
  close(): Promise<void>;
}

/** Starts everything; the dead letter is the first portal transfer of `dossierId`. */
export async function startScenario(): Promise<Scenario> {
  const h = await createHarness({
    concurrency: 1,
    pollMs: 100,
    retry: { ...FAST.retry, maxAttempts: 2 },
    circuit: { failureThreshold: 5, cooldownMs: 50, faultCooldownMs: 200 },
  });
  await h.sim.control.refuseConnections();
  const res = await h.gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  const { id: dossierId } = (await res.json()) as { id: string };
  await h.drain(10_000);
  const dead = h.transfers().find((t) => t.dossier_id === dossierId && t.state === 'dead');
  if (!dead) throw new Error('the scenario expected a dead letter');
  await h.sim.control.acceptConnections();
  const now = h.gw.services.clock.now();
  const near = await h.gw.request('POST', '/v1/dossiers', {
    body: dossierBody({ receivedAt: toVnIso(now - 3 * 86_400_000), dueAt: toVnIso(now + 86_400_000) }),
  });
  const { code: nearDueCode } = (await near.json()) as { code: string };
  const server = serve({ fetch: h.gw.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  h.worker.start();
  return {
    h,
    url: `http://127.0.0.1:${port}`,
    dossierId,
    transferId: dead.id,
    nearDueCode,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await h.close();
    },
  };
}
