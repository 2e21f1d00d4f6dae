/**
 * A postal client accepts a job it leases, with its S10 tracking number (docs/postal.md). The number's
 * check digit was verified by the schema; here: one number per job, and a lease that is this client's,
 * with this token, still in force. A refusal is a 409 naming its `reason`.
 */
import type { Job } from '../../schemas/postal.js';
import { findDossier } from '../intake/dossier.store.js';
import { Conflict, NotFound } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import { notifyPostalAccepted } from '../sms/notify-postal-accepted.js';
import { acceptLeasedJob, findJob, findJobByTracking, type JobRecord } from './job.store.js';
import { toJobView } from './job.view.js';
import type { PostalContext } from './postal.context.js';

export interface AcceptInput {
  leaseToken: string;
  trackingNumber: string;
}

/** Why a lease cannot be used: another client holds it, it ran out, it is not this token, or none. */
export function leaseProblem(job: JobRecord, clientId: string, token: string, now: number): Conflict {
  const inForce = job.state === 'leased' && (job.leaseUntilMs ?? 0) >= now;
  if (job.acceptedBy !== null && job.acceptedBy !== clientId) {
    return new Conflict(`job ${job.id} was accepted by another postal client`, {
      extra: { reason: 'held_by_other' },
    });
  }
  if (job.acceptedBy === clientId) {
    return new Conflict(`job ${job.id} is already accepted by this client with another tracking number`, {
      extra: { reason: 'already_accepted' },
    });
  }
  if (inForce && job.leaseOwner !== clientId) {
    return new Conflict(`job ${job.id} is leased to another postal client`, {
      extra: { reason: 'held_by_other' },
    });
  }
  if (job.state === 'leased' && job.leaseOwner === clientId && !inForce) {
    return new Conflict(`the lease on job ${job.id} expired; claim it again`, {
      extra: { reason: 'lease_expired' },
    });
  }
  if (inForce && job.leaseToken !== token) {
    return new Conflict(`the lease token does not match the lease on job ${job.id}`, {
      extra: { reason: 'lease_token_mismatch' },
    });
  }
  return new Conflict(`job ${job.id} is not leased (its lease expired or was released); claim it again`, {
    extra: { reason: 'not_leased' },
  });
}

export async function acceptJob(ctx: PostalContext, id: string, input: AcceptInput): Promise<Job> {
  const { trx, now, principal } = ctx;
  const job = await findJob(trx, id);
  if (!job) throw new NotFound(`no postal job ${id}`);
  if (job.acceptedBy === principal.id && job.trackingNumber === input.trackingNumber) {
    return toJobView(job, principal.id); // the same accept again
  }
  const other = await findJobByTracking(trx, input.trackingNumber);
  if (other && other.id !== id) {
    throw new Conflict(`tracking number ${input.trackingNumber} is already used by another job`, {
      extra: { reason: 'tracking_number_taken' },
    });
  }
  const owner = principal.id;
  const { leaseToken: token, trackingNumber } = input;
  const accepted = await acceptLeasedJob(trx, { id, owner, token, trackingNumber, now });
  if (!accepted) throw leaseProblem(job, owner, input.leaseToken, now);
  await appendLog(
    trx,
    {
      kind: 'postal.job_accepted',
      actor: `postal:${owner}`,
      dossierId: job.dossierId,
      data: { jobId: id, trackingNumber: input.trackingNumber },
    },
    now,
  );
  if (job.kind === 'return') {
    // The applicant learns that the result is on its way, with the number to follow it (docs/sms.md).
    const dossier = await findDossier(trx, job.dossierId);
    if (dossier) await notifyPostalAccepted(ctx, dossier, trackingNumber);
  }
  const after = await findJob(trx, id);
  if (!after) throw new Error('postal job vanished inside its own transaction');
  return toJobView(after, owner);
}
