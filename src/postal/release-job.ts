/** A postal client gives a leased job back to the pool before its lease ends (docs/postal.md). */
import type { Job } from '../../schemas/postal.js';
import { NotFound } from '../lib/errors.js';
import { leaseProblem } from './accept-job.js';
import { findJob, releaseLeasedJob } from './job.store.js';
import { toJobView } from './job.view.js';
import type { PostalContext } from './postal.context.js';

export async function releaseJob(ctx: PostalContext, id: string, leaseToken: string): Promise<Job> {
  const { trx, now, principal } = ctx;
  const job = await findJob(trx, id);
  if (!job) throw new NotFound(`no postal job ${id}`);
  const released = await releaseLeasedJob(trx, { id, owner: principal.id, token: leaseToken, now });
  if (!released) throw leaseProblem(job, principal.id, leaseToken, now);
  return toJobView(
    { ...job, state: 'open', leaseOwner: null, leaseToken: null, leaseUntilMs: null },
    principal.id,
  );
}
