/**
 * 0007: checkpoints of the reconciliation log. Each names an entry (id and hash) and carries an
 * HMAC-SHA-256 over that entry, its own sequence number, its time and the previous checkpoint's MAC,
 * made with a key kept outside the database: a deleted tail or a chain recomputed after an edit no
 * longer matches a checkpoint, and nobody without the key can sign a new one (docs/privacy.md). Like
 * the log, the table is append-only in the database itself.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('log_checkpoints')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('entry_id', 'integer', (c) => c.notNull())
    .addColumn('entry_hash', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
    BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
    BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('log_checkpoints').execute();
}
