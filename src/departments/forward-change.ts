/**
 * Use case: a change to a dossier reaches the departmental software serving its agency (docs/departments.md,
 * Forwarding). Called in the transaction of the change by every path that creates a dossier or moves its
 * status. The first time a dossier meets a destination it is sent whole (`department_forwards` makes that
 * once); after that, each applied status step is sent, and a change of a forwarded field is sent again
 * whole to the destinations that were sent the dossier (Field updates). A change never goes back to the
 * system it came from, so no loop can form; a destination that is itself a source of the dossier gets
 * only the steps.
 */
import { profileNamed } from '../../mappings/departments/index.js';
import type { DepartmentPayload, ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';
import type { DossierStatus } from '../../schemas/dossier.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import type { WriteContext } from '../intake/intake.context.js';
import { sourceSystems } from '../intake/source.store.js';
import { parseInstant, toVnIso } from '../lib/time.js';
import type { DepartmentDestination } from '../transfers/outbox.js';
import { listDestinations, reserveForward, setForwardTransfer, wholeForwards } from './destination.store.js';

/**
 * What changed, which system it came from, and the dossier before the change (when it was there before:
 * forwarded fields that changed are sent again to the destinations that hold the dossier).
 */
export type Change = { origin: string; before?: DossierRecord | undefined } & (
  | { kind: 'dossier' }
  | { kind: 'event'; event: ForwardedEvent }
  | { kind: 'update' }
);

/** An instant to the second, in Vietnam time: what every profile's date format can carry. */
export function toSecond(iso: string): string {
  return toVnIso(Math.floor(parseInstant(iso) / 1000) * 1000);
}

/** A status step as a department receives it. */
export function forwardedStep(status: DossierStatus, at: string, note: string | undefined): ForwardedEvent {
  return { status, at: toSecond(at), ...(note ? { note } : {}) };
}

/** The dossier as a department receives it. */
export function forwardedDossier(d: DossierRecord): ForwardedDossier {
  const { data } = d;
  return {
    code: d.code,
    agency: { code: data.agency.code, name: data.agency.name },
    procedure: { code: data.procedure.code, name: data.procedure.name },
    applicant: {
      type: data.applicant.type,
      fullName: data.applicant.fullName,
      ...(data.applicant.idNumber ? { idNumber: data.applicant.idNumber } : {}),
      ...(data.applicant.phone ? { phone: data.applicant.phone } : {}),
      ...(data.applicant.address?.line ? { address: data.applicant.address.line } : {}),
    },
    ...(data.summary ? { summary: data.summary } : {}),
    channel: data.channel,
    receivedAt: toSecond(data.receivedAt),
    ...(data.dueAt ? { dueAt: toSecond(data.dueAt) } : {}),
    status: d.status,
  };
}

/** The forwarded fields of a dossier other than its status (steps carry the status). */
function fieldsOf(d: DossierRecord): string {
  const { status: _status, ...fields } = forwardedDossier(d);
  return JSON.stringify(fields);
}

/** The payloads one destination gets for the change, in order. */
function payloadsFor(
  dossier: DossierRecord,
  change: Change,
  o: { first: boolean; source: boolean; update: boolean },
): DepartmentPayload[] {
  if (o.first && !o.source) return [{ kind: 'dossier', dossier: forwardedDossier(dossier) }];
  const out: DepartmentPayload[] = [];
  if (!o.first && o.update) out.push({ kind: 'dossier', dossier: forwardedDossier(dossier) });
  if (change.kind === 'event') out.push({ kind: 'event', code: dossier.code, event: change.event });
  return out;
}

/**
 * The destinations that get a field update: those sent the whole dossier before, whose profile takes a
 * resubmitted dossier as an update (docs/departments.md, Field updates), when a forwarded field changed.
 */
async function updateTargets(
  ctx: WriteContext,
  dossier: DossierRecord,
  change: Change,
): Promise<Set<string>> {
  if (!change.before || fieldsOf(change.before) === fieldsOf(dossier)) return new Set();
  return new Set(await wholeForwards(ctx.trx, dossier.id));
}

/** Queues the change for every destination serving the dossier's agency, except the one it came from. */
export async function forwardChange(
  ctx: WriteContext,
  dossier: DossierRecord,
  change: Change,
): Promise<void> {
  const { trx, now } = ctx;
  const agency = dossier.data.agency.code;
  const targets = (await listDestinations(trx)).filter(
    (d) => d.system !== change.origin && d.agencies.includes(agency),
  );
  if (targets.length === 0) return;
  const sources = await sourceSystems(trx, dossier.id);
  const updates = await updateTargets(ctx, dossier, change);
  for (const target of targets) {
    const system = target.system as DepartmentDestination;
    const first = await reserveForward(trx, dossier.id, system, now);
    const update = updates.has(system) && profileNamed(target.profile)?.resubmitUpdates === true;
    const payloads = payloadsFor(dossier, change, { first, source: sources.includes(system), update });
    for (const [i, payload] of payloads.entries()) {
      const kind = payload.kind === 'dossier' ? 'dossier_sync' : 'progress';
      const request = {
        destination: system,
        kind,
        dossierId: dossier.id,
        held: dossier.held,
        payload,
      } as const;
      const transferId = await ctx.deps.outbox.enqueue(trx, request, now);
      if (first && i === 0)
        await setForwardTransfer(trx, dossier.id, system, transferId, kind === 'dossier_sync');
    }
  }
}
