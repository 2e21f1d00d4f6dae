/**
 * Writing a checkpoint of the reconciliation log (`checkpoint.ts`): once `every` entries follow the last
 * checkpoint, or when asked to (at shutdown). The head is signed only when the chain from the entry the
 * last checkpoint anchors up to it links by hash and that checkpoint verifies with the key, so the
 * gateway never signs a log that no longer extends what it signed before. The checks read outside the
 * write transaction; the transaction itself only adds the row.
 */
import type { Store } from '../store/store.js';
import { checkpointVerifies, NO_MAC, signCheckpoint } from './checkpoint.js';
import { type Checkpoint, findLastCheckpoints, insertCheckpoint } from './checkpoint.store.js';
import { findLastLogEntry, findLogEntryHash } from './log.store.js';
import type { LogKey } from './log-key.js';
import { verifyChain } from './verify.js';

export type AnchorOutcome =
  | { kind: 'written'; checkpoint: Checkpoint }
  /** Nothing to sign: an empty log, a head already signed, or fewer than `every` new entries. */
  | { kind: 'empty' | 'current' | 'not_due' }
  /** The log does not extend the last checkpoint (or that checkpoint does not verify): nothing signed. */
  | { kind: 'refused'; reason: string };

export interface AnchorOptions {
  now: number;
  /** Sign once this many entries follow the last checkpoint. */
  every: number;
  /** Sign any new entry (shutdown). */
  force?: boolean;
}

/** Why the log may not be signed now, if it may not. */
async function refusal(
  store: Pick<Store, 'db'>,
  key: LogKey,
  last: Checkpoint,
  before: Checkpoint | undefined,
  headId: number,
): Promise<string | undefined> {
  if (!checkpointVerifies(key, last, before?.mac ?? NO_MAC)) {
    return `checkpoint #${last.seq} does not verify with this key`;
  }
  if ((await findLogEntryHash(store.db, last.entryId)) !== last.entryHash) {
    return `entry ${last.entryId} no longer matches checkpoint #${last.seq}`;
  }
  const link = await verifyChain(
    store.db,
    { id: last.entryId + 1, prevHash: last.entryHash },
    { untilId: headId },
  );
  if (!link.ok)
    return `the log does not extend checkpoint #${last.seq}: entry ${link.brokenAt}: ${link.reason}`;
  return undefined;
}

/** Signs the head of the log when due; see `AnchorOutcome`. */
export async function anchorLog(
  store: Pick<Store, 'db' | 'transaction'>,
  key: LogKey,
  o: AnchorOptions,
): Promise<AnchorOutcome> {
  const [last, before] = await findLastCheckpoints(store.db, 2);
  const head = await findLastLogEntry(store.db);
  if (!head)
    return last ? { kind: 'refused', reason: 'the log is empty but has checkpoints' } : { kind: 'empty' };
  if (last && head.id < last.entryId) {
    return {
      kind: 'refused',
      reason: `the log ends at entry ${head.id} but checkpoint #${last.seq} anchors entry ${last.entryId}`,
    };
  }
  if (last && head.id === last.entryId) return { kind: 'current' };
  if (!o.force && head.id - (last?.entryId ?? 0) < o.every) return { kind: 'not_due' };
  if (last) {
    const reason = await refusal(store, key, last, before, head.id);
    if (reason) return { kind: 'refused', reason };
  }
  const checkpoint = signCheckpoint(
    key,
    { seq: (last?.seq ?? 0) + 1, entryId: head.id, entryHash: head.hash, atMs: o.now },
    last?.mac ?? NO_MAC,
  );
  // Inside the transaction only the insert: a second writer that got there first makes it fail on the
  // sequence number's primary key, and the next round tries again.
  const written = await store.transaction(async (trx) => {
    const [current] = await findLastCheckpoints(trx, 1);
    if ((current?.seq ?? 0) !== (last?.seq ?? 0)) return false;
    await insertCheckpoint(trx, checkpoint);
    return true;
  });
  return written ? { kind: 'written', checkpoint } : { kind: 'current' };
}
