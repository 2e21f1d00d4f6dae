/**
 * Use case: a change to a dossier reaches the departmental software serving its agency (docs/departments.md,
 * Forwarding). Called in the transaction of the change by every path that creates a dossier or moves its
 * status. The first time a dossier meets a destination it is sent whole (`department_forwards` makes that
 * once); after that, each applied status step is sent. A change never goes back to the system it came
 * from, so no loop can form; a destination that is itself a source of the dossier gets only the steps.
 */
import type { DepartmentPayload, ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';
import type { DossierStatus } from '../../schemas/dossier.js';
import type { DossierRecord } from '../intake/dossier.row.js';
import type { WriteContext } from '../intake/intake.context.js';
import { sourceSystems } from '../intake/source.store.js';
import { parseInstant, toVnIso } from '../lib/time.js';
import type { DepartmentDestination } from '../transfers/outbox.js';
import { listDestinations, reserveForward, setForwardTransfer } from './destination.store.js';

/** What changed, and which system it came from. */
export type Change = { origin: string } & ({ kind: 'dossier' } | { kind: 'event'; event: ForwardedEvent });

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
  for (const target of targets) {
    const system = target.system as DepartmentDestination;
    const first = await reserveForward(trx, dossier.id, system, now);
    let payload: DepartmentPayload | undefined;
    if (first && !sources.includes(system)) payload = { kind: 'dossier', dossier: forwardedDossier(dossier) };
    else if (change.kind === 'event') payload = { kind: 'event', code: dossier.code, event: change.event };
    if (!payload) continue;
    const kind = payload.kind === 'dossier' ? 'dossier_sync' : 'progress';
    const request = {
      destination: system,
      kind,
      dossierId: dossier.id,
      held: dossier.held,
      payload,
    } as const;
    const transferId = await ctx.deps.outbox.enqueue(trx, request, now);
    if (first) await setForwardTransfer(trx, dossier.id, system, transferId);
  }
}
