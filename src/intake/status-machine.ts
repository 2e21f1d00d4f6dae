/**
 * The dossier state machine (docs/domain.md): which status may follow which.
 * rejected, withdrawn, suspended and returned are final.
 */
import type { DossierStatus } from '../../schemas/dossier.js';

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

export const FINAL_STATUSES: readonly DossierStatus[] = ['rejected', 'withdrawn', 'suspended', 'returned'];

/** True when `to` may directly follow `from`. */
export function canTransition(from: DossierStatus, to: DossierStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses that may follow `from`. */
export function nextStatuses(from: DossierStatus): readonly DossierStatus[] {
  return NEXT[from];
}
