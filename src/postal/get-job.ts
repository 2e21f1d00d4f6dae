/** A postal client reads one job: only one it accepted or holds a lease on; any other is 404. */
import type { Job } from '../../schemas/postal.js';
import type { Principal } from '../clients/client.service.js';
import { NotFound } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import { findJob } from './job.store.js';
import { mayOpen, toJobView } from './job.view.js';

export async function getJob(db: Db, principal: Principal, id: string, now: number): Promise<Job> {
  const job = await findJob(db, id);
  if (!job || !mayOpen(job, principal.id, now)) throw new NotFound(`no postal job ${id}`);
  return toJobView(job, principal.id);
}
