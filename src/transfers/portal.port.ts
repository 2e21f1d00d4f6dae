/**
 * What the delivery worker needs from the national portal, declared here where it is used. The real
 * implementation is the portal adapter (adapters/portal); tests and sandbox mode use the simulator
 * behind the same adapter. Outcomes are classified once, in the adapter (docs/portal-contract.md), so the
 * worker decides retries in one place.
 */

export type PortalOutcome =
  | { kind: 'ok' }
  /** "đã tồn tại" to an insert: `codes` are the dossiers named, empty when the portal named none. */
  | { kind: 'exists'; codes: string[]; message: string }
  /** "không tìm thấy" to an update or progress: `codes` are the dossiers named, possibly none. */
  | { kind: 'not_found'; codes: string[]; message: string }
  /** Any other failure naming dossiers of the call; `codes` is empty only for a whole call not sent. */
  | { kind: 'refused'; codes: string[]; errorCode: string; message: string }
  | { kind: 'config_fault'; errorCode: string; message: string }
  | { kind: 'outage'; status?: number | undefined; retryAfterMs?: number | undefined; message: string };

export interface PortalPort {
  /** DongBoHoSoMC: insert (isUpdating false) or update dossier objects; at most `syncBatchSize` per call. */
  syncDossiers(objects: readonly unknown[], isUpdating: boolean): Promise<PortalOutcome>;
  /** CapNhatTienDoHoSoMC: append progress records; at most `PROGRESS_BATCH_LIMIT` per call. */
  pushProgress(records: readonly unknown[]): Promise<PortalOutcome>;
}

/** Canonical outbox payload → portal wire object; throws when the payload cannot make a valid one. */
export interface PortalMapper {
  dossier(payload: unknown): { code: string; object: unknown };
  progress(payload: unknown): { code: string; record: unknown };
}

/** Progress records per CapNhatTienDoHoSoMC call (docs/portal-contract.md: a public client chunks by 10). */
export const PROGRESS_BATCH_LIMIT = 10;

/**
 * TraCuuHoSo for reconciliation runs (docs/reconciliation.md): whether the portal holds a dossier and
 * what it answered (`result`). Any failure is one of the outcomes above; implemented by the same client.
 */
export type PortalLookupOutcome =
  | { kind: 'ok'; held: boolean; result: unknown }
  | Exclude<PortalOutcome, { kind: 'ok' }>;

export interface PortalLookupPort {
  lookup(code: string): Promise<PortalLookupOutcome>;
}
