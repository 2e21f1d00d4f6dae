/**
 * What the reconciliation log says about a field conflict. The log cannot be erased, so it keeps no
 * applicant's details (docs/privacy.md): a conflict over a field that can hold personal data is logged
 * as the field, the paths inside it that differ, the two systems, and keyed digests of the two values
 * (with no key, no digests). The values themselves stay in `dossier_conflicts`, which is erased with
 * the dossier. Fields about the procedure, never about a person, keep their values.
 */
import type { Conflict } from '../dedup/reconcile.js';
import type { LogKey } from './log-key.js';

/** Fields whose values describe the procedure and its dates, never a person. */
const PLAIN_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'receivedAt',
  'dueAt',
  'channel',
  'agency',
  'procedure',
  'sector',
]);

/** At most this many differing paths are named per conflict. */
const MAX_PATHS = 20;

export interface ConflictRef {
  field: string;
  keptSystem: string | null;
  otherSystem: string;
  /** The value itself for a plain field; a keyed digest (or nothing) for any other. */
  kept?: unknown;
  other?: unknown;
  /** Where inside the field the two values differ, e.g. `applicant.phone`. */
  paths?: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The paths (below `at`) where `a` and `b` differ. */
export function differingPaths(a: unknown, b: unknown, at: string, out: string[] = []): string[] {
  if (out.length >= MAX_PATHS || JSON.stringify(a) === JSON.stringify(b)) return out;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) differingPaths(a[k], b[k], `${at}.${k}`, out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) differingPaths(a[i], b[i], `${at}[${i}]`, out);
  } else {
    out.push(at);
  }
  return out.slice(0, MAX_PATHS);
}

/** The log's form of each conflict: references and digests instead of personal values. */
export function conflictRefs(conflicts: readonly Conflict[], key: LogKey | undefined): ConflictRef[] {
  return conflicts.map((c) => {
    const ref = { field: c.field, keptSystem: c.keptSystem, otherSystem: c.otherSystem };
    if (PLAIN_FIELDS.has(c.field)) return { ...ref, kept: c.kept, other: c.other };
    return {
      ...ref,
      paths: differingPaths(c.kept, c.other, c.field),
      ...(key ? { kept: key.digest(c.kept), other: key.digest(c.other) } : {}),
    };
  });
}
