/**
 * A postal client reports a tracking event for a job it accepted (docs/postal.md, events and their
 * effects). The same event twice is recognised; an event after the job's final one is stored and moves
 * nothing; otherwise the event takes effect (`apply-postal-event.ts`). Event times in the future are
 * refused with the same rule and tolerance as dossier events.
 */
import { EVENTS_OF, type Job, type PostalEventInput } from '../../schemas/postal.js';
import { FUTURE_TOLERANCE_MS } from '../intake/record-event.js';
import { Conflict, NotFound, Validation } from '../lib/errors.js';
import { normaliseInstant, parseInstant } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import { applyPostalEvent } from './apply-postal-event.js';
import { findJob, type JobRecord } from './job.store.js';
import { mayOpen, toJobView } from './job.view.js';
import type { PostalContext } from './postal.context.js';
import { hasPostalEvent, insertPostalEvent } from './postal-event.store.js';

export interface PostalEventResult {
  outcome: 'applied' | 'recorded_only' | 'duplicate';
  job: Job;
}

async function acceptedJob(ctx: PostalContext, id: string): Promise<JobRecord> {
  const job = await findJob(ctx.trx, id);
  if (!job || !mayOpen(job, ctx.principal.id, ctx.now)) throw new NotFound(`no postal job ${id}`);
  if (job.acceptedBy !== ctx.principal.id) {
    throw new Conflict(`job ${id} is leased but not accepted: accept it with its tracking number first`, {
      extra: { reason: 'not_accepted' },
    });
  }
  return job;
}

function checkEvent(job: JobRecord, event: PostalEventInput, atMs: number, now: number): void {
  if (!EVENTS_OF[job.kind].includes(event.type)) {
    throw new Validation([
      {
        path: 'type',
        rule: 'event_type_for_kind',
        message: `a ${job.kind} job takes ${EVENTS_OF[job.kind].join(', ')}, not ${event.type}`,
      },
    ]);
  }
  if (atMs > now + FUTURE_TOLERANCE_MS) {
    throw new Validation([
      { path: 'at', rule: 'not_in_future', message: `event time ${event.at} is in the future` },
    ]);
  }
}

export async function recordPostalEvent(
  ctx: PostalContext,
  id: string,
  event: PostalEventInput,
): Promise<PostalEventResult> {
  const { trx, now, principal } = ctx;
  const job = await acceptedJob(ctx, id);
  const atMs = parseInstant(event.at);
  checkEvent(job, event, atMs, now);
  if (await hasPostalEvent(trx, id, event.type, atMs)) {
    return { outcome: 'duplicate', job: toJobView(job, principal.id) };
  }
  const applied = job.finalAtMs === null;
  await insertPostalEvent(trx, {
    jobId: id,
    type: event.type,
    atMs,
    at: normaliseInstant(event.at),
    recipientName: event.recipientName,
    reason: event.reason,
    applied,
    now,
  });
  await appendLog(
    trx,
    {
      kind: applied ? 'postal.event_applied' : 'postal.event_recorded_only',
      actor: `postal:${principal.id}`,
      dossierId: job.dossierId,
      data: { jobId: id, type: event.type, at: normaliseInstant(event.at) },
    },
    now,
  );
  if (!applied) return { outcome: 'recorded_only', job: toJobView(job, principal.id) };
  const after = await applyPostalEvent(ctx, job, event.type, atMs);
  return { outcome: 'applied', job: toJobView(after, principal.id) };
}
