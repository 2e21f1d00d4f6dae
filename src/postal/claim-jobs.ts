/**
 * A postal client claims the oldest open jobs (docs/postal.md, the claim loop): expired leases are
 * given back first, then up to `limit` open jobs are leased to it in one statement, so two clients
 * claiming at once never get the same job.
 */

import type { z } from '@hono/zod-openapi';
import type { ClaimSchema, Job } from '../../schemas/postal.js';
import { randomToken } from '../lib/crypto.js';
import { claimOpenJobs, reopenExpiredLeases } from './job.store.js';
import { toJobView } from './job.view.js';
import type { PostalContext } from './postal.context.js';

export type ClaimInput = z.output<typeof ClaimSchema>;

export async function claimJobs(ctx: PostalContext, input: ClaimInput): Promise<{ jobs: Job[] }> {
  const { trx, now, principal } = ctx;
  await reopenExpiredLeases(trx, now);
  const jobs = await claimOpenJobs(trx, {
    owner: principal.id,
    token: randomToken(16),
    kinds: input.kinds,
    now,
    leaseMs: input.leaseSeconds * 1000,
    limit: input.limit,
  });
  return { jobs: jobs.map((j) => toJobView(j, principal.id)) };
}
