/**
 * What every intake and review use case receives: its dependencies (ports and configuration, picked by
 * the runtime's composition root) and the unit of work it runs in. Values travel in these named
 * objects, never as long positional lists, and nothing per call is kept on a shared object.
 */
import type { DedupConfig, PostalConfig } from '../../schemas/config.js';
import type { DossierData, DossierInput } from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import type { DueRule } from '../deadlines/due-rule.js';
import type { Clock } from '../lib/time.js';
import type { LogKey } from '../reconciliation/log.js';
import type { SmsSettings } from '../sms/settings.js';
import type { Trx } from '../store/store.js';
import type { Outbox } from '../transfers/outbox.js';
import type { AdminUnits } from './admin-units.js';

export interface IntakeDeps {
  outbox: Outbox;
  dedup: DedupConfig;
  clock: Clock;
  adminUnits?: AdminUnits | undefined;
  /** The reconciliation log's key, for digests of values the log refers to (none: no digests). */
  logKey?: LogKey | undefined;
  /** SMS notices to the applicant (docs/sms.md); absent: none are sent. */
  sms?: SmsSettings | undefined;
  /** The postal jobs' settings (docs/postal.md); their defaults when absent. */
  postal?: PostalConfig | undefined;
  /** Computes the due instant of a dossier pushed without one (docs/deadlines.md); absent: none. */
  deadlines?: DueRule | undefined;
}

/** One unit of work: the transaction, the dependencies, and the instant the change is made at. */
export interface WriteContext {
  trx: Trx;
  deps: IntakeDeps;
  now: number;
}

/** A push in progress: who pushed what, normalised to the canonical fields. */
export interface PushContext extends WriteContext {
  principal: Principal;
  /** The calling client's source system. */
  system: string;
  input: DossierInput;
  data: DossierData;
}

/** Opens a unit of work at the clock's current instant. */
export function writeContext(trx: Trx, deps: IntakeDeps): WriteContext {
  return { trx, deps, now: deps.clock.now() };
}
