/** A gateway, a portal simulator on a loopback socket, and a delivery worker between them. */
import { createPortalClient, type PortalClientOptions } from '../../adapters/portal/client.js';
import {
  type PortalSimulator,
  type PortalSimulatorOptions,
  startPortalSimulator,
} from '../../adapters/portal/simulator.js';
import { portalMapper } from '../../mappings/portal/index.js';
import type { DeliveryConfig } from '../../schemas/config.js';
import { TransferWorker, type WorkerConfig } from '../../src/transfers/worker.js';
import { createTestGateway, type TestGateway } from './gateway.js';

export const FAST: DeliveryConfig & WorkerConfig = {
  workerEnabled: false,
  concurrency: 4,
  leaseMs: 2_000,
  pollMs: 10,
  retry: { baseMs: 10, capMs: 100, maxAttempts: 50, maxAgeMs: 3_600_000 },
  circuit: { failureThreshold: 3, cooldownMs: 50, faultCooldownMs: 200 },
  portalTimeoutMs: 2_000,
  syncBatchSize: 50,
};

/** Options of the harness's simulator and client beyond the defaults (paths, session lifetime, forms). */
export interface HarnessOptions {
  /** Settings of the gateway under test (e.g. SMS on). */
  env?: Record<string, string>;
  sim?: Partial<PortalSimulatorOptions>;
  client?: Partial<PortalClientOptions>;
}

export interface Harness {
  gw: TestGateway;
  sim: PortalSimulator;
  worker: TransferWorker;
  /** Runs worker rounds until nothing is left to deliver (or `ms` pass); returns the rounds run. */
  drain(ms?: number): Promise<number>;
  transfers(): {
    id: number;
    dossier_id: string;
    kind: string;
    seq: number;
    state: string;
    attempts: number;
    last_error: string | null;
    next_attempt_at_ms: number;
  }[];
  close(): Promise<void>;
}

export async function createHarness(
  overrides: Partial<DeliveryConfig & WorkerConfig> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const gw = await createTestGateway(options.env ? { env: options.env } : {});
  const sim = await startPortalSimulator({
    host: '127.0.0.1',
    port: 0,
    username: 'u',
    password: 'p',
    madonvi: '000.00.00.H24',
    ...options.sim,
  });
  const config = { ...FAST, ...overrides };
  const worker = new TransferWorker({
    store: gw.services.store,
    clock: gw.services.clock,
    logger: gw.services.logger,
    portal: createPortalClient({
      url: sim.url,
      username: 'u',
      password: 'p',
      dstcode: 'TEST',
      madonvi: '000.00.00.H24',
      timeoutMs: config.portalTimeoutMs,
      syncBatchSize: config.syncBatchSize,
      ...options.client,
    }),
    mapper: portalMapper,
    config,
    owner: 'test-worker',
  });
  // Work left: pending or in-flight transfers that are not waiting behind a dead or held one.
  const open = () =>
    (
      gw.sqlite
        .prepare(
          `SELECT count(*) AS n FROM transfers t WHERE t.state IN ('pending', 'in_flight') AND NOT EXISTS (
             SELECT 1 FROM transfers p WHERE p.destination = t.destination AND p.dossier_id = t.dossier_id
               AND p.seq < t.seq AND p.state IN ('dead', 'held'))`,
        )
        .get() as { n: number }
    ).n;
  return {
    gw,
    sim,
    worker,
    async drain(ms = 10_000) {
      const until = Date.now() + ms;
      let rounds = 0;
      while (open() > 0 && Date.now() < until) {
        rounds += 1;
        if ((await worker.tick()) === 0) await new Promise((r) => setTimeout(r, 5));
      }
      return rounds;
    },
    transfers: () =>
      gw.sqlite.prepare('SELECT * FROM transfers ORDER BY id').all() as ReturnType<Harness['transfers']>,
    async close() {
      await worker.stop();
      await sim.close();
      await gw.close();
    },
  };
}
