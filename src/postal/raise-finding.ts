/**
 * Opens an operator finding about a postal job, with its reconciliation log entry; both hold
 * references (dossier, job) and a detail without personal data (docs/privacy.md).
 */
import { appendLog } from '../reconciliation/log.js';
import { openFinding } from './finding.store.js';
import type { JobRecord } from './job.store.js';
import type { PostalContext } from './postal.context.js';

export async function raiseFinding(
  ctx: PostalContext,
  job: JobRecord,
  kind: string,
  detail: string,
): Promise<number> {
  const id = await openFinding(ctx.trx, {
    kind,
    dossierId: job.dossierId,
    jobId: job.id,
    detail,
    openedAtMs: ctx.now,
    subject: `job:${job.id}`,
    agency: job.agency,
  });
  await appendLog(
    ctx.trx,
    {
      kind: 'finding.opened',
      actor: 'gateway',
      dossierId: job.dossierId,
      data: { findingId: id, kind, subject: `job:${job.id}`, jobId: job.id },
    },
    ctx.now,
  );
  return id;
}
