/**
 * Opening and closing findings inside a run's unit of work, each with its reconciliation log entry
 * (references, kinds and times only: docs/privacy.md). A subject that already has an open finding of
 * the kind is skipped, so a run never opens a second one.
 */
import { toVnIso } from '../lib/time.js';
import type { Trx } from '../store/store.js';
import { appendLog } from './append.js';
import { closeFindingRow, findOpenBySubjects, insertRunFinding, type RunFinding } from './finding.store.js';
import { bump, RUN_ACTOR, type Tally } from './reconciliation.context.js';

export interface FindingWrite {
  trx: Trx;
  now: number;
  runId: string;
  tally: Tally;
}

/** Opens each finding whose subject has no open one of its kind. */
export async function openFindings(w: FindingWrite, findings: readonly RunFinding[]): Promise<void> {
  const byKind = new Map<string, RunFinding[]>();
  for (const f of findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const [kind, list] of byKind) {
    const open = await findOpenBySubjects(
      w.trx,
      kind,
      list.map((f) => f.subject),
    );
    for (const f of list) {
      if (open.has(f.subject)) continue;
      const id = await insertRunFinding(w.trx, f, w.now, w.runId);
      open.set(f.subject, {
        ...f,
        id,
        openedAtMs: w.now,
        closedAtMs: null,
        openedByRun: w.runId,
        closedByRun: null,
      });
      bump(w.tally.opened, kind);
      await appendLog(
        w.trx,
        {
          kind: 'finding.opened',
          actor: RUN_ACTOR,
          dossierId: f.dossierId,
          transferId: f.transferId ?? null,
          data: { findingId: id, kind, subject: f.subject, runId: w.runId },
        },
        w.now,
      );
    }
  }
}

/** Closes findings whose condition cleared, with the time it cleared. */
export async function closeFindings(
  w: FindingWrite,
  findings: readonly { id: number; kind: string; dossierId: string | null }[],
): Promise<void> {
  for (const f of findings) {
    if (!(await closeFindingRow(w.trx, f.id, w.now, w.runId))) continue;
    bump(w.tally.closed, f.kind);
    await appendLog(
      w.trx,
      {
        kind: 'finding.closed',
        actor: RUN_ACTOR,
        dossierId: f.dossierId,
        data: { findingId: f.id, kind: f.kind, clearedAt: toVnIso(w.now), runId: w.runId },
      },
      w.now,
    );
  }
}
