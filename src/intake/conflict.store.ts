/**
 * The `dossier_conflicts` table: values that lost under field authority (docs/dedup.md), kept so
 * nothing a system said is silently lost. `kept` and `other` are JSON of any field value.
 */
import { prepared } from '../store/prepared.js';
import type { Db } from '../store/store.js';
import type { DossierConflictTable } from '../store/tables.js';

type ConflictRow = Omit<DossierConflictTable, 'id'>;

const insertRow = prepared<ConflictRow>()((db, p) =>
  db.insertInto('dossier_conflicts').values({
    dossier_id: p.dossier_id,
    field: p.field,
    kept: p.kept,
    kept_system: p.kept_system,
    other: p.other,
    other_system: p.other_system,
    detected_at_ms: p.detected_at_ms,
  }),
);

const selectByDossier = prepared<{ dossierId: string }>()((db, p) =>
  db.selectFrom('dossier_conflicts').selectAll().where('dossier_id', '=', p.dossierId).orderBy('id'),
);

export interface ConflictRecord {
  field: string;
  kept: unknown;
  keptSystem: string | null;
  other: unknown;
  otherSystem: string;
  detectedAtMs: number;
}

/** Records one conflict of a dossier. */
export async function insertConflict(db: Db, dossierId: string, c: ConflictRecord): Promise<void> {
  await insertRow.run(db, {
    dossier_id: dossierId,
    field: c.field,
    kept: JSON.stringify(c.kept ?? null),
    kept_system: c.keptSystem,
    other: JSON.stringify(c.other ?? null),
    other_system: c.otherSystem,
    detected_at_ms: c.detectedAtMs,
  });
}

/** Every conflict of a dossier, oldest first. */
export async function listConflicts(db: Db, dossierId: string): Promise<ConflictRecord[]> {
  const rows = await selectByDossier.all(db, { dossierId });
  return rows.map((r) => ({
    field: r.field,
    kept: JSON.parse(r.kept) as unknown,
    keptSystem: r.kept_system,
    other: JSON.parse(r.other) as unknown,
    otherSystem: r.other_system,
    detectedAtMs: r.detected_at_ms,
  }));
}
