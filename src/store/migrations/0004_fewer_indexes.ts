/**
 * 0004: indexes fitted to the queries. Two that no query uses are dropped (every insert paid for them):
 * the transfer list is ordered by id and filtered by state through `transfers_due` (state first), and
 * nothing reads the reconciliation log by dossier yet (a feature that does brings its index back).
 * Two small partial indexes serve the same-day dedup probes of a record that has an identifier: they
 * look only for dossiers without one (docs/dedup.md), which are few, so the probe reads a small tree.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('transfers_state_created').ifExists().execute();
  await db.schema.dropIndex('reconciliation_log_dossier').ifExists().execute();
  await db.schema
    .createIndex('dossiers_block_name_idless')
    .on('dossiers')
    .columns(['procedure_code', 'received_day', 'applicant_name_key'])
    .where(sql.ref('applicant_id_number'), 'is', null)
    .execute();
  await db.schema
    .createIndex('dossiers_block_phone_idless')
    .on('dossiers')
    .columns(['procedure_code', 'received_day', 'applicant_phone'])
    .where(sql.ref('applicant_id_number'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('dossiers_block_phone_idless').execute();
  await db.schema.dropIndex('dossiers_block_name_idless').execute();
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
