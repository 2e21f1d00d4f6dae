/**
 * 0004: two indexes no query uses, dropped: every insert paid for them. The transfer list is ordered
 * by id and filtered by state through `transfers_due` (state first); nothing reads the reconciliation
 * log by dossier yet (a feature that does brings its index back with it).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('transfers_state_created').ifExists().execute();
  await db.schema.dropIndex('reconciliation_log_dossier').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('transfers_state_created')
    .on('transfers')
    .columns(['state', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('reconciliation_log_dossier')
    .on('reconciliation_log')
    .column('dossier_id')
    .execute();
}
