/**
 * One change of a polled system's feed in canonical terms (docs/departments.md, Pull), read through the
 * profile's `poll` section: a dossier (its dossier fields) or a status step (its event fields), with the
 * system's own record id and the cursor right after the change. Pure: no I/O. A change that does not
 * map throws; the poller records it as a bad change and moves past it.
 */
import type { ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';
import { dossierFromSystem, eventFromSystem } from './map.js';
import type { DepartmentProfile, PollSection } from './profile.js';

export type FeedChange = { position: string; recordId: string } & (
  | { kind: 'dossier'; dossier: ForwardedDossier }
  | { kind: 'event'; event: ForwardedEvent }
);

/** A page of the feed: its raw changes, and the cursor after it (when the system gave one). */
export interface FeedPage {
  items: Record<string, unknown>[];
  nextCursor: string | undefined;
}

const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/** The page an answer of the feed carries; throws when it is not one. */
export function feedPage(poll: PollSection, answer: unknown): FeedPage {
  if (answer === null || typeof answer !== 'object') throw new Error('the feed answered no object');
  const a = answer as Record<string, unknown>;
  const items = a[poll.itemsField];
  if (!Array.isArray(items)) throw new Error(`the feed answered no list in ${poll.itemsField}`);
  const objects = items.map((i) =>
    i !== null && typeof i === 'object' ? (i as Record<string, unknown>) : {},
  );
  return { items: objects, nextCursor: asText(a[poll.nextCursorField]) };
}

/** The cursor right after a raw change, if it carries one (even a change that does not map has it). */
export function positionOf(poll: PollSection, item: Record<string, unknown>): string | undefined {
  return asText(item[poll.positionField]);
}

/** The text fields of a raw change, as the profile's mapping reads them. */
function wireOf(item: Record<string, unknown>): Record<string, string> {
  const wire: Record<string, string> = {};
  for (const [k, v] of Object.entries(item)) {
    const t = asText(v);
    if (t !== undefined) wire[k] = t;
  }
  return wire;
}

/** A raw change in canonical terms; throws when it does not map. */
export function changeFromSystem(p: DepartmentProfile, item: Record<string, unknown>): FeedChange {
  const poll = p.poll;
  if (!poll) throw new Error(`profile ${p.profile} has no poll section`);
  const position = positionOf(poll, item);
  if (!position) throw new Error(`the change has no ${poll.positionField}`);
  const recordId = asText(item[poll.recordIdField]);
  if (!recordId || !new RegExp(p.recordId.pattern).test(recordId))
    throw new Error(`the change has no valid record id in ${poll.recordIdField}`);
  const wire = wireOf(item);
  const kind = wire[poll.kindField];
  if (kind === poll.kinds.dossier)
    return { position, recordId, kind: 'dossier', dossier: dossierFromSystem(p, wire) };
  if (kind === poll.kinds.event)
    return { position, recordId, kind: 'event', event: eventFromSystem(p, wire).event };
  throw new Error(`the change is of no known kind in ${poll.kindField}`);
}
