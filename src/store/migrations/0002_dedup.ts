/**
 * 0002: deduplication. Blocking keys on dossiers (so candidate lookup is an index probe, never a scan),
 * dossier holds and merge tombstones, code aliases, recorded conflicts, the review queue, and each
 * source's last pushed fields (so a wrong merge can be split back into its sources).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('applicant_name_key', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('applicant_phone', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('received_day', 'text').execute();
  await db.schema
    .alterTable('dossiers')
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('dossiers').addColumn('merged_into', 'text').execute();
  await sql`UPDATE dossiers SET received_day = strftime('%Y-%m-%d', received_at_ms / 1000 + 7 * 3600, 'unixepoch')`.execute(
    db,
  );

  // Blocking keys: identifier + procedure (+ time range), and name + procedure + day for records without one.
  await db.schema
    .createIndex('dossiers_block_id')
    .on('dossiers')
    .columns(['applicant_id_number', 'procedure_code', 'received_at_ms'])
    .execute();
  await db.schema
    .createIndex('dossiers_block_name')
    .on('dossiers')
    .columns(['procedure_code', 'received_day', 'applicant_name_key'])
    .execute();
  await db.schema
    .createIndex('dossiers_block_phone')
    .on('dossiers')
    .columns(['procedure_code', 'received_day', 'applicant_phone'])
    .execute();

  await db.schema.alterTable('dossier_sources').addColumn('last_input', 'text').execute();

  await db.schema
    .createTable('dossier_aliases')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossier_aliases_dossier').on('dossier_aliases').column('dossier_id').execute();

  await db.schema
    .createTable('dossier_conflicts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('kept', 'text', (c) => c.notNull())
    .addColumn('kept_system', 'text')
    .addColumn('other', 'text', (c) => c.notNull())
    .addColumn('other_system', 'text', (c) => c.notNull())
    .addColumn('detected_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dossier_conflicts_dossier')
    .on('dossier_conflicts')
    .column('dossier_id')
    .execute();

  await db.schema
    .createTable('dedup_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('candidates', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('decided_at_ms', 'integer')
    .addColumn('decided_by', 'text')
    .addColumn('decision', 'text')
    .execute();
  await db.schema
    .createIndex('dedup_reviews_state')
    .on('dedup_reviews')
    .columns(['state', 'created_at_ms'])
    .execute();
  await db.schema.createIndex('dedup_reviews_dossier').on('dedup_reviews').column('dossier_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['dedup_reviews', 'dossier_conflicts', 'dossier_aliases'])
    await db.schema.dropTable(t).execute();
  for (const i of ['dossiers_block_id', 'dossiers_block_name', 'dossiers_block_phone'])
    await db.schema.dropIndex(i).execute();
}
