/** 0001: the foundation tables (dossiers, sources, history, idempotency, clients, outbox, log). */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_at_ms', 'integer', (c) => c.notNull())
    .addColumn('applicant_id_number', 'text')
    .addColumn('received_at_ms', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossiers_updated').on('dossiers').columns(['updated_at_ms', 'id']).execute();
  await db.schema
    .createIndex('dossiers_agency_updated')
    .on('dossiers')
    .columns(['agency_code', 'updated_at_ms', 'id'])
    .execute();
  await db.schema
    .createIndex('dossiers_status_updated')
    .on('dossiers')
    .columns(['status', 'updated_at_ms', 'id'])
    .execute();

  await db.schema
    .createTable('dossier_sources')
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('first_seen_at_ms', 'integer', (c) => c.notNull())
    .addColumn('last_seen_at_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_sources_pk', ['system', 'record_id'])
    .execute();
  await db.schema.createIndex('dossier_sources_dossier').on('dossier_sources').column('dossier_id').execute();

  await db.schema
    .createTable('status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('officer', 'text')
    .addColumn('source_system', 'text')
    .addColumn('source_record_id', 'text')
    .addColumn('applied', 'integer', (c) => c.notNull())
    .addColumn('recorded_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_history_dossier')
    .on('status_history')
    .columns(['dossier_id', 'at_ms', 'status'])
    .execute();

  await db.schema
    .createTable('dossier_code_sequences')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_code_sequences_pk', ['agency_code', 'day'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('locked_until_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at_ms')
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('system', 'text')
    .addColumn('agencies', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('revoked_at_ms', 'integer')
    .execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at_ms', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
    .addUniqueConstraint('transfers_order', ['destination', 'dossier_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('transfers_due')
    .on('transfers')
    .columns(['state', 'destination', 'next_attempt_at_ms'])
    .execute();

  await db.schema
    .createTable('reconciliation_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text')
    .addColumn('transfer_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reconciliation_log_dossier')
    .on('reconciliation_log')
    .column('dossier_id')
    .execute();
  // The log is append-only: the database itself refuses edits and deletes.
  await sql`CREATE TRIGGER reconciliation_log_no_update BEFORE UPDATE ON reconciliation_log
    BEGIN SELECT RAISE(ABORT, 'reconciliation_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER reconciliation_log_no_delete BEFORE DELETE ON reconciliation_log
    BEGIN SELECT RAISE(ABORT, 'reconciliation_log is append-only'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'reconciliation_log',
    'transfers',
    'clients',
    'idempotency_keys',
    'dossier_code_sequences',
    'status_history',
    'dossier_sources',
    'dossiers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
