/**
 * The end of a delivery round: every attempt's result and its reconciliation log entry are written in
 * one transaction (docs/architecture.md follows a delivery), and what was delivered is logged at info.
 */

import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import { maskText } from '../log/mask.js';
import { appendLog } from '../reconciliation/log.js';
import type { Store } from '../store/store.js';
import type { TransferRow } from '../store/tables.js';
import type { Round } from './round.js';
import { finishTransfer } from './transfer.store.js';

/** What every worker (portal, SMS, departments) hands over to record its round. */
export interface RecordDeps {
  store: Store;
  clock: Clock;
  owner: string;
  logger: Logger;
}

/** Writes every attempt's result and its log entry in one transaction. */
export async function recordAttempts(deps: RecordDeps, claimed: TransferRow[], round: Round): Promise<void> {
  const { store, clock, owner } = deps;
  const now = clock.now();
  const delivered: TransferRow[] = [];
  await store.transaction(async (trx) => {
    for (const row of claimed) {
      const r = round.resultOf(row, now);
      const kept = await finishTransfer(trx, row.id, owner, now, r.finish);
      if (!kept) continue; // our lease ran out and another worker owns it now
      if (r.outcome === 'released') continue;
      if (r.outcome === 'delivered') delivered.push(row);
      await appendLog(
        trx,
        {
          kind: 'transfer.attempt',
          actor: `worker:${owner}`,
          dossierId: row.dossier_id,
          transferId: row.id,
          data: {
            destination: row.destination,
            transferKind: row.kind,
            seq: row.seq,
            attempt: row.attempts + (r.finish.state === 'pending' && !r.finish.countAttempt ? 0 : 1),
            outcome: r.outcome,
            httpStatus: r.httpStatus,
            errorCode: r.errorCode,
            durationMs: round.spent.get(row.id),
            // The portal's own words may echo a value it refused: identifiers are masked as in log lines.
            error: r.finish.state === 'delivered' ? undefined : maskText(r.detail),
          },
        },
        now,
      );
    }
  });
  if (delivered.length > 0) {
    deps.logger.info('transfers delivered', {
      count: delivered.length,
      transfers: delivered.map((row) => ({ id: row.id, kind: row.kind, dossierId: row.dossier_id })),
    });
  }
}
