/**
 * The dossier state machine (docs/domain.md): which status may follow which.
 * rejected, withdrawn, suspended and returned are final.
 */
import type { DossierStatus } from '../../schemas/dossier.js';
import { IllegalTransition } from '../lib/errors.js';

const NEXT: Record<DossierStatus, readonly DossierStatus[]> = {
  submitted: ['received', 'rejected'],
  received: ['processing'],
  processing: ['supplement_requested', 'payment_requested', 'resolved', 'suspended', 'withdrawn'],
  supplement_requested: ['processing'],
  payment_requested: ['processing'],
  resolved: ['returned'],
  rejected: [],
  withdrawn: [],
  suspended: [],
  returned: [],
};

/** True when `to` may directly follow `from`. */
export function canTransition(from: DossierStatus, to: DossierStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses that may follow `from`. */
export function nextStatuses(from: DossierStatus): readonly DossierStatus[] {
  return NEXT[from];
}

/** The error for a move off the state machine, naming the moves that are allowed. */
export function illegalTransition(from: DossierStatus, to: DossierStatus): IllegalTransition {
  const allowed = nextStatuses(from);
  return new IllegalTransition(
    `a dossier cannot move from ${from} to ${to}; from ${from} it may go to ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}`,
    { extra: { from, to, allowed } },
  );
}
