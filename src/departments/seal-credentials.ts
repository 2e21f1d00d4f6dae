/**
 * Use case, at start: destination credentials are sealed at rest (docs/departments.md, Credentials).
 * Clear-text credentials written before sealing existed are sealed in one transaction (none is opened
 * when there is nothing to seal); sealed ones are
 * checked to open with the configured key, so a wrong key is refused at start rather than at the first
 * call. Without a key, nothing is read: the runtime refuses to start outside sandbox mode when any
 * destination is registered (`registered`).
 */
import type { Store } from '../store/store.js';
import { listDestinationSecrets, setDestinationSecret } from './destination.store.js';
import type { SecretBox } from './secret-box.js';

export interface SealReport {
  /** Destinations registered. */
  registered: number;
  /** Clear-text credentials sealed by this call. */
  sealed: number;
  /** Systems whose sealed credentials do not open with this key. */
  unreadable: string[];
}

export async function sealStoredCredentials(store: Store, box: SecretBox | undefined): Promise<SealReport> {
  const rows = await listDestinationSecrets(store.db);
  const report: SealReport = { registered: rows.length, sealed: 0, unreadable: [] };
  if (!box) return report;
  for (const row of rows.filter((r) => box.isSealed(r.credentials))) {
    try {
      box.open(row.credentials);
    } catch {
      report.unreadable.push(row.system);
    }
  }
  // A write only when there is something to seal; read again inside it, as another process may have.
  if (rows.some((r) => !box.isSealed(r.credentials))) {
    report.sealed = await store.transaction(async (trx) => {
      let sealed = 0;
      for (const row of await listDestinationSecrets(trx)) {
        if (box.isSealed(row.credentials)) continue;
        await setDestinationSecret(trx, row.system, box.seal(row.credentials));
        sealed += 1;
      }
      return sealed;
    });
  }
  return report;
}
