/**
 * 0013: deadlines and agency reports (docs/deadlines.md, docs/reports.md). Two derived columns on
 * `dossiers`, both built by the row builder (`toDossierRow`): `due_at_ms`, the effective due instant
 * (the pushed `dueAt`, else the receipt plus the procedure's duration in working days), and
 * `closed_at_ms`, when the dossier left processing (resolved, returned, rejected, withdrawn, suspended).
 * A dossier is open while `closed_at_ms` is null; the deadline list reads only open dossiers through
 * two partial indexes ordered by due instant (docs/benchmarks.md, Deadlines and reports). The reports
 * count by receipt, by closing instant and by status steps in a period, each through its own index.
 *
 * Backfill: here, from each row's stored document (pushed `dueAt`, result dates, status); the computed
 * due instants of rows without a pushed `dueAt` need the calendar and the procedure catalogue, so the
 * Node runtime fills them at start (src/deadlines/backfill-due.ts).
 */
import { type Kysely, sql } from 'kysely';

/** The open-dossier condition of the partial indexes; the deadline queries repeat it word for word. */
export const OPEN_CONDITION = 'merged_into IS NULL AND closed_at_ms IS NULL AND due_at_ms IS NOT NULL';

/** Epoch milliseconds of an ISO instant held in the JSON document (null when absent). */
const msOf = (path: string) =>
  `CAST(round((julianday(json_extract(data, '$.${path}')) - 2440587.5) * 86400000.0) AS INTEGER)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('due_at_ms', 'integer').execute();
  await db.schema.alterTable('dossiers').addColumn('closed_at_ms', 'integer').execute();
  await sql
    .raw(
      `UPDATE dossiers SET
         due_at_ms = ${msOf('dueAt')},
         closed_at_ms = CASE
           WHEN status IN ('resolved', 'returned')
             THEN coalesce(${msOf('resolvedAt')}, ${msOf('returnedAt')}, status_at_ms)
           WHEN status = 'rejected' THEN coalesce(${msOf('rejectedAt')}, status_at_ms)
           WHEN status IN ('withdrawn', 'suspended') THEN status_at_ms
           ELSE NULL END`,
    )
    .execute(db);
  await sql
    .raw(`CREATE INDEX dossiers_open_due ON dossiers (due_at_ms, id) WHERE ${OPEN_CONDITION}`)
    .execute(db);
  await sql
    .raw(
      `CREATE INDEX dossiers_open_agency_due ON dossiers (agency_code, due_at_ms, id) WHERE ${OPEN_CONDITION}`,
    )
    .execute(db);
  await db.schema
    .createIndex('dossiers_closed')
    .on('dossiers')
    .columns(['closed_at_ms'])
    .where(sql.ref('closed_at_ms'), 'is not', null)
    .execute();
  await db.schema.createIndex('dossiers_received').on('dossiers').columns(['received_at_ms']).execute();
  await db.schema
    .createIndex('status_history_status_at')
    .on('status_history')
    .columns(['status', 'at_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'status_history_status_at',
    'dossiers_received',
    'dossiers_closed',
    'dossiers_open_agency_due',
    'dossiers_open_due',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
  await db.schema.alterTable('dossiers').dropColumn('closed_at_ms').execute();
  await db.schema.alterTable('dossiers').dropColumn('due_at_ms').execute();
}
