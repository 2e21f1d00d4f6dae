/**
 * The change feed of the land-registry simulator (docs/departments.md, Pull): what its own clerks key in
 * (dossiers received at its counter, steps of its records), served as
 * `GET /api/v1/thay-doi?sau=<cursor>&soLuong=<n>` in the land-registry profile's terms. Positions are
 * increasing numbers as text; `sau` absent or `0` starts from the first change. Dossiers and steps it
 * takes from the gateway are not in the feed: they came from there.
 */
import { landRegistryProfile as profile } from '../../mappings/departments/land-registry.js';
import { dossierToSystem, eventToSystem } from '../../mappings/departments/map.js';
import type { ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';

export interface LandRegistryFeed {
  /** A clerk keys a dossier in at the land registry's own counter; answers its record id. */
  keyIn(dossier: ForwardedDossier): string;
  /** A clerk records a step of one of its records (its receipt number, and the record id). */
  step(recordId: string, code: string, step: ForwardedEvent): void;
  /** A change exactly as given (e.g. one that does not map, to try the gateway's handling of bad data). */
  raw(fields: Record<string, string>): void;
  /** Every change so far, oldest first. */
  readonly changes: readonly Record<string, string>[];
  /** Pages served. */
  readonly reads: number;
  /** The answer to a `GET` of the feed (`url` with its query), or undefined for another path. */
  answer(url: string): { status: number; body: unknown } | undefined;
}

const poll = profile.poll;
const MAX_PAGE = profile.paging.maxSize ?? 100;

export function createLandRegistryFeed(): LandRegistryFeed {
  const changes: Record<string, string>[] = [];
  let reads = 0;
  let nextRecord = 500_001;
  const add = (fields: Record<string, string>) => {
    if (!poll) throw new Error('the land-registry profile has no poll section');
    changes.push({ [poll.positionField]: String(changes.length + 1), ...fields });
  };
  return {
    keyIn(dossier) {
      if (!poll) throw new Error('the land-registry profile has no poll section');
      const recordId = `VBD-${dossier.receivedAt.slice(0, 4)}-${String(nextRecord++).padStart(6, '0')}`;
      add({
        [poll.kindField]: poll.kinds.dossier,
        [poll.recordIdField]: recordId,
        ...dossierToSystem(profile, dossier),
      });
      return recordId;
    },
    step(recordId, code, step) {
      if (!poll) throw new Error('the land-registry profile has no poll section');
      add({
        [poll.kindField]: poll.kinds.event,
        [poll.recordIdField]: recordId,
        ...eventToSystem(profile, code, step),
      });
    },
    raw(fields) {
      add(fields);
    },
    get changes() {
      return changes;
    },
    get reads() {
      return reads;
    },
    answer(url) {
      if (!poll) return undefined;
      const u = new URL(url, 'http://simulator');
      if (u.pathname !== poll.path) return undefined;
      const known = new Set([poll.cursorParam, poll.sizeParam]);
      if ([...u.searchParams.keys()].some((k) => !known.has(k)))
        return { status: 400, body: { thongBao: 'Tham số không hợp lệ' } };
      const after = u.searchParams.get(poll.cursorParam) ?? '0';
      const size = Number(u.searchParams.get(poll.sizeParam) ?? '20');
      if (!/^\d+$/.test(after) || !Number.isInteger(size) || size < 1 || size > MAX_PAGE)
        return { status: 400, body: { thongBao: 'Con trỏ hoặc số lượng không hợp lệ' } };
      reads += 1;
      const page = changes.slice(Number(after), Number(after) + size);
      const last = page.at(-1);
      const next = last ? (last[poll.positionField] ?? after) : after;
      return { status: 200, body: { [poll.itemsField]: page, [poll.nextCursorField]: next } };
    },
  };
}
