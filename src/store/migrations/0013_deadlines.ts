/**
 * 0013: deadlines and agency reports (docs/deadlines.md, docs/reports.md). Two derived columns on
 * `dossiers`, both built by the row builder (`toDossierRow`): `due_at_ms`, the effective due instant
 * (the pushed `dueAt`, else the receipt plus the procedure's duration in working days), and
 * `closed_at_ms`, when the dossier left processing (resolved, returned, rejected, withdrawn, suspended);
 * and two facts the agency report counts, `channel` and `digitised` (every document not withdrawn is
 * digitised). A dossier is open while `closed_at_ms` is null; the deadline list reads only open dossiers
 * through two partial indexes ordered by due instant (docs/benchmarks.md, Deadlines and reports). The
 * reports count receipts and closings of a period from two covering indexes, without reading a row.
 *
 * Backfill: here, from each row's stored document (pushed `dueAt`, result dates, status); the computed
 * due instants of rows without a pushed `dueAt` need the calendar and the procedure catalogue, so the
 * Node runtime fills them at start (src/deadlines/backfill-due.ts).
 */
import { type Kysely, sql } from 'kysely';

/** The open-dossier condition of the partial indexes; the deadline queries repeat it word for word. */
export const OPEN_CONDITION = 'merged_into IS NULL AND closed_at_ms IS NULL AND due_at_ms IS NOT NULL';

/** The closed-dossier condition of `dossiers_closed`; the report queries repeat it. */
export const CLOSED_CONDITION = 'closed_at_ms IS NOT NULL AND merged_into IS NULL';

/** Epoch milliseconds of an ISO instant held in the JSON document (null when absent). */
const msOf = (path: string) =>
  `CAST(round((julianday(json_extract(data, '$.${path}')) - 2440587.5) * 86400000.0) AS INTEGER)`;

/** Every document not withdrawn is digitised, and there is at least one (src/intake/dossier.row.ts). */
const DIGITISED = `(json_array_length(data, '$.documents') > 0 AND NOT EXISTS (
  SELECT 1 FROM json_each(data, '$.documents') AS doc
  WHERE coalesce(json_extract(doc.value, '$.deleted'), 0) = 0
    AND coalesce(json_extract(doc.value, '$.digitized'), 0) = 0))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('due_at_ms', 'integer').execute();
  await db.schema.alterTable('dossiers').addColumn('closed_at_ms', 'integer').execute();
  await db.schema.alterTable('dossiers').addColumn('channel', 'text').execute();
  await db.schema.alterTable('dossiers').addColumn('digitised', 'integer').execute();
  await sql
    .raw(
      `UPDATE dossiers SET
         channel = json_extract(data, '$.channel'),
         digitised = ${DIGITISED},
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
  await sql
    .raw(
      `CREATE INDEX dossiers_closed ON dossiers (closed_at_ms, agency_code, status, received_at_ms, due_at_ms, id, merged_into)
       WHERE ${CLOSED_CONDITION}`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE INDEX dossiers_received ON dossiers (received_at_ms, agency_code, channel, digitised, merged_into)
       WHERE merged_into IS NULL`,
    )
    .execute(db);
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
  await db.schema.alterTable('dossiers').dropColumn('digitised').execute();
  await db.schema.alterTable('dossiers').dropColumn('channel').execute();
  await db.schema.alterTable('dossiers').dropColumn('closed_at_ms').execute();
  await db.schema.alterTable('dossiers').dropColumn('due_at_ms').execute();
}
