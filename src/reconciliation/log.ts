/**
 * The reconciliation log: append-only and hash-chained (the chain is in `hash.ts`, appends in
 * `append.ts`, verification in `verify.ts`, rows in `log.store.ts`). This module is the one place the
 * rest of the code imports them from.
 */
export { appendLog, type LogEntryInput } from './append.js';
export { entryHash, GENESIS_HASH } from './hash.js';
export { type VerifyResult, verifyLog } from './verify.js';
