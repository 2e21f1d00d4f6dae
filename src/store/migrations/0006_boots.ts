/**
 * 0006: process boots, so an Idempotency-Key reserved by a process that died is freed at once instead
 * of after its 60-second lock (docs/api-errors.md, `idempotency_in_progress`). Each gateway process
 * registers a boot (a fresh id at start, its host name and pid, a heartbeat time it moves forward every
 * few seconds)
 * and deletes it at a clean shutdown; a reservation names the boot that made it.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('boots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('started_at_ms', 'integer', (c) => c.notNull())
    .addColumn('heartbeat_at_ms', 'integer', (c) => c.notNull())
    .execute();
  // Null for keys reserved before this migration (and on a runtime without boots): they keep the lock.
  await db.schema.alterTable('idempotency_keys').addColumn('owner_boot', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').dropColumn('owner_boot').execute();
  await db.schema.dropTable('boots').execute();
}
