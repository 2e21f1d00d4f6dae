/**
 * Use case, at start: destination credentials are sealed at rest (docs/departments.md, Credentials).
 * Clear-text credentials written before sealing existed are sealed in one transaction; sealed ones are
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
  return store.transaction(async (trx) => {
    const rows = await listDestinationSecrets(trx);
    const report: SealReport = { registered: rows.length, sealed: 0, unreadable: [] };
    if (!box) return report;
    for (const row of rows) {
      if (!box.isSealed(row.credentials)) {
        await setDestinationSecret(trx, row.system, box.seal(row.credentials));
        report.sealed += 1;
        continue;
      }
      try {
        box.open(row.credentials);
      } catch {
        report.unreadable.push(row.system);
      }
    }
    return report;
  });
}
