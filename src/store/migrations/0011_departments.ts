/**
 * 0011: forwarding to departmental software (docs/departments.md). `department_destinations` holds the
 * destinations an admin registered: the system name (also the outbox destination), its profile, base
 * URL, credentials (write-only, docs/privacy.md) and the agencies it serves. `department_forwards` holds
 * one row per (dossier, destination): its primary key is what makes a dossier go to a destination once.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('department_destinations')
    .addColumn('system', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('credentials', 'text', (c) => c.notNull())
    .addColumn('agencies', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('department_forwards')
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('transfer_id', 'integer', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('department_forwards_pk', ['dossier_id', 'system'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('department_forwards').execute();
  await db.schema.dropTable('department_destinations').execute();
}
