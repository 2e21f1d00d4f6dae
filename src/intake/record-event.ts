/**
 * A source reports a status event. It moves the dossier along the state machine when it is newer than
 * the current status, is kept in the history only when it is older, and is recognised when the same
 * status at the same time was already recorded. An applied step goes to the portal as a dossier update
 * and a progress record.
 */
import type { StatusEventInput } from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { forwardChange, forwardedStep } from '../departments/forward-change.js';
import { NotFound, Validation } from '../lib/errors.js';
import { canonicalText, withoutUndefined } from '../lib/plain.js';
import { normaliseInstant, parseInstant, toVnIso } from '../lib/time.js';
import { createPostalJobs } from '../postal/create-jobs.js';
import { appendLog } from '../reconciliation/log.js';
import { notifyApplicant } from '../sms/notify-applicant.js';
import { queueDossierSync, queueProgress } from '../transfers/payloads.js';
import type { DossierRecord } from './dossier.row.js';
import { findLiveDossier, updateDossier } from './dossier.store.js';
import { findSameStep, findStep, type HistoryRecord, insertStep } from './history.store.js';
import type { WriteContext } from './intake.context.js';
import { assertAgencyScope, maySee, sourceSystem } from './scope.js';
import { findDossierIdBySource, recordIdOf } from './source.store.js';
import { canTransition, illegalTransition } from './status-machine.js';

/** How far ahead of the gateway's clock an event time may be (clock skew between systems). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

export type EventTarget = { dossierId: string } | { recordId: string };

export interface EventResult {
  outcome: 'applied' | 'recorded_only' | 'duplicate';
  /** The dossier after the event. */
  dossier: DossierRecord;
  /** The step as recorded (for a duplicate, the step recorded before). */
  step: HistoryRecord;
}

/** The live dossier an event is addressed to, by gateway id or by the caller's own record id. */
async function resolveTarget(
  ctx: WriteContext,
  principal: Principal,
  target: EventTarget,
): Promise<DossierRecord> {
  let id: string | undefined;
  if ('dossierId' in target) {
    id = target.dossierId;
  } else {
    id = await findDossierIdBySource(ctx.trx, sourceSystem(principal), target.recordId);
    if (!id) throw new NotFound(`no dossier with record id ${target.recordId} from this system`);
  }
  const dossier = await findLiveDossier(ctx.trx, id);
  // A dossier the caller may not see does not exist for it; one it sees but may not act for is refused.
  if (!dossier || !(await maySee(ctx.trx, principal, dossier))) throw new NotFound(`no dossier ${id}`);
  assertAgencyScope(principal, dossier.data.agency.code);
  return dossier;
}

/** The dossier's fields after the step: its result dates, and a new due date when the event gives one. */
function dataAfter(dossier: DossierRecord, event: StatusEventInput, atMs: number) {
  const to = event.status;
  const data = withoutUndefined(dossier.data);
  // A dossier may stay without a due date at every status: some procedures have none (docs/domain.md).
  const at = toVnIso(atMs);
  if (to === 'resolved') data.resolvedAt = at;
  if (to === 'returned') data.returnedAt = at;
  if (to === 'rejected') data.rejectedAt = at;
  if (event.dueAt) data.dueAt = normaliseInstant(event.dueAt);
  return data;
}

/** Records a status event; moves the state when the event is newer than the current one. */
export async function recordEvent(
  ctx: WriteContext,
  principal: Principal,
  target: EventTarget,
  event: StatusEventInput,
): Promise<EventResult> {
  const { trx, now } = ctx;
  const system = sourceSystem(principal);
  const dossier = await resolveTarget(ctx, principal, target);
  const atMs = parseInstant(event.at);
  if (atMs > now + FUTURE_TOLERANCE_MS) {
    throw new Validation([
      { path: 'at', rule: 'not_in_future', message: `event time ${event.at} is in the future` },
    ]);
  }
  const duplicate = await findSameStep(trx, dossier.id, event.status, atMs);
  if (duplicate !== undefined) {
    const step = await findStep(trx, duplicate);
    if (!step) throw new Error('history step vanished inside its own transaction');
    return { outcome: 'duplicate', dossier, step };
  }
  const recordId = 'recordId' in target ? target.recordId : await recordIdOf(trx, dossier.id, system);
  const from = dossier.status;
  const to = event.status;
  const { note, officer } = canonicalText({ note: event.note, officer: event.officer });
  const base = {
    dossierId: dossier.id,
    status: to,
    atMs,
    note,
    officer,
    system,
    recordId,
    now,
  };
  if (atMs < dossier.statusAtMs) {
    const step = await insertStep(trx, { ...base, applied: false });
    await appendLog(
      trx,
      {
        kind: 'event.recorded_only',
        actor: system,
        dossierId: dossier.id,
        data: { status: to, at: event.at, current: from },
      },
      now,
    );
    return { outcome: 'recorded_only', dossier, step };
  }
  if (from !== to && !canTransition(from, to)) throw illegalTransition(from, to);
  const next: DossierRecord = {
    ...dossier,
    status: to,
    statusAtMs: from === to ? dossier.statusAtMs : atMs,
    data: dataAfter(dossier, event, atMs),
    version: dossier.version + 1,
    updatedAtMs: now,
  };
  await updateDossier(trx, next, ctx.deps.deadlines);
  await createPostalJobs(ctx, next);
  const step = await insertStep(trx, { ...base, applied: true });
  const queue = { outbox: ctx.deps.outbox, trx, now };
  const at = toVnIso(atMs);
  await queueDossierSync(queue, next, 'update');
  const stepDate = (iso: string | undefined) => (iso === undefined ? undefined : normaliseInstant(iso));
  await queueProgress(queue, next, {
    historyId: step.id,
    status: to,
    at,
    note,
    officer,
    stepStartedAt: stepDate(event.stepStartedAt),
    stepDueAt: stepDate(event.stepDueAt),
  });
  await notifyApplicant(ctx, next, to);
  await forwardChange(ctx, next, { kind: 'event', origin: system, event: forwardedStep(to, at, note) });
  await appendLog(
    trx,
    {
      kind: 'event.applied',
      actor: system,
      dossierId: dossier.id,
      data: { from, to, at, historyId: step.id },
    },
    now,
  );
  return { outcome: 'applied', dossier: next, step };
}
