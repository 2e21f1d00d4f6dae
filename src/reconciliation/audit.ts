/**
 * `log verify`: the hash chain (`verify.ts`) and, with the key, every checkpoint (`checkpoint.ts`). A
 * checkpoint fails when its MAC does not verify (forged, altered, or signed with another key), when one
 * before it is missing, when the entry it anchors is gone (a deleted tail), or when that entry's hash
 * is another one (the chain was recomputed after an edit). The report names the last anchored entry,
 * so an operator sees how much of the log no checkpoint covers yet.
 */
import type { Db } from '../store/store.js';
import { checkpointVerifies, NO_MAC } from './checkpoint.js';
import { type Checkpoint, listCheckpointsAfter } from './checkpoint.store.js';
import { findLastLogEntry, findLogEntryHash, findLogEntryTime } from './log.store.js';
import type { LogKey } from './log-key.js';
import { type VerifyResult, verifyLog } from './verify.js';

export type CheckpointProblem = 'missing_checkpoint' | 'forged_checkpoint' | 'truncated' | 'rewritten';

/** The first checkpoint that fails, and why. */
export interface Problem {
  kind: CheckpointProblem;
  seq: number;
  reason: string;
}

export interface AnchoredEntry {
  /** The checkpoint that anchors it, and when that checkpoint was written. */
  seq: number;
  signedAtMs: number;
  entryId: number;
  /** The entry's own time. */
  entryAtMs: number | undefined;
}

export type AnchorReport =
  | { checked: false }
  | {
      checked: true;
      ok: boolean;
      /** Checkpoints that verified (up to the first that did not). */
      checkpoints: number;
      lastAnchored: AnchoredEntry | null;
      /** Entries after the last anchored one. */
      unanchored: number;
      problem?: Problem;
    };

export interface LogAudit {
  ok: boolean;
  chain: VerifyResult;
  anchoring: AnchorReport;
}

/** What is wrong with checkpoint `c`, if anything. */
async function problemOf(
  db: Db,
  key: LogKey,
  c: Checkpoint,
  before: { seq: number; mac: string; entryId: number },
  headId: number,
): Promise<Omit<Problem, 'seq'> | undefined> {
  if (c.seq !== before.seq + 1) {
    return {
      kind: 'missing_checkpoint',
      reason: `checkpoint #${before.seq + 1} is missing (the next one is #${c.seq}): checkpoints were deleted`,
    };
  }
  if (!checkpointVerifies(key, c, before.mac)) {
    return {
      kind: 'forged_checkpoint',
      reason: `checkpoint #${c.seq} does not verify with this key: it was forged or altered, or another key signed it`,
    };
  }
  const hash = await findLogEntryHash(db, c.entryId);
  if (hash === undefined) {
    return {
      kind: 'truncated',
      reason:
        c.entryId > headId
          ? `the log ends at entry ${headId} but checkpoint #${c.seq} anchors entry ${c.entryId}: entries after ${headId} were deleted`
          : `entry ${c.entryId}, anchored by checkpoint #${c.seq}, was deleted`,
    };
  }
  if (hash !== c.entryHash) {
    return {
      kind: 'rewritten',
      reason: `entry ${c.entryId} does not match checkpoint #${c.seq}: an entry ${before.entryId > 0 ? `after ${before.entryId} and ` : ''}up to ${c.entryId} was changed or removed, and the hashes after it recomputed`,
    };
  }
  return undefined;
}

/** Checks every checkpoint in sequence against the key and the log whose newest entry is `headId`. */
export async function verifyCheckpoints(db: Db, key: LogKey, headId: number): Promise<AnchorReport> {
  let last: Checkpoint | undefined;
  let count = 0;
  const report = async (problem?: Problem): Promise<AnchorReport> => ({
    checked: true as const,
    ok: problem === undefined,
    checkpoints: count,
    lastAnchored: last
      ? {
          seq: last.seq,
          signedAtMs: last.atMs,
          entryId: last.entryId,
          entryAtMs: await findLogEntryTime(db, last.entryId),
        }
      : null,
    unanchored: Math.max(0, headId - (last?.entryId ?? 0)),
    ...(problem ? { problem } : {}),
  });
  for (;;) {
    const page = await listCheckpointsAfter(db, last?.seq ?? 0, 1000);
    if (page.length === 0) return report();
    for (const c of page) {
      const before = last ?? { seq: 0, mac: NO_MAC, entryId: 0 };
      const problem = await problemOf(db, key, c, before, headId);
      if (problem) return report({ ...problem, seq: c.seq });
      last = c;
      count += 1;
    }
  }
}

/** The chain, and the checkpoints when a key is given. */
export async function auditLog(db: Db, key: LogKey | undefined): Promise<LogAudit> {
  const chain = await verifyLog(db);
  const head = await findLastLogEntry(db);
  const anchoring: AnchorReport = key ? await verifyCheckpoints(db, key, head?.id ?? 0) : { checked: false };
  return { ok: chain.ok && (!anchoring.checked || anchoring.ok), chain, anchoring };
}
