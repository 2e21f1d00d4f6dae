/** 0003: delivery. Per-destination circuit state shared by every worker, and indexes for the ops views. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('destinations')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('circuit', 'text', (c) => c.notNull().defaultTo('closed'))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('open_until_ms', 'integer')
    .addColumn('probe_owner', 'text')
    .addColumn('probe_until_ms', 'integer')
    .addColumn('last_success_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_error_ms', 'integer')
    .addColumn('alert', 'text')
    .execute();
  await db.schema
    .createIndex('transfers_state_created')
    .on('transfers')
    .columns(['state', 'created_at_ms'])
    .execute();
  await db.schema
    .createIndex('transfers_dossier')
    .on('transfers')
    .columns(['dossier_id', 'destination', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('transfers_dossier').execute();
  await db.schema.dropIndex('transfers_state_created').execute();
  await db.schema.dropTable('destinations').execute();
}
