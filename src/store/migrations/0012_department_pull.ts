/**
 * 0012: pull from departmental software, field updates and sealed credentials (docs/departments.md).
 * `department_destinations.pull` says whether the gateway asks that system for its changes;
 * `department_cursors` holds, per polled system, the cursor of the last change taken in (written in the
 * transaction of that change) and the poller's last round. `department_forwards.whole` marks the
 * forwards that carried the whole dossier (only those get field updates later); existing rows are
 * derived from the transfer that carried them.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('department_destinations')
    .addColumn('pull', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('department_cursors')
    .addColumn('system', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'text')
    .addColumn('changes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bad_changes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('moved_at_ms', 'integer')
    .addColumn('polled_at_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_error_ms', 'integer')
    .execute();
  await db.schema
    .alterTable('department_forwards')
    .addColumn('whole', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE department_forwards SET whole = 1 WHERE transfer_id IN
    (SELECT id FROM transfers WHERE kind = 'dossier_sync')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('department_forwards').dropColumn('whole').execute();
  await db.schema.dropTable('department_cursors').execute();
  await db.schema.alterTable('department_destinations').dropColumn('pull').execute();
}
