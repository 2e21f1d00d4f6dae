/**
 * `department_cursors` (docs/departments.md, Pull): per polled system, the cursor after the last change
 * taken in (written in the transaction of that change, so it moves exactly with what was taken) and the
 * poller's last round. One function per statement.
 */
import { sql } from 'kysely';
import type { Db } from '../store/store.js';

export interface CursorRecord {
  system: string;
  cursor: string | null;
  changes: number;
  badChanges: number;
  movedAtMs: number | null;
  polledAtMs: number | null;
  lastError: string | null;
  lastErrorMs: number | null;
}

/** Where the poller of a system stands; undefined before its first round. */
export async function findCursor(db: Db, system: string): Promise<CursorRecord | undefined> {
  const r = await db
    .selectFrom('department_cursors')
    .selectAll()
    .where('system', '=', system)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    system: r.system,
    cursor: r.cursor,
    changes: r.changes,
    badChanges: r.bad_changes,
    movedAtMs: r.moved_at_ms,
    polledAtMs: r.polled_at_ms,
    lastError: r.last_error,
    lastErrorMs: r.last_error_ms,
  };
}

/**
 * Moves a system's cursor from `from` (null: none yet) past a change: `taken` into the intake, `bad`
 * recorded and skipped, or neither. False when the cursor is no longer at `from` (another poller moved
 * it): the caller's unit of work must then roll back.
 */
export async function moveCursor(
  db: Db,
  system: string,
  move: { from: string | null; to: string },
  now: number,
  counted: 'taken' | 'bad' | 'none',
): Promise<boolean> {
  const taken = counted === 'taken' ? 1 : 0;
  const bad = counted === 'bad' ? 1 : 0;
  await db
    .insertInto('department_cursors')
    .values({ system })
    .onConflict((oc) => oc.column('system').doNothing())
    .execute();
  const r = await db
    .updateTable('department_cursors')
    .set((eb) => ({
      cursor: move.to,
      changes: eb('changes', '+', taken),
      bad_changes: eb('bad_changes', '+', bad),
      moved_at_ms: now,
    }))
    .where('system', '=', system)
    .where(sql<boolean>`cursor IS ${move.from}`)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Notes a finished round: when, and its failure (null when the feed answered). */
export async function notePoll(db: Db, system: string, now: number, error: string | null): Promise<void> {
  const failure = error === null ? {} : { last_error: error, last_error_ms: now };
  await db
    .insertInto('department_cursors')
    .values({ system, polled_at_ms: now, ...failure })
    .onConflict((oc) => oc.column('system').doUpdateSet({ polled_at_ms: now, ...failure }))
    .execute();
}
