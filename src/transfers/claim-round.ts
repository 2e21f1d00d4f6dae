/**
 * The head of every delivery round (portal, SMS, departments; docs/architecture.md follows a delivery):
 * ask the destination's circuit, claim due queue heads with a lease — one only when the circuit lets a
 * probe through — and, when a probe finds nothing to send, close the circuit and let traffic decide.
 */
import type { Db } from '../store/store.js';
import type { TransferRow } from '../store/tables.js';
import type { CircuitBreaker } from './circuit.js';
import { claimTransfers } from './transfer.store.js';

export async function claimRound(
  db: Db,
  circuit: CircuitBreaker,
  o: { destination: string; owner: string; now: number; leaseMs: number; limit: number },
): Promise<TransferRow[]> {
  const admission = await circuit.admit(o.owner, o.now);
  if (admission === 'open') return [];
  const claimed = await claimTransfers(db, { ...o, limit: admission === 'probe' ? 1 : o.limit });
  if (claimed.length === 0 && admission === 'probe') await circuit.success(o.now);
  return claimed;
}
