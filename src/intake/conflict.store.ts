/**
 * The `dossier_conflicts` table: values that lost under field authority (docs/dedup.md), kept so
 * nothing a system said is silently lost. `kept` and `other` are JSON of any field value.
 */
import type { Db } from '../store/store.js';

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
  await db
    .insertInto('dossier_conflicts')
    .values({
      dossier_id: dossierId,
      field: c.field,
      kept: JSON.stringify(c.kept ?? null),
      kept_system: c.keptSystem,
      other: JSON.stringify(c.other ?? null),
      other_system: c.otherSystem,
      detected_at_ms: c.detectedAtMs,
    })
    .execute();
}

/** Every conflict of a dossier, oldest first. */
export async function listConflicts(db: Db, dossierId: string): Promise<ConflictRecord[]> {
  const rows = await db
    .selectFrom('dossier_conflicts')
    .selectAll()
    .where('dossier_id', '=', dossierId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    field: r.field,
    kept: JSON.parse(r.kept) as unknown,
    keptSystem: r.kept_system,
    other: JSON.parse(r.other) as unknown,
    otherSystem: r.other_system,
    detectedAtMs: r.detected_at_ms,
  }));
}
