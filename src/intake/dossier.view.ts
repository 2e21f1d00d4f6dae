/** How the API shows a dossier: the summary, the full view and one history entry (pure functions). */
import type { Dossier, DossierSummary, HistoryEntry } from '../../schemas/dossier.js';
import { toVnIso } from '../lib/time.js';
import type { ConflictRecord } from './conflict.store.js';
import type { DossierRecord } from './dossier.row.js';
import type { HistoryRecord } from './history.store.js';
import type { SourceRef } from './source.store.js';

export function dossierLinks(id: string) {
  return { self: `/v1/dossiers/${id}`, events: `/v1/dossiers/${id}/events` };
}

/** The summary view of a dossier (no sources, no history). */
export function toSummary(d: DossierRecord): DossierSummary {
  return {
    id: d.id,
    code: d.code,
    held: d.held,
    status: d.status,
    statusAt: toVnIso(d.statusAtMs),
    ...d.data,
    version: d.version,
    createdAt: toVnIso(d.createdAtMs),
    updatedAt: toVnIso(d.updatedAtMs),
    links: dossierLinks(d.id),
  };
}

/** One status step as the API shows it. */
export function toHistoryEntry(h: HistoryRecord): HistoryEntry {
  return {
    status: h.status,
    at: h.at,
    ...(h.note ? { note: h.note } : {}),
    ...(h.officer ? { officer: h.officer } : {}),
    ...(h.sourceSystem
      ? { source: { system: h.sourceSystem, ...(h.sourceRecordId ? { recordId: h.sourceRecordId } : {}) } }
      : {}),
    applied: h.applied,
    recordedAt: toVnIso(h.recordedAtMs),
  };
}

export interface DossierParts {
  sources: SourceRef[];
  history: HistoryRecord[];
  aliases: { code: string; system: string }[];
  conflicts: ConflictRecord[];
}

/** The full view: summary plus aliases, conflicts, source references and history. */
export function assembleDossier(d: DossierRecord, parts: DossierParts): Dossier {
  return {
    ...toSummary(d),
    aliases: parts.aliases,
    conflicts: parts.conflicts.map((c) => ({
      field: c.field,
      kept: c.kept,
      keptSystem: c.keptSystem,
      other: c.other,
      otherSystem: c.otherSystem,
      detectedAt: toVnIso(c.detectedAtMs),
    })),
    sources: parts.sources.map((s) => ({
      system: s.system,
      recordId: s.recordId,
      ...(s.code ? { code: s.code } : {}),
      firstSeenAt: toVnIso(s.firstSeenAtMs),
      lastSeenAt: toVnIso(s.lastSeenAtMs),
    })),
    history: parts.history.map(toHistoryEntry),
  };
}
