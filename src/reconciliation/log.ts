/**
 * The reconciliation log: append-only and hash-chained (the chain is in `hash.ts`, appends in
 * `append.ts`, verification in `verify.ts`, rows in `log.store.ts`), anchored by signed checkpoints
 * (`checkpoint.ts`, written by `anchor.ts`, checked by `audit.ts`, with the key of `log-key.ts`). This
 * module is the one place the rest of the code imports them from.
 */
export { type AnchorOutcome, anchorLog } from './anchor.js';
export { appendLog, type LogEntryInput } from './append.js';
export { type AnchorReport, auditLog, type LogAudit } from './audit.js';
export { type ConflictRef, conflictRefs } from './conflict-refs.js';
export { entryHash, GENESIS_HASH } from './hash.js';
export { type LogKey, logKeyFrom } from './log-key.js';
export { type VerifyResult, verifyLog } from './verify.js';
