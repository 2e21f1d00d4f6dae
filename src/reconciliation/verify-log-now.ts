/**
 * Use case: `POST /v1/ops/log/verify`, the same check as the CLI's `log verify` (`auditLog`: the chain,
 * and the checkpoints when the log's key is configured), stored with its time so the dashboard shows the
 * last one (docs/reconciliation.md).
 */
import type { z } from '@hono/zod-openapi';
import type { VerificationSchema } from '../../schemas/reconciliation.js';
import { toVnIso } from '../lib/time.js';
import type { Store } from '../store/store.js';
import { auditLog, type LogAudit } from './audit.js';
import type { LogKey } from './log-key.js';
import { insertVerification } from './verification.store.js';

export type Verification = z.infer<typeof VerificationSchema>;

function reasonOf(audit: LogAudit): string | null {
  if (!audit.chain.ok) return `entry ${audit.chain.brokenAt}: ${audit.chain.reason}`;
  if (audit.anchoring.checked && audit.anchoring.problem) return audit.anchoring.problem.reason;
  return null;
}

function summary(audit: LogAudit, atMs: number): Omit<Verification, 'id'> {
  const a = audit.anchoring;
  const last = a.checked ? a.lastAnchored : null;
  return {
    verifiedAt: toVnIso(atMs),
    ok: audit.ok,
    entries: audit.chain.entries,
    reason: reasonOf(audit),
    anchored: a.checked,
    lastAnchored: last
      ? {
          entryId: last.entryId,
          entryAt: last.entryAtMs === undefined ? null : toVnIso(last.entryAtMs),
          checkpoint: last.seq,
          signedAt: toVnIso(last.signedAtMs),
        }
      : null,
    unanchored: a.checked ? a.unanchored : null,
  };
}

export async function verifyLogNow(
  store: Pick<Store, 'db'>,
  key: LogKey | undefined,
  by: string,
  now: () => number,
): Promise<Verification> {
  const audit = await auditLog(store.db, key);
  const atMs = now();
  const view = summary(audit, atMs);
  const id = await insertVerification(store.db, {
    atMs,
    ok: audit.ok,
    result: JSON.stringify(view),
    requestedBy: by,
  });
  return { id, ...view };
}
