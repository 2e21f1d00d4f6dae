/** The typed Hono context every handler sees: services in, principal and request id per request. */
import type { Config } from '../../schemas/config.js';
import type { ClientService, Principal } from '../clients/client.service.js';
import type { IntakeService } from '../intake/intake.service.js';
import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

/** What the composition root of each runtime hands to `createApp`. */
export interface Services {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  clients: ClientService;
  intake: IntakeService;
  /** Serves the API reference page's static assets (bundled locally, never from a CDN). */
  docsAssets: DocsAssets;
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
