/**
 * A job as the postal client sees it (docs/postal.md): its delivery data, times in Vietnam, and the
 * lease only while this client holds it. Nothing else of the dossier.
 */
import type { Job } from '../../schemas/postal.js';
import { toVnIso } from '../lib/time.js';
import type { JobRecord } from './job.store.js';

export function toJobView(job: JobRecord, clientId: string): Job {
  const leased = job.state === 'leased' && job.leaseOwner === clientId && job.leaseToken && job.leaseUntilMs;
  return {
    id: job.id,
    kind: job.kind,
    orderNumber: job.orderNumber,
    ...job.payload,
    createdAt: toVnIso(job.createdAtMs),
    dueBy: toVnIso(job.dueByMs),
    state: job.state,
    trackingNumber: job.trackingNumber,
    lease: leased ? { token: job.leaseToken ?? '', expiresAt: toVnIso(job.leaseUntilMs ?? 0) } : null,
  };
}

/** True when the client may see the job: it accepted it, or holds a lease in force on it. */
export function mayOpen(job: JobRecord, clientId: string, now: number): boolean {
  if (job.acceptedBy === clientId) return true;
  return job.state === 'leased' && job.leaseOwner === clientId && (job.leaseUntilMs ?? 0) >= now;
}
