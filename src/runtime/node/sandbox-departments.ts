/**
 * Sandbox mode's departmental software (docs/departments.md, Simulators and sandbox): the land-registry
 * (REST + JSON) and civil-status (SOAP) simulators on loopback ports, an API client of each one's system
 * (`vpdk`, `hotich`: `demo: ` clients, revoked with the others), and their destinations registered for
 * one demo agency each. Registering is idempotent across restarts: a destination this mode registered
 * before (a loopback URL) is replaced by the new simulator's; one an admin pointed elsewhere is kept.
 * Each simulator moves a dossier it received by itself (processing, then resolved) a few seconds later,
 * reporting to the gateway once `connect` told it where the gateway listens.
 */
import { randomBytes } from 'node:crypto';
import {
  type CivilStatusSimulator,
  startCivilStatusSimulator,
} from '../../../adapters/departments/civil-status.simulator.js';
import {
  type LandRegistrySimulator,
  startLandRegistrySimulator,
} from '../../../adapters/departments/land-registry.simulator.js';
import { type SelfAdvance, selfAdvance } from '../../../adapters/departments/self-advance.js';
import type { DestinationInput } from '../../../schemas/departments.js';
import type { Clients } from '../../clients/client.js';
import { addDestination } from '../../departments/add-destination.js';
import { findDestination } from '../../departments/destination.store.js';
import { removeDestination } from '../../departments/remove-destination.js';
import type { SecretBox } from '../../departments/secret-box.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/store.js';
import { DEMO_AGENCIES, type SandboxDepartmentUrls } from './sandbox.js';

export const SANDBOX_DEPARTMENTS = {
  landRegistry: {
    system: 'vpdk',
    profile: 'land-registry',
    agencies: [DEMO_AGENCIES[1] ?? '000.00.16.H24'],
    client: 'demo: land-registry simulator',
  },
  civilStatus: {
    system: 'hotich',
    profile: 'civil-status',
    agencies: [DEMO_AGENCIES[0] ?? '000.00.15.H24'],
    client: 'demo: civil-status simulator',
  },
} as const;

const ACTOR = 'sandbox';
const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+(?:\/|$)/;

export interface SandboxDepartments {
  urls: SandboxDepartmentUrls;
  /** What registering did per system: `registered`, `replaced`, or `kept` (an admin's destination). */
  registration: Record<string, 'registered' | 'replaced' | 'kept'>;
  land: LandRegistrySimulator;
  civil: CivilStatusSimulator;
  /** Tells the simulators where the gateway listens: from then on they report their progress. */
  connect(gatewayUrl: string): void;
  stop(): Promise<void>;
}

export interface SandboxDepartmentDeps {
  store: Store;
  clock: Clock;
  clients: Clients;
  logger: Logger;
  /** Seals the simulators' credentials like any destination's (docs/departments.md, Credentials). */
  destinationSecrets?: SecretBox | undefined;
}

/** Registers (or re-points) one sandbox destination, in one unit of work. */
export async function registerSandboxDestination(
  deps: Pick<SandboxDepartmentDeps, 'store' | 'clock' | 'destinationSecrets'>,
  input: Omit<DestinationInput, 'pull'>,
): Promise<'registered' | 'replaced' | 'kept'> {
  return deps.store.transaction(async (trx) => {
    const now = deps.clock.now();
    const existing = await findDestination(trx, input.system);
    if (existing && !LOOPBACK.test(existing.baseUrl)) return 'kept';
    if (existing) await removeDestination(trx, input.system, ACTOR, now);
    await addDestination(trx, { ...input, pull: false }, ACTOR, now, deps.destinationSecrets);
    return existing ? 'replaced' : 'registered';
  });
}

/** Revokes earlier keys of a simulator's client and issues a new one. */
async function freshClient(clients: Clients, name: string, system: string, agencies: readonly string[]) {
  for (const c of await clients.list())
    if (c.name === name && c.revokedAt === null) await clients.revoke(c.id);
  return clients.add({ name, role: 'department', system, agencies: [...agencies] });
}

const secret = () => randomBytes(18).toString('base64url');

export async function startSandboxDepartments(
  deps: SandboxDepartmentDeps,
  options: { advanceMs?: number } = {},
): Promise<SandboxDepartments> {
  const { landRegistry: L, civilStatus: C } = SANDBOX_DEPARTMENTS;
  const landKey = await freshClient(deps.clients, L.client, L.system, L.agencies);
  const civilKey = await freshClient(deps.clients, C.client, C.system, C.agencies);
  // Record numbers past earlier runs' (a restarted simulator forgets its records).
  const firstRecord = (Math.floor(deps.clock.now() / 1000) % 800_000) + 100_000;
  const advances: SelfAdvance[] = [];
  const advancing = (name: string, report: Parameters<typeof selfAdvance>[0]) => {
    const a = selfAdvance(report, {
      delayMs: options.advanceMs ?? 5_000,
      now: () => deps.clock.now(),
      onError: (error) => deps.logger.warn(`${name} simulator could not report its progress`, { error }),
    });
    advances.push(a);
    return a;
  };
  const landAdvance = advancing('land-registry', (id, step) => land.reportProgress(id, step));
  const civilAdvance = advancing('civil-status', (id, step) => civil.reportProgress(id, step));
  const landToken = secret();
  const civilCredentials = `lienthong:${secret()}`;
  const land = await startLandRegistrySimulator({
    token: landToken,
    firstRecord,
    onRecord: (id) => landAdvance.schedule(id),
  });
  const civil = await startCivilStatusSimulator({
    credentials: civilCredentials,
    firstRecord,
    onRecord: (id) => civilAdvance.schedule(id),
  });
  const registration = {
    [L.system]: await registerSandboxDestination(deps, {
      system: L.system,
      profile: L.profile,
      baseUrl: land.url,
      credentials: landToken,
      agencies: [...L.agencies],
    }),
    [C.system]: await registerSandboxDestination(deps, {
      system: C.system,
      profile: C.profile,
      baseUrl: civil.url,
      credentials: civilCredentials,
      agencies: [...C.agencies],
    }),
  };
  const civilOrigin = new URL(civil.url).origin;
  return {
    urls: {
      landRegistry: land.url,
      civilStatus: civil.url,
      landRegistryRecords: `${land.url}/__sim/records`,
      civilStatusRecords: `${civilOrigin}/__sim/records`,
    },
    registration,
    land,
    civil,
    connect(gatewayUrl) {
      land.connect({ url: gatewayUrl, key: landKey.key });
      civil.connect({ url: gatewayUrl, clientId: civilKey.id, key: civilKey.key });
    },
    async stop() {
      for (const a of advances) a.stop();
      await land.close();
      await civil.close();
    },
  };
}
