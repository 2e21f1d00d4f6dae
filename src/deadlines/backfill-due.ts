/**
 * Use case, run at start: stores the computed due instant of dossiers that were written without one
 * (before migration 0013, or while no catalogue listed their procedure), through the row builder, in
 * bounded batches (docs/deadlines.md, Backfill). Dossiers whose procedure the catalogue does not list
 * stay without a due instant and are looked at again at the next start.
 */
import { findDossier, updateDossier } from '../intake/dossier.store.js';
import type { Store } from '../store/store.js';
import { selectDueless } from './deadline.store.js';
import type { DueRule } from './due-rule.js';

const BATCH = 500;
/** At most this many batches per start (5,000,000 dossiers). */
const MAX_BATCHES = 10_000;

/** Fills the computed due instants; returns how many dossiers got one. */
export async function backfillDue(store: Store, rule: DueRule): Promise<number> {
  let after = '';
  let filled = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const rows = await selectDueless(store.db, after, BATCH);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    const due = rows.filter((r) => rule.computedDueMs(r.procedure_code, r.received_at_ms) !== null);
    if (due.length === 0) continue;
    await store.transaction(async (trx) => {
      for (const r of due) {
        const dossier = await findDossier(trx, r.id);
        if (dossier && !dossier.data.dueAt) await updateDossier(trx, dossier, rule);
      }
    });
    filled += due.length;
  }
  return filled;
}
