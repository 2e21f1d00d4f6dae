/**
 * Reading dossiers: one dossier with its sources and history, and the filtered, cursor-paged list.
 * Plain functions over `Db` (a Kysely handle or a transaction), as the rest of the store.
 */
import type { Selectable } from 'kysely';
import type {
  Dossier,
  DossierData,
  DossierStatus,
  DossierSummary,
  HistoryEntry,
} from '../../schemas/dossier.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import type {
  DossierConflictTable,
  DossierRow,
  DossierSourceTable,
  StatusHistoryTable,
} from '../store/tables.js';

export function dossierLinks(id: string) {
  return { self: `/v1/dossiers/${id}`, events: `/v1/dossiers/${id}/events` };
}

/** The summary view of a stored row (no sources, no history). */
export function toSummary(row: DossierRow): DossierSummary {
  const data = JSON.parse(row.data) as DossierData;
  return {
    id: row.id,
    code: row.code,
    held: row.held === 1,
    status: row.status as DossierStatus,
    statusAt: toVnIso(row.status_at_ms),
    ...data,
    version: row.version,
    createdAt: toVnIso(row.created_at_ms),
    updatedAt: toVnIso(row.updated_at_ms),
    links: dossierLinks(row.id),
  };
}

export async function findDossierRow(db: Db, id: string): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Follows merge tombstones to the dossier that is live now (a merged dossier redirects to its target). */
export async function findLiveDossier(db: Db, id: string): Promise<DossierRow | undefined> {
  let row = await findDossierRow(db, id);
  for (let hops = 0; row?.merged_into && hops < 20; hops++) row = await findDossierRow(db, row.merged_into);
  return row;
}

export async function findDossierIdBySource(
  db: Db,
  system: string,
  recordId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('dossier_sources')
    .select('dossier_id')
    .where('system', '=', system)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
  return row?.dossier_id;
}

/** The dossier holding a code, as its own code or as an alias (a merged system's code). */
export async function findDossierByCode(db: Db, code: string): Promise<DossierRow | undefined> {
  const own = await db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst();
  if (own) return own.merged_into ? findLiveDossier(db, own.id) : own;
  const alias = await db
    .selectFrom('dossier_aliases')
    .select('dossier_id')
    .where('code', '=', code)
    .executeTakeFirst();
  return alias ? findDossierRow(db, alias.dossier_id) : undefined;
}

/** The source systems attached to a dossier. */
export async function sourceSystems(db: Db, dossierId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dossier_sources')
    .select('system')
    .where('dossier_id', '=', dossierId)
    .execute();
  return rows.map((r) => r.system);
}

/** One status-history row as the API shows it. */
export function toHistoryEntry(h: Selectable<StatusHistoryTable>): HistoryEntry {
  return {
    status: h.status as DossierStatus,
    at: h.at,
    ...(h.note ? { note: h.note } : {}),
    ...(h.officer ? { officer: JSON.parse(h.officer) } : {}),
    ...(h.source_system
      ? {
          source: {
            system: h.source_system,
            ...(h.source_record_id ? { recordId: h.source_record_id } : {}),
          },
        }
      : {}),
    applied: h.applied === 1,
    recordedAt: toVnIso(h.recorded_at_ms),
  };
}

type SourceRow = Selectable<DossierSourceTable>;
type ConflictRow = Selectable<DossierConflictTable>;

/** The full view from its rows: summary plus aliases, conflicts, source references and history. */
export function assembleDossier(
  row: DossierRow,
  parts: {
    sources: SourceRow[];
    history: Selectable<StatusHistoryTable>[];
    aliases: { code: string; system: string }[];
    conflicts: ConflictRow[];
  },
): Dossier {
  return {
    ...toSummary(row),
    aliases: parts.aliases,
    conflicts: parts.conflicts.map((c) => ({
      field: c.field,
      kept: JSON.parse(c.kept) as unknown,
      keptSystem: c.kept_system,
      other: JSON.parse(c.other) as unknown,
      otherSystem: c.other_system,
      detectedAt: toVnIso(c.detected_at_ms),
    })),
    sources: parts.sources.map((s) => ({
      system: s.system,
      recordId: s.record_id,
      ...(s.code ? { code: s.code } : {}),
      firstSeenAt: toVnIso(s.first_seen_at_ms),
      lastSeenAt: toVnIso(s.last_seen_at_ms),
    })),
    history: parts.history.map(toHistoryEntry),
  };
}

/** The full view: summary plus source references and status history in time order. */
export async function loadDossier(db: Db, row: DossierRow): Promise<Dossier> {
  const [sources, history, aliases, conflicts] = await Promise.all([
    db
      .selectFrom('dossier_sources')
      .selectAll()
      .where('dossier_id', '=', row.id)
      .orderBy('first_seen_at_ms')
      .execute(),
    db
      .selectFrom('status_history')
      .selectAll()
      .where('dossier_id', '=', row.id)
      .orderBy('at_ms')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('dossier_aliases')
      .select(['code', 'system'])
      .where('dossier_id', '=', row.id)
      .orderBy('code')
      .execute(),
    db.selectFrom('dossier_conflicts').selectAll().where('dossier_id', '=', row.id).orderBy('id').execute(),
  ]);
  return assembleDossier(row, { sources, history, aliases, conflicts });
}

export interface ListFilter {
  code?: string | undefined;
  agencies?: readonly string[] | undefined;
  status?: DossierStatus | undefined;
  updatedSinceMs?: number | undefined;
  after?: { updatedAtMs: number; id: string } | undefined;
  limit: number;
}

/** One page of dossiers ordered by (updatedAt, id): a change feed that never skips a row. */
export async function listDossiers(db: Db, f: ListFilter): Promise<DossierRow[]> {
  let q = db.selectFrom('dossiers').selectAll().where('merged_into', 'is', null);
  if (f.code) q = q.where('code', '=', f.code);
  if (f.agencies) q = q.where('agency_code', 'in', f.agencies.length > 0 ? [...f.agencies] : ['']);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.updatedSinceMs !== undefined) q = q.where('updated_at_ms', '>=', f.updatedSinceMs);
  const after = f.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('updated_at_ms', '>', after.updatedAtMs),
        eb.and([eb('updated_at_ms', '=', after.updatedAtMs), eb('id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('updated_at_ms').orderBy('id').limit(f.limit).execute();
}
