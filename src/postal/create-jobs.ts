/**
 * The postal jobs a dossier's change causes (docs/postal.md, when jobs appear), written in the same
 * unit of work as the change: a `return` job once the dossier is `resolved` and its result goes back by
 * post, a `collect` job while a postal-channel dossier is `submitted`. Called after every write of a
 * dossier; the unique (dossier, kind) index makes a second call (the resolved event again, from another
 * system, a merge into the dossier) create nothing. A dossier held for a dedup review gets no job until
 * it is written again after the review.
 */
import { DEFAULT_POSTAL, type PostalConfig } from '../../schemas/config.js';
import type { JobKind, JobPayload } from '../../schemas/postal.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import { findDossier } from '../intake/dossier.store.js';
import type { PushContext, WriteContext } from '../intake/intake.context.js';
import { newId } from '../lib/crypto.js';
import { appendLog } from '../reconciliation/log.js';
import { insertJobOnce } from './job.store.js';

const DAY_MS = 86_400_000;

/** The kind of job the dossier needs now, if any. */
export function jobKindFor(dossier: DossierRecord): JobKind | undefined {
  if (dossier.held) return undefined;
  const { data } = dossier;
  if (dossier.status === 'resolved' && data.resultReturn.method === 'postal') return 'return';
  if (dossier.status === 'submitted' && data.channel === 'postal') return 'collect';
  return undefined;
}

/** What the courier needs to carry the job out, and nothing else of the dossier. */
export function jobPayload(dossier: DossierRecord, kind: JobKind, postal: PostalConfig): JobPayload {
  const { data } = dossier;
  const address = (kind === 'return' ? data.resultReturn.address : undefined) ?? data.applicant.address;
  // The intake refuses a postal return without an address; a collect job may lack one (line left empty).
  const receiver = {
    name: data.applicant.fullName,
    ...(data.applicant.phone ? { phone: data.applicant.phone } : {}),
    address: address ?? { original: '' },
  };
  const owed = data.fees.filter((f) => f.paid !== true).reduce((sum, f) => sum + f.amount, 0);
  const contents =
    kind === 'return'
      ? (data.results ?? []).map((r) => r.name)
      : data.documents.filter((d) => d.deleted !== true).map((d) => d.name);
  return {
    sender: {
      name: data.agency.name,
      ...(postal.senderAddress ? { address: postal.senderAddress } : {}),
      ...(postal.senderPhone ? { phone: postal.senderPhone } : {}),
    },
    receiver,
    contents,
    codAmount: kind === 'return' ? owed : 0,
    note: kind === 'return' ? `Trả kết quả hồ sơ ${dossier.code}` : `Thu gom hồ sơ ${dossier.code}`,
  };
}

/** Creates the job the dossier needs, once; returns its id when this call created it. */
export async function createPostalJobs(
  ctx: WriteContext,
  dossier: DossierRecord,
): Promise<string | undefined> {
  const kind = jobKindFor(dossier);
  if (!kind) return undefined;
  const postal = ctx.deps.postal ?? DEFAULT_POSTAL;
  const id = newId();
  const inserted = await insertJobOnce(ctx.trx, {
    id,
    kind,
    dossierId: dossier.id,
    agency: dossier.data.agency.code,
    orderNumber: dossier.code,
    payload: jobPayload(dossier, kind, postal),
    createdAtMs: ctx.now,
    dueByMs: ctx.now + postal.dueDays * DAY_MS,
  });
  if (!inserted) return undefined;
  await appendLog(
    ctx.trx,
    { kind: 'postal.job_created', actor: 'gateway', dossierId: dossier.id, data: { jobId: id, kind } },
    ctx.now,
  );
  return id;
}

/** After a push created a dossier: its job, read back only when the pushed record may need one. */
export async function createJobsOfNewDossier(ctx: PushContext, dossierId: string): Promise<void> {
  const { data, input } = ctx;
  const mayNeed =
    (input.status === 'resolved' && data.resultReturn.method === 'postal') ||
    (input.status === 'submitted' && data.channel === 'postal');
  if (!mayNeed) return;
  const dossier = await findDossier(ctx.trx, dossierId);
  if (dossier) await createPostalJobs(ctx, dossier);
}
