/**
 * Field authority: when several source systems feed one canonical dossier, which one's value stands.
 * A field follows, in order: the system kind that has authority over it (configuration: by default the
 * one-stop software for code, receipt, due date and channel; the specialized software for processing
 * status); otherwise the source that changed it since its own last push; otherwise what is already
 * there. Every value that loses is returned as a conflict, so nothing a system said is silently lost.
 * The dossier's agency is the exception: no push moves it (a source with a wider scope would take a
 * shared dossier out of another source's reach); moving a dossier to another agency is an operator
 * action (docs/dedup.md).
 */
import type { DedupAuthority } from '../../schemas/config.js';
import type { DossierData, DossierStatus } from '../../schemas/dossier.js';
import { withoutUndefined } from '../lib/plain.js';

export type SystemKind = 'onestop' | 'specialized';

/**
 * The authority key that governs each field of DossierData. The record is exhaustive by type, so a
 * field added to the canonical dossier cannot be forgotten here (a forgotten field would never update).
 * A status's own date goes with the status.
 */
const AUTHORITY: Record<keyof DossierData, keyof DedupAuthority | undefined> = {
  receivedAt: 'receivedAt',
  dueAt: 'dueAt',
  channel: 'channel',
  summary: 'summary',
  applicant: 'applicant',
  documents: 'documents',
  fees: 'fees',
  resultReturn: 'resultReturn',
  resolvedAt: 'status',
  returnedAt: 'status',
  rejectedAt: 'status',
  sector: undefined,
  agency: undefined,
  procedure: undefined,
  note: undefined,
  submittedAt: undefined,
  submissionPlace: undefined,
  onlinePayment: undefined,
  nationalDatabases: undefined,
  results: undefined,
};
const FIELDS = (Object.keys(AUTHORITY) as (keyof DossierData)[]).map((key) => ({
  key,
  authority: AUTHORITY[key],
}));

export interface Conflict {
  field: string;
  kept: unknown;
  keptSystem: string | null;
  other: unknown;
  otherSystem: string;
}

export interface ReconcileInput {
  current: DossierData;
  currentStatus: DossierStatus;
  incoming: DossierData;
  incomingStatus: DossierStatus;
  /** What this same source pushed last time (undefined when it joins for the first time). */
  previous: { data: DossierData; status: DossierStatus } | undefined;
  system: string;
  /** Kinds of the other systems attached to the dossier, by system name. */
  others: Map<string, SystemKind>;
  kindOf: (system: string) => SystemKind;
  authority: DedupAuthority;
}

export interface ReconcileResult {
  data: DossierData;
  /** The status the pusher may move the dossier to, when it may. */
  status: DossierStatus | undefined;
  conflicts: Conflict[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Decides, field by field, what the dossier holds after `system` pushes `incoming`. */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { current, incoming, previous, system, others, authority } = input;
  const myKind = input.kindOf(system);
  const otherKinds = new Set(others.values());
  const data: DossierData = { ...current };
  /** Takes the incoming value of one field (the key and its value stay of one field). */
  const take = <K extends keyof DossierData>(key: K) => {
    data[key] = incoming[key];
  };
  const conflicts: Conflict[] = [];
  const owner = (key: keyof DedupAuthority | undefined) => (key ? authority[key] : undefined);
  const decide = (auth: SystemKind | undefined, changedByMe: boolean): 'mine' | 'theirs' => {
    if (auth === myKind) return 'mine';
    if (auth !== undefined && otherKinds.has(auth)) return 'theirs';
    return changedByMe ? 'mine' : 'theirs';
  };
  const keptSystem = () => [...others.keys()][0] ?? null;
  // A source repeating what it sent before makes no new claim: its disagreement, if any, was recorded
  // when it arose, so a stale value that loses is not recorded again at every re-push.
  const newClaim = (changedByMe: boolean) => previous === undefined || changedByMe;

  for (const { key, authority: authKey } of FIELDS) {
    const mine = incoming[key];
    const theirs = current[key];
    if (same(mine, theirs)) continue;
    const changedByMe = previous === undefined ? others.size === 0 : !same(previous.data[key], mine);
    if (key === 'agency' && incoming.agency.code !== current.agency.code) {
      if (newClaim(changedByMe))
        conflicts.push({
          field: key,
          kept: theirs,
          keptSystem: keptSystem(),
          other: mine,
          otherSystem: system,
        });
      continue;
    }
    if (decide(owner(authKey), changedByMe) === 'mine') {
      take(key);
      if (others.size > 0 && theirs !== undefined) {
        conflicts.push({
          field: key,
          kept: mine,
          keptSystem: system,
          other: theirs,
          otherSystem: keptSystem() ?? system,
        });
      }
    } else if (mine !== undefined && newClaim(changedByMe)) {
      conflicts.push({
        field: key,
        kept: theirs,
        keptSystem: keptSystem(),
        other: mine,
        otherSystem: system,
      });
    }
  }

  let status: DossierStatus | undefined;
  if (input.incomingStatus !== input.currentStatus) {
    const changedByMe = previous === undefined ? others.size === 0 : previous.status !== input.incomingStatus;
    if (decide(owner('status'), changedByMe) === 'mine') status = input.incomingStatus;
    else if (newClaim(changedByMe)) {
      conflicts.push({
        field: 'status',
        kept: input.currentStatus,
        keptSystem: keptSystem(),
        other: input.incomingStatus,
        otherSystem: system,
      });
    }
  }
  return { data: withoutUndefined(data), status, conflicts };
}
