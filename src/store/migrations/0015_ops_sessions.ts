/**
 * 0015: the operators' dashboard (docs/dashboard.md). `ops_sessions` holds one row per signed-in
 * browser: the SHA-256 of the random session id (the cookie's value is never stored), the operator
 * client it acts for, when it ends for good and when it was last used (the idle timeout).
 * `ops_signin_failures` holds failed sign-ins per source address for a short window, so repeated
 * guesses are refused for a while.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ops_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'integer', (c) => c.notNull())
    .addColumn('last_seen_at_ms', 'integer', (c) => c.notNull())
    .addColumn('expires_at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ops_sessions_client').on('ops_sessions').column('client_id').execute();
  await db.schema
    .createTable('ops_signin_failures')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ops_signin_failures_address')
    .on('ops_signin_failures')
    .columns(['address', 'at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ops_signin_failures').execute();
  await db.schema.dropTable('ops_sessions').execute();
}
