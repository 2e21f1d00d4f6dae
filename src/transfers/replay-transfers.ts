/**
 * Use case: replay dead transfers, chosen by ids or by filter, and log the replay. A replayed transfer
 * is due again with its attempts reset; it is again the head of its dossier's queue, so everything
 * queued after it keeps waiting behind it and per-dossier order holds.
 */
import type { z } from '@hono/zod-openapi';
import type { ReplayResultSchema, ReplaySchema } from '../../schemas/ops.js';
import type { Principal } from '../clients/client.service.js';
import { appendLog } from '../reconciliation/log.js';
import type { Trx } from '../store/store.js';
import { requeueDeadTransfers, selectDeadTransferIds } from './transfer.store.js';
import { toTransferFilter } from './transfer-filter.js';

export type ReplayRequest = z.infer<typeof ReplaySchema>;
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

/** At most this many replayed ids are written into the log entry. */
const LOGGED_IDS = 1000;

/** Replays the chosen dead transfers inside `trx` and returns how many were queued again. */
export async function replayTransfers(
  trx: Trx,
  request: ReplayRequest,
  principal: Principal | undefined,
  now: number,
): Promise<ReplayResult> {
  const chosen = await selectDeadTransferIds(trx, {
    ids: request.ids,
    filter: toTransferFilter(request.filter ?? {}),
  });
  await requeueDeadTransfers(trx, chosen, now);
  if (chosen.length > 0) {
    await appendLog(
      trx,
      {
        kind: 'transfer.replayed',
        actor: principal ? `${principal.role}:${principal.name} (${principal.id})` : 'unknown',
        data: {
          count: chosen.length,
          ids: chosen.slice(0, LOGGED_IDS),
          filter: request.filter,
          byIds: request.ids !== undefined,
        },
      },
      now,
    );
  }
  return { replayed: chosen.length };
}
