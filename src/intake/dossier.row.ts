/**
 * The dossier as use cases hold it (`DossierRecord`: typed, its JSON decoded) and the one builder of
 * its table row. Every column derived from the canonical data (agency, procedure, id number, receipt
 * time, dedup blocking keys, effective due instant, closing instant) is computed here and nowhere else,
 * so no write path can forget one and leave the dedup lookups or the deadline lists silently blind
 * (docs/dedup.md, docs/deadlines.md).
 */
import type { DossierData, DossierStatus } from '../../schemas/dossier.js';
import { decodeJsonColumn, StoredDossierDataSchema } from '../../schemas/stored.js';
import type { DueRule } from '../deadlines/due-rule.js';
import { blockingKeys } from '../dedup/blocking.js';
import { parseInstant } from '../lib/time.js';
import type { DossierRow } from '../store/tables.js';

export interface DossierRecord {
  id: string;
  code: string;
  status: DossierStatus;
  statusAtMs: number;
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
  /** True while the dossier waits for a dedup review: its transfers are held back. */
  held: boolean;
  /** Set once the dossier was merged into another (a tombstone that redirects). */
  mergedInto: string | null;
  data: DossierData;
}

/** The effective due instant (docs/deadlines.md, Due date): pushed, else computed, else none. */
export function effectiveDueMs(data: DossierData, due: DueRule | undefined): number | null {
  if (data.dueAt) return parseInstant(data.dueAt);
  return due ? due.computedDueMs(data.procedure.code, parseInstant(data.receivedAt)) : null;
}

/** When the dossier left processing (docs/reports.md, Stored facts); null while it is open. */
export function closedAtMs(status: DossierStatus, statusAtMs: number, data: DossierData): number | null {
  const at = (iso: string | undefined) => (iso ? parseInstant(iso) : undefined);
  if (status === 'resolved' || status === 'returned') {
    return at(data.resolvedAt) ?? at(data.returnedAt) ?? statusAtMs;
  }
  if (status === 'rejected') return at(data.rejectedAt) ?? statusAtMs;
  if (status === 'withdrawn' || status === 'suspended') return statusAtMs;
  return null;
}

/** Has documents, and every one not withdrawn is digitised (docs/reports.md, Digitised share). */
export function isDigitised(data: DossierData): boolean {
  const kept = data.documents.filter((doc) => !doc.deleted);
  return data.documents.length > 0 && kept.every((doc) => doc.digitized);
}

/**
 * The table row of a record, with every derived column. `due` computes the due instant of a dossier
 * pushed without one; without it (a runtime with no procedure catalogue) only pushed due dates count.
 */
export function toDossierRow(d: DossierRecord, due?: DueRule): DossierRow {
  return {
    id: d.id,
    code: d.code,
    agency_code: d.data.agency.code,
    procedure_code: d.data.procedure.code,
    status: d.status,
    status_at_ms: d.statusAtMs,
    applicant_id_number: d.data.applicant.idNumber ?? null,
    received_at_ms: parseInstant(d.data.receivedAt),
    data: JSON.stringify(d.data),
    version: d.version,
    created_at_ms: d.createdAtMs,
    updated_at_ms: d.updatedAtMs,
    ...blockingKeys(d.data),
    held: d.held ? 1 : 0,
    merged_into: d.mergedInto,
    due_at_ms: effectiveDueMs(d.data, due),
    closed_at_ms: closedAtMs(d.status, d.statusAtMs, d.data),
    channel: d.data.channel,
    digitised: isDigitised(d.data) ? 1 : 0,
  };
}

/** The record of a stored row; its data is checked against the stored schema. */
export function fromDossierRow(row: DossierRow): DossierRecord {
  return {
    id: row.id,
    code: row.code,
    status: row.status as DossierStatus,
    statusAtMs: row.status_at_ms,
    version: row.version,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
    held: row.held === 1,
    mergedInto: row.merged_into,
    data: decodeDossierData(row.data),
  };
}

/** Decodes a stored DossierData document (the `data` column, or a source's last input). */
export function decodeDossierData(text: string): DossierData {
  return decodeJsonColumn<DossierData>(StoredDossierDataSchema, 'dossier data', text);
}
