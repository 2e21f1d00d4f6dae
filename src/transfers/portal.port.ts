/**
 * What the delivery worker needs from the national portal, declared here where it is used. The real
 * implementation is the portal adapter (adapters/portal); tests and sandbox mode use the simulator
 * behind the same adapter. Outcomes are classified once, in the adapter, so the worker decides retries
 * in one place.
 */
import { PORTAL_SERVICE_LIMITS } from '../../schemas/portal.js';

export type PortalOutcome =
  | { kind: 'ok' }
  | { kind: 'exists'; codes: string[]; message: string }
  | { kind: 'not_found'; codes: string[]; message: string }
  | {
      kind: 'data_incorrect';
      code: string | undefined;
      field: string | undefined;
      reason: string;
      message: string;
    }
  | { kind: 'config_fault'; errorCode: string; message: string }
  | { kind: 'outage'; status?: number | undefined; retryAfterMs?: number | undefined; message: string };

export interface PortalPort {
  /** DongBoHoSoMC: insert (isUpdating false) or update dossier objects; at most 50 per call. */
  syncDossiers(objects: readonly unknown[], isUpdating: boolean): Promise<PortalOutcome>;
  /** CapNhatTienDoHoSoMC: append progress records; at most 10 per call. */
  pushProgress(records: readonly unknown[]): Promise<PortalOutcome>;
}

/** Canonical outbox payload → portal wire object; throws when the payload cannot make a valid one. */
export interface PortalMapper {
  dossier(payload: unknown): { code: string; object: unknown };
  progress(payload: unknown): { code: string; record: unknown };
}

/** Items per call, from the portal's own limits per service (schemas/portal.ts). */
export const PORTAL_LIMITS = {
  dossiers: PORTAL_SERVICE_LIMITS.DongBoHoSoMC,
  progress: PORTAL_SERVICE_LIMITS.CapNhatTienDoHoSoMC,
} as const;
