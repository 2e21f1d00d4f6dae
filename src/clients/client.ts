/** API clients as the use cases see them: the stored client, its public view and the principal. */
import type { Client, ClientInput, Role } from '../../schemas/client.js';
import { toVnIso } from '../lib/time.js';

export const KEY_PREFIX = 'lt_';

/** The authenticated caller, as handlers see it. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  system: string | null;
  agencies: readonly string[];
}

/** One stored client, decoded (never its key, only the key's hash and prefix). */
export interface StoredClient {
  id: string;
  name: string;
  role: Role;
  system: string | null;
  agencies: string[];
  keyHash: string;
  keyPrefix: string;
  createdAtMs: number;
  revokedAtMs: number | null;
}

/** The public view of a stored client (times in Vietnam, ISO 8601). */
export function toClient(c: StoredClient): Client {
  return {
    id: c.id,
    name: c.name,
    role: c.role,
    system: c.system,
    agencies: c.agencies,
    keyPrefix: c.keyPrefix,
    createdAt: toVnIso(c.createdAtMs),
    revokedAt: c.revokedAtMs === null ? null : toVnIso(c.revokedAtMs),
  };
}

/** The principal a stored client authenticates as. */
export function toPrincipal(c: StoredClient): Principal {
  return { id: c.id, name: c.name, role: c.role, system: c.system, agencies: c.agencies };
}

/**
 * The API clients as the app and the runtimes use them (`services.clients`): declared here, so the
 * HTTP context names this slice instead of the class that implements it (`ClientService`).
 */
export interface Clients {
  add(input: ClientInput): Promise<Client & { key: string }>;
  list(): Promise<Client[]>;
  get(id: string): Promise<Client | undefined>;
  revoke(id: string): Promise<Client | undefined>;
  /** Drops cached key lookups, so a revocation applies at once in this process. */
  forget(): void;
  /** The principal of a presented key, or null when it is unknown or revoked. */
  authenticate(key: string): Promise<Principal | null>;
}
