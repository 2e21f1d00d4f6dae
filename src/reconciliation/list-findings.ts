/** Use case: the operators' list of findings, filtered by kind, agency and open or closed, in id pages. */
import type { z } from '@hono/zod-openapi';
import type { FindingListSchema, FindingQuerySchema } from '../../schemas/reconciliation.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { selectFindingPage } from './finding.store.js';

export type FindingQuery = z.output<typeof FindingQuerySchema>;
export type FindingList = z.infer<typeof FindingListSchema>;

export async function listFindings(db: Db, q: FindingQuery): Promise<FindingList> {
  const rows = await selectFindingPage(db, {
    kind: q.kind,
    agency: q.agency,
    open: q.open,
    afterId: q.after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((f) => ({
      id: f.id,
      kind: f.kind,
      subject: f.subject,
      dossierId: f.dossierId,
      agency: f.agency,
      transferId: f.transferId ?? null,
      jobId: f.jobId ?? null,
      reviewId: f.reviewId ?? null,
      detail: f.detail,
      open: f.closedAtMs === null,
      openedAt: toVnIso(f.openedAtMs),
      closedAt: f.closedAtMs === null ? null : toVnIso(f.closedAtMs),
      openedByRun: f.openedByRun,
      closedByRun: f.closedByRun,
    })),
    nextAfter: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
