/**
 * The `dossier_sources` table: which record of which system feeds which dossier, and what that source
 * last pushed (decoded here, checked against the stored schema).
 */
import { decodeJsonColumn, type LastInput, StoredLastInputSchema } from '../../schemas/stored.js';
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { DossierSourceTable } from '../store/tables.js';

export interface SourceRecord {
  dossierId: string;
  system: string;
  recordId: string;
  /** The code this source gave the dossier, when it gave one. */
  code: string | null;
  firstSeenAtMs: number;
  lastSeenAtMs: number;
  lastInput: LastInput | undefined;
}

/** A source as the API shows it: without what it last pushed. */
export type SourceRef = Omit<SourceRecord, 'lastInput'>;

function fromRow(row: DossierSourceTable): SourceRecord {
  return {
    dossierId: row.dossier_id,
    system: row.system,
    recordId: row.record_id,
    code: row.code,
    firstSeenAtMs: row.first_seen_at_ms,
    lastSeenAtMs: row.last_seen_at_ms,
    lastInput: row.last_input ? decodeLastInput(row.last_input) : undefined,
  };
}

function decodeLastInput(text: string): LastInput {
  return decodeJsonColumn<LastInput>(StoredLastInputSchema, 'source last input', text);
}

const selectDossierId = prepared<{ system: string; recordId: string }>()((db, p) =>
  db
    .selectFrom('dossier_sources')
    .select('dossier_id')
    .where('system', '=', p.system)
    .where('record_id', '=', p.recordId),
);

const insertRow = prepared<DossierSourceTable>()((db, p) =>
  db.insertInto('dossier_sources').values({
    dossier_id: p.dossier_id,
    system: p.system,
    record_id: p.record_id,
    code: p.code,
    first_seen_at_ms: p.first_seen_at_ms,
    last_seen_at_ms: p.last_seen_at_ms,
    last_input: p.last_input,
  }),
);

const selectSource = prepared<{ system: string; recordId: string }>()((db, p) =>
  db
    .selectFrom('dossier_sources')
    .selectAll()
    .where('system', '=', p.system)
    .where('record_id', '=', p.recordId),
);

const updateSeen = prepared<{ system: string; recordId: string; now: number; lastInput: string }>()((db, p) =>
  db
    .updateTable('dossier_sources')
    .set({ last_seen_at_ms: p.now, last_input: p.lastInput })
    .where('system', '=', p.system)
    .where('record_id', '=', p.recordId),
);

const selectRefs = prepared<{ dossierId: string }>()((db, p) =>
  db
    .selectFrom('dossier_sources')
    .select(['dossier_id', 'system', 'record_id', 'code', 'first_seen_at_ms', 'last_seen_at_ms'])
    .where('dossier_id', '=', p.dossierId)
    .orderBy('first_seen_at_ms'),
);

const selectSystems = prepared<{ dossierId: string }>()((db, p) =>
  db.selectFrom('dossier_sources').select('system').where('dossier_id', '=', p.dossierId),
);

/** The dossier a system's record feeds, if the gateway has seen that record. */
export async function findDossierIdBySource(
  db: Db,
  system: string,
  recordId: string,
): Promise<string | undefined> {
  return (await selectDossierId.first(db, { system, recordId }))?.dossier_id;
}

/** One source of a dossier, by system and record id. */
export async function findSource(
  db: Db,
  system: string,
  recordId: string,
): Promise<SourceRecord | undefined> {
  const row = await selectSource.first(db, { system, recordId });
  return row ? fromRow(row) : undefined;
}

/** Attaches a record seen for the first time. */
export async function insertSource(db: Db, s: SourceRecord): Promise<void> {
  await insertRow.run(db, {
    dossier_id: s.dossierId,
    system: s.system,
    record_id: s.recordId,
    code: s.code,
    first_seen_at_ms: s.firstSeenAtMs,
    last_seen_at_ms: s.lastSeenAtMs,
    last_input: s.lastInput ? JSON.stringify(s.lastInput) : null,
  });
}

/** Records what a known source pushed now. */
export async function touchSource(
  db: Db,
  system: string,
  recordId: string,
  lastInput: LastInput,
  now: number,
): Promise<void> {
  await updateSeen.run(db, { system, recordId, now, lastInput: JSON.stringify(lastInput) });
}

/** Every source of a dossier, first seen first. */
export async function listSources(db: Db, dossierId: string): Promise<SourceRecord[]> {
  const rows = await db
    .selectFrom('dossier_sources')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('first_seen_at_ms')
    .execute();
  return rows.map(fromRow);
}

/** The source references of a dossier, first seen first, without decoding what each last pushed. */
export async function listSourceRefs(db: Db, dossierId: string): Promise<SourceRef[]> {
  const rows = await selectRefs.all(db, { dossierId });
  return rows.map((r) => ({
    dossierId: r.dossier_id,
    system: r.system,
    recordId: r.record_id,
    code: r.code,
    firstSeenAtMs: r.first_seen_at_ms,
    lastSeenAtMs: r.last_seen_at_ms,
  }));
}

/** The systems feeding a dossier. */
export async function sourceSystems(db: Db, dossierId: string): Promise<string[]> {
  return (await selectSystems.all(db, { dossierId })).map((r) => r.system);
}

/** The systems feeding each of these dossiers. */
export async function sourceSystemsOf(
  db: Db,
  dossierIds: readonly string[],
): Promise<{ dossierId: string; system: string }[]> {
  // One prepared lookup per dossier (a handful of dedup candidates), in the order of the ids as the
  // index would give them: building an IN list's statement anew cost more than all of them together.
  const rows: { dossierId: string; system: string }[] = [];
  for (const dossierId of [...new Set(dossierIds)].sort()) {
    for (const r of await selectSystems.all(db, { dossierId })) rows.push({ dossierId, system: r.system });
  }
  return rows;
}

/** The record id a system feeds a dossier with, if it does. */
export async function recordIdOf(db: Db, dossierId: string, system: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('dossier_sources')
    .select('record_id')
    .where('dossier_id', '=', dossierId)
    .where('system', '=', system)
    .executeTakeFirst();
  return row?.record_id;
}

/** Every source of one dossier now feeds another (a confirmed merge). */
export async function moveAllSources(db: Db, fromId: string, toId: string): Promise<void> {
  await db
    .updateTable('dossier_sources')
    .set({ dossier_id: toId })
    .where('dossier_id', '=', fromId)
    .execute();
}

/** One source now feeds another dossier (a split). */
export async function moveSource(db: Db, system: string, recordId: string, toId: string): Promise<void> {
  await db
    .updateTable('dossier_sources')
    .set({ dossier_id: toId })
    .where('system', '=', system)
    .where('record_id', '=', recordId)
    .execute();
}
