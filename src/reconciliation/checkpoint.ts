/**
 * Checkpoints of the reconciliation log (docs/privacy.md). The hash chain alone shows an edit that was
 * left in place, but not a deleted tail, nor a chain recomputed from an edited entry on: both leave a
 * chain that verifies. A checkpoint signs the head of the log, its id and hash, with a key kept outside
 * the database; the signed message also holds the checkpoint's sequence number and the previous
 * checkpoint's MAC, so checkpoints cannot be dropped from the middle, reordered or replaced either.
 */

import type { Checkpoint } from './checkpoint.store.js';
import { canonical } from './hash.js';
import { type LogKey, sameMac } from './log-key.js';

/** The MAC before the first checkpoint. */
export const NO_MAC = '';

/** The text a checkpoint's MAC covers. */
export function checkpointMessage(c: Omit<Checkpoint, 'mac'>, prevMac: string): string {
  return `lienthong reconciliation log checkpoint v1\n${canonical({
    seq: c.seq,
    entryId: c.entryId,
    entryHash: c.entryHash,
    atMs: c.atMs,
    prevMac,
  })}`;
}

/** Signs a checkpoint that follows the one whose MAC is `prevMac`. */
export function signCheckpoint(key: LogKey, c: Omit<Checkpoint, 'mac'>, prevMac: string): Checkpoint {
  return { ...c, mac: key.sign(checkpointMessage(c, prevMac)) };
}

/** Whether `c` was signed with `key` after the checkpoint whose MAC is `prevMac`. */
export function checkpointVerifies(key: LogKey, c: Checkpoint, prevMac: string): boolean {
  return sameMac(key.sign(checkpointMessage(c, prevMac)), c.mac);
}
