/** What a reconciliation run needs (docs/reconciliation.md): the store, the clock, the portal and its settings. */
import type { ReconciliationConfig } from '../../schemas/config.js';
import type { WorkingCalendar } from '../calendar/calendar.js';
import type { Clock } from '../lib/time.js';
import type { Store } from '../store/store.js';
import type { PortalLookupPort } from '../transfers/portal.port.js';

export interface RunContext {
  store: Pick<Store, 'db' | 'transaction'>;
  clock: Clock;
  /** Absent: no portal configured here, so the run cannot compare (it still checks the invariants). */
  portal: PortalLookupPort | undefined;
  config: ReconciliationConfig;
  /** The working-day calendar of the deadline findings (`overdue`, `near_due`); absent: not checked. */
  calendar?: WorkingCalendar | undefined;
}

/** Per-kind tallies of one run, kept in the run's locals. */
export interface Tally {
  opened: Record<string, number>;
  closed: Record<string, number>;
}

export const newTally = (): Tally => ({ opened: {}, closed: {} });

export const bump = (m: Record<string, number>, kind: string): void => {
  m[kind] = (m[kind] ?? 0) + 1;
};

/** The actor the log names for what a run does. */
export const RUN_ACTOR = 'gateway:reconciliation';
