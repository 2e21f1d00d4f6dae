/** The typed Hono context every handler sees: services in, principal and request id per request. */
import type { Config } from '../../schemas/config.js';
import type { WorkingCalendar } from '../calendar/calendar.js';
import type { Clients, Principal } from '../clients/client.js';
import type { Boot } from '../idempotency/boot.js';
import type { IntakeDeps } from '../intake/intake.context.js';
import { Unauthorized } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import type { MetricsPort } from '../ops/metrics.port.js';
import type { Store } from '../store/store.js';
import type { PortalLookupPort } from '../transfers/portal.port.js';

/** What the composition root of each runtime hands to `createApp`. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  clients: Clients;
  /** What the intake and review use cases depend on (outbox port, dedup configuration, clock). */
  intake: IntakeDeps;
  /** Serves the API reference page's static assets (bundled locally, never from a CDN). */
  docsAssets: DocsAssets;
  /** Working days in Vietnam: weekends, holidays and swapped days from the year files (docs/calendar.md). */
  calendar: WorkingCalendar;
  /** This process's boot, stored with each Idempotency-Key it reserves (none on Workers). */
  boot?: Boot;
  /** TraCuuHoSo for reconciliation runs (docs/reconciliation.md); absent: runs cannot compare. */
  portal?: PortalLookupPort | undefined;
  /** The app's Prometheus registry (docs/reconciliation.md, Metrics); absent: `/metrics` answers 501. */
  metrics?: MetricsPort | undefined;
}

export interface DocsAssets {
  get(name: string): Promise<{ body: ArrayBuffer | Uint8Array | string; contentType: string } | null>;
}

export interface IdempotencyReservation {
  clientId: string;
  key: string;
  recorded: boolean;
}

export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
    principal: Principal | undefined;
    idempotency: IdempotencyReservation | undefined;
  };
}

/** How the reconciliation log names the client that made a decision (its role, name and id). */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) throw new Unauthorized('no authenticated client');
  return `${principal.role}:${principal.name} (${principal.id})`;
}
