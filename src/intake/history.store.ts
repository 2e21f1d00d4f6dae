/**
 * The `status_history` table: every status step a source reported, applied or only recorded. The
 * officer column is JSON, decoded here.
 */
import type { DossierStatus, StatusEventInput } from '../../schemas/dossier.js';
import { decodeJsonColumn, type StoredOfficer, StoredOfficerSchema } from '../../schemas/stored.js';
import { toVnIso } from '../lib/time.js';
import { literalLimit, prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { StatusHistoryTable } from '../store/tables.js';

export interface HistoryRecord {
  id: number;
  dossierId: string;
  status: DossierStatus;
  atMs: number;
  /** The step's time as ISO text in +07:00. */
  at: string;
  note: string | null;
  officer: StoredOfficer | null;
  sourceSystem: string | null;
  sourceRecordId: string | null;
  /** False when the step was older than the current state: kept, but it moved nothing. */
  applied: boolean;
  recordedAtMs: number;
}

/** A step to record. */
export interface NewStep {
  dossierId: string;
  status: DossierStatus;
  atMs: number;
  note: string | undefined;
  officer: StatusEventInput['officer'];
  system: string;
  recordId: string | undefined;
  applied: boolean;
  now: number;
}

type Row = Omit<StatusHistoryTable, 'id'> & { id: number };

function fromRow(row: Row): HistoryRecord {
  return {
    id: row.id,
    dossierId: row.dossier_id,
    status: row.status as DossierStatus,
    atMs: row.at_ms,
    at: row.at,
    note: row.note,
    officer: row.officer
      ? decodeJsonColumn<StoredOfficer>(StoredOfficerSchema, 'officer', row.officer)
      : null,
    sourceSystem: row.source_system,
    sourceRecordId: row.source_record_id,
    applied: row.applied === 1,
    recordedAtMs: row.recorded_at_ms,
  };
}

type Values = Omit<Row, 'id'>;

const insertRow = prepared<Values>()((db, p) =>
  db
    .insertInto('status_history')
    .values({
      dossier_id: p.dossier_id,
      status: p.status,
      at_ms: p.at_ms,
      at: p.at,
      note: p.note,
      officer: p.officer,
      source_system: p.source_system,
      source_record_id: p.source_record_id,
      applied: p.applied,
      recorded_at_ms: p.recorded_at_ms,
    })
    .returning('id'),
);

const selectSameStep = prepared<{ dossierId: string; status: string; atMs: number }>()((db, p) =>
  db
    .selectFrom('status_history')
    .select('id')
    .where('dossier_id', '=', p.dossierId)
    .where('status', '=', p.status)
    .where('at_ms', '=', p.atMs)
    .limit(literalLimit(1)),
);

/** Records one step and answers it as stored. */
export async function insertStep(db: Db, step: NewStep): Promise<HistoryRecord> {
  const values: Values = {
    dossier_id: step.dossierId,
    status: step.status,
    at_ms: step.atMs,
    at: toVnIso(step.atMs),
    note: step.note ?? null,
    officer: step.officer ? JSON.stringify(step.officer) : null,
    source_system: step.system,
    source_record_id: step.recordId ?? null,
    applied: step.applied ? 1 : 0,
    recorded_at_ms: step.now,
  };
  const inserted = await insertRow.first(db, values);
  if (!inserted) throw new Error('status_history insert returned no id');
  return fromRow({ id: inserted.id, ...values });
}

/** The id of the same status at the same time on a dossier, if it was recorded already. */
export async function findSameStep(
  db: Db,
  dossierId: string,
  status: DossierStatus,
  atMs: number,
): Promise<number | undefined> {
  return (await selectSameStep.first(db, { dossierId, status, atMs }))?.id;
}

/** One step by id. */
export async function findStep(db: Db, id: number): Promise<HistoryRecord | undefined> {
  const row = await db.selectFrom('status_history').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Every step of a dossier in time order. */
export async function listSteps(db: Db, dossierId: string): Promise<HistoryRecord[]> {
  return (await selectSteps.all(db, { dossierId })).map(fromRow);
}

const selectSteps = prepared<{ dossierId: string }>()((db, p) =>
  db
    .selectFrom('status_history')
    .selectAll()
    .where('dossier_id', '=', p.dossierId)
    .orderBy('at_ms')
    .orderBy('id'),
);

/** The latest applied step of a dossier. */
export async function latestAppliedStep(db: Db, dossierId: string): Promise<HistoryRecord | undefined> {
  const row = await db
    .selectFrom('status_history')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .where('applied', '=', 1)
    .orderBy('at_ms', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Moves one step to another dossier, applied or not there. */
export async function moveStep(db: Db, id: number, toDossierId: string, applied: boolean): Promise<void> {
  await db
    .updateTable('status_history')
    .set({ dossier_id: toDossierId, applied: applied ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** Deletes one step (a duplicate of a step the target dossier already has). */
export async function deleteStep(db: Db, id: number): Promise<void> {
  await db.deleteFrom('status_history').where('id', '=', id).execute();
}

/** Moves the steps one source reported on a dossier to another dossier; answers them as moved. */
export async function moveStepsOfSource(
  db: Db,
  fromDossierId: string,
  source: { system: string; recordId: string },
  toDossierId: string,
): Promise<HistoryRecord[]> {
  const rows = await db
    .updateTable('status_history')
    .set({ dossier_id: toDossierId })
    .where('dossier_id', '=', fromDossierId)
    .where('source_system', '=', source.system)
    .where('source_record_id', '=', source.recordId)
    .returningAll()
    .execute();
  return rows.map(fromRow);
}
