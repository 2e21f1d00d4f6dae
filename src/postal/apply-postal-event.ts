/**
 * What a new tracking event does (docs/postal.md, events and their effects): `delivered` ends a return
 * job and makes the dossier `returned` at the delivery time; `handed_over` ends a collect job and makes
 * the dossier `received`; both go through the same use case as a department's status event
 * (`recordEvent`), which queues the portal's update and progress. `returned_to_sender`, `cancelled` and
 * the configured N-th `delivery_failed` open an operator finding.
 */
import type { JobState, PostalEventType } from '../../schemas/postal.js';
import type { Principal } from '../clients/client.service.js';
import { recordEvent } from '../intake/record-event.js';
import { toVnIso } from '../lib/time.js';
import { type JobRecord, updateJobProgress } from './job.store.js';
import { type PostalContext, postalConfig } from './postal.context.js';
import { raiseFinding } from './raise-finding.js';

/** The source system the dossier's history names for steps the postal service caused. */
export const POSTAL_SYSTEM = 'postal';

/** The gateway acting for the postal service on one dossier's agency, for `recordEvent`. */
function postalActor(agency: string): Principal {
  return {
    id: 'postal-service',
    name: 'postal service',
    role: 'department',
    system: POSTAL_SYSTEM,
    agencies: [agency],
  };
}

const FINAL: Partial<Record<PostalEventType, JobState>> = {
  delivered: 'delivered',
  returned_to_sender: 'returned_to_sender',
  handed_over: 'handed_over',
  cancelled: 'cancelled',
};

const DOSSIER_STATUS = { delivered: 'returned', handed_over: 'received' } as const;

export async function applyPostalEvent(
  ctx: PostalContext,
  job: JobRecord,
  type: PostalEventType,
  atMs: number,
): Promise<JobRecord> {
  const final = FINAL[type];
  const failed = job.failedDeliveries + (type === 'delivery_failed' ? 1 : 0);
  const next: JobRecord = {
    ...job,
    state: final ?? job.state,
    failedDeliveries: failed,
    finalAtMs: final ? atMs : null,
    updatedAtMs: ctx.now,
  };
  await updateJobProgress(ctx.trx, { ...next, now: ctx.now });
  if (type === 'delivered' || type === 'handed_over') {
    const status = DOSSIER_STATUS[type];
    await recordEvent(
      ctx,
      postalActor(job.agency),
      { dossierId: job.dossierId },
      { status, at: toVnIso(atMs) },
    );
  }
  const limit = postalConfig(ctx).failedDeliveriesFinding;
  if (type === 'delivery_failed' && failed === limit) {
    await raiseFinding(ctx, job, 'delivery_failed', `${job.kind} job: delivery failed ${failed} times`);
  }
  if (type === 'returned_to_sender' || type === 'cancelled') {
    await raiseFinding(ctx, job, `postal_${type}`, `${job.kind} job ${type.replace(/_/g, ' ')}`);
  }
  return next;
}
