/**
 * `department_destinations` and `department_forwards` (docs/departments.md). One function per statement;
 * the credentials leave this file only through `findDestinationSecret`, for the adapter's calls.
 */
import { decodeJsonColumn, StoredAgenciesSchema } from '../../schemas/stored.js';
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { DepartmentDestinationTable } from '../store/tables.js';

/** A registered destination, without its credentials. */
export interface DestinationRecord {
  system: string;
  profile: string;
  baseUrl: string;
  agencies: string[];
  /** Whether the gateway polls the system's changes (docs/departments.md, Pull). */
  pull: boolean;
  createdAtMs: number;
}

type PublicRow = Omit<DepartmentDestinationTable, 'credentials' | 'pull'> & { pull: number };

function fromRow(row: PublicRow): DestinationRecord {
  return {
    system: row.system,
    profile: row.profile,
    baseUrl: row.base_url,
    agencies: decodeJsonColumn<string[]>(StoredAgenciesSchema, 'destination agencies', row.agencies),
    pull: row.pull === 1,
    createdAtMs: row.created_at_ms,
  };
}

const PUBLIC = ['system', 'profile', 'base_url', 'agencies', 'pull', 'created_at_ms'] as const;

/** Registers a destination (its credentials sealed already); false when one of that system name exists. */
export async function insertDestination(
  db: Db,
  d: DestinationRecord & { credentials: string },
): Promise<boolean> {
  const row = await db
    .insertInto('department_destinations')
    .values({
      system: d.system,
      profile: d.profile,
      base_url: d.baseUrl,
      credentials: d.credentials,
      agencies: JSON.stringify(d.agencies),
      pull: d.pull ? 1 : 0,
      created_at_ms: d.createdAtMs,
    })
    .onConflict((oc) => oc.column('system').doNothing())
    .returning('system')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every registered destination, by system name. */
export async function listDestinations(db: Db): Promise<DestinationRecord[]> {
  return (await selectAllPublic.all(db, {})).map(fromRow);
}

// Read in the unit of work of every change (which destinations serve its agency): built once.
const selectAllPublic = prepared<Record<string, never>>()((db) =>
  db.selectFrom('department_destinations').select(PUBLIC).orderBy('system'),
);

/** One destination, without its credentials. */
export async function findDestination(db: Db, system: string): Promise<DestinationRecord | undefined> {
  const row = await db
    .selectFrom('department_destinations')
    .select(PUBLIC)
    .where('system', '=', system)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The credentials of a destination as stored (sealed), for the adapter's calls only. */
export async function findDestinationSecret(db: Db, system: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('department_destinations')
    .select('credentials')
    .where('system', '=', system)
    .executeTakeFirst();
  return row?.credentials;
}

/** Every destination's stored credentials, to seal clear-text ones and check the key at start. */
export async function listDestinationSecrets(db: Db): Promise<{ system: string; credentials: string }[]> {
  return db
    .selectFrom('department_destinations')
    .select(['system', 'credentials'])
    .orderBy('system')
    .execute();
}

/** Replaces a destination's stored credentials (sealing them). */
export async function setDestinationSecret(db: Db, system: string, credentials: string): Promise<void> {
  await db.updateTable('department_destinations').set({ credentials }).where('system', '=', system).execute();
}

/** Removes a destination; false when there was none. */
export async function deleteDestination(db: Db, system: string): Promise<boolean> {
  const r = await db.deleteFrom('department_destinations').where('system', '=', system).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Reserves the forward of a dossier to a destination; false when it was forwarded before. */
export async function reserveForward(
  db: Db,
  dossierId: string,
  system: string,
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto('department_forwards')
    .values({ dossier_id: dossierId, system, transfer_id: 0, created_at_ms: now, whole: 0 })
    .onConflict((oc) => oc.columns(['dossier_id', 'system']).doNothing())
    .returning('dossier_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Notes the transfer that carries a reserved forward, and whether it carries the whole dossier. */
export async function setForwardTransfer(
  db: Db,
  dossierId: string,
  system: string,
  transferId: number,
  whole: boolean,
) {
  await db
    .updateTable('department_forwards')
    .set({ transfer_id: transferId, whole: whole ? 1 : 0 })
    .where('dossier_id', '=', dossierId)
    .where('system', '=', system)
    .execute();
}

/** The destinations that were sent the whole dossier (they get its field updates). */
export async function wholeForwards(db: Db, dossierId: string): Promise<string[]> {
  const rows = await selectWhole.all(db, { dossierId });
  return rows.map((r) => r.system);
}

const selectWhole = prepared<{ dossierId: string }>()((db, p) =>
  db
    .selectFrom('department_forwards')
    .select('system')
    .where('dossier_id', '=', p.dossierId)
    .where('whole', '=', 1),
);

/** Whether the dossier was forwarded to the destination. */
export async function wasForwarded(db: Db, dossierId: string, system: string): Promise<boolean> {
  const row = await db
    .selectFrom('department_forwards')
    .select('system')
    .where('dossier_id', '=', dossierId)
    .where('system', '=', system)
    .executeTakeFirst();
  return row !== undefined;
}
