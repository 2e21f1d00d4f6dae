/**
 * Boot rows: one per running gateway process (docs/api-errors.md, `idempotency_in_progress`). A process
 * inserts its own at start, moves its heartbeat forward every few seconds, and deletes it at a clean
 * shutdown; the row of a process that died stays until its heartbeat is stale and a start sweeps it.
 */
import type { Db } from '../store/store.js';

/** Inserts the boot, or moves its heartbeat to `nowMs` when its row is there already. */
export async function putBoot(
  db: Db,
  b: { id: string; pid: number; host: string; nowMs: number },
): Promise<void> {
  await db
    .insertInto('boots')
    .values({ id: b.id, pid: b.pid, host: b.host, started_at_ms: b.nowMs, heartbeat_at_ms: b.nowMs })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at_ms: b.nowMs }))
    .execute();
}

/** Boot `id` (its host, pid and last heartbeat), or undefined when it has no row (ended, or swept). */
export async function findBoot(
  db: Db,
  id: string,
): Promise<{ host: string; pid: number; heartbeatAtMs: number } | undefined> {
  const row = await db
    .selectFrom('boots')
    .select(['host', 'pid', 'heartbeat_at_ms'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { host: row.host, pid: row.pid, heartbeatAtMs: row.heartbeat_at_ms };
}

/** Deletes boot `id` (a clean shutdown). */
export async function deleteBoot(db: Db, id: string): Promise<void> {
  await db.deleteFrom('boots').where('id', '=', id).execute();
}

/** Deletes every boot whose heartbeat is older than `cutoffMs` (processes that died). */
export async function deleteBootsBeatBefore(db: Db, cutoffMs: number): Promise<void> {
  await db.deleteFrom('boots').where('heartbeat_at_ms', '<', cutoffMs).execute();
}
