/**
 * What a dossier change sends to the national portal (docs/portal.md): a dossier sync (insert or
 * update of the whole dossier) and a progress step. The payload is frozen at enqueue time, through the
 * outbox port, in the transaction of the change; the worker maps it to the portal's wire format.
 */

import type { DossierData, DossierStatus, StatusEventInput } from '../../schemas/dossier.js';
import { toVnIso } from '../lib/time.js';
import type { Trx } from '../store/store.js';
import type { Outbox } from './outbox.js';

/** Where a payload is queued: the outbox port and the caller's transaction. */
export interface QueueContext {
  outbox: Outbox;
  trx: Trx;
  now: number;
}

/** What a payload is made from: the dossier as stored (an intake `DossierRecord` is one). */
export interface QueuedDossier {
  id: string;
  code: string;
  status: DossierStatus;
  statusAtMs: number;
  version: number;
  held: boolean;
  data: DossierData;
}

/** One status step as the portal's progress record needs it. */
export interface ProgressStep {
  historyId: number;
  status: DossierStatus;
  at: string;
  note?: string | undefined;
  officer?: StatusEventInput['officer'];
  /** The step's own start and deadline, when the event gave them (never the dossier's dates). */
  stepStartedAt?: string | undefined;
  stepDueAt?: string | undefined;
}

/** Queues the whole dossier for the portal: an insert the first time, an update after. */
export async function queueDossierSync(
  ctx: QueueContext,
  dossier: QueuedDossier,
  op: 'insert' | 'update',
): Promise<void> {
  await ctx.outbox.enqueue(
    ctx.trx,
    {
      destination: 'portal',
      kind: 'dossier_sync',
      dossierId: dossier.id,
      held: dossier.held,
      payload: {
        op,
        version: dossier.version,
        code: dossier.code,
        status: dossier.status,
        statusAt: toVnIso(dossier.statusAtMs),
        dossier: dossier.data,
      },
    },
    ctx.now,
  );
}

/** Queues one applied status step for the portal's progress list. */
export async function queueProgress(
  ctx: QueueContext,
  dossier: QueuedDossier,
  step: ProgressStep,
): Promise<void> {
  const { historyId, ...rest } = step;
  await ctx.outbox.enqueue(
    ctx.trx,
    {
      destination: 'portal',
      kind: 'progress',
      dossierId: dossier.id,
      held: dossier.held,
      payload: { code: dossier.code, historyId, ...rest },
    },
    ctx.now,
  );
}
