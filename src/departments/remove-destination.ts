/**
 * Use case: an admin removes a departmental destination (docs/departments.md, Destinations). Nothing new
 * is forwarded to it; transfers already queued stay in the outbox, where operators see them.
 */
import { NotFound } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import type { Trx } from '../store/store.js';
import { deleteDestination } from './destination.store.js';

export async function removeDestination(trx: Trx, system: string, actor: string, now: number): Promise<void> {
  if (!(await deleteDestination(trx, system))) throw new NotFound(`no destination ${system}`);
  await appendLog(trx, { kind: 'department.destination_removed', actor, data: { system } }, now);
}
