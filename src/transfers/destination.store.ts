/**
 * Destination rows (`destinations`): each destination's circuit breaker state, last success, last error
 * and alert, shared by every worker process. One named function per statement.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../store/store.js';
import type { DestinationTable } from '../store/tables.js';

export type DestinationRow = Selectable<DestinationTable>;

/** Creates the destination's row, closed and without failures, unless it exists. */
export async function ensureDestination(db: Db, name: string): Promise<void> {
  await db
    .insertInto('destinations')
    .values({ name, circuit: 'closed', consecutive_failures: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** The destination's row, or undefined when no worker has called it yet. */
export async function findDestination(db: Db, name: string): Promise<DestinationRow | undefined> {
  return db.selectFrom('destinations').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Makes `owner` the single probe of a half-open circuit until `probeUntil`, provided the circuit is still
 * in the state `from` and its cool-down (open) or the previous probe's lease (half-open) is over at `now`.
 * Returns false when another worker won the probe first.
 */
export async function claimProbe(
  db: Db,
  o: { name: string; from: 'open' | 'half_open'; owner: string; now: number; probeUntil: number },
): Promise<boolean> {
  const result = await db
    .updateTable('destinations')
    .set({ circuit: 'half_open', probe_owner: o.owner, probe_until_ms: o.probeUntil })
    .where('name', '=', o.name)
    .where('circuit', '=', o.from)
    .where((eb) => (o.from === 'open' ? eb('open_until_ms', '<=', o.now) : eb('probe_until_ms', '<', o.now)))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** How stale `last_success_ms` may be before a success on a clean circuit writes it again. */
const SUCCESS_GRAIN_MS = 1_000;

/**
 * A call went through: the circuit closes, failures and alert are cleared, the success is dated (to
 * the second: a clean circuit's date is rewritten at most once a second).
 */
export async function closeCircuit(db: Db, name: string, now: number): Promise<void> {
  await db
    .updateTable('destinations')
    .set({
      circuit: 'closed',
      consecutive_failures: 0,
      open_until_ms: null,
      probe_owner: null,
      probe_until_ms: null,
      last_success_ms: now,
      alert: null,
    })
    .where('name', '=', name)
    // Nothing to write when the circuit is already closed and clean and the last success is recent:
    // a busy lane then commits nothing per accepted call (docs/benchmarks.md, forwarding drain).
    .where((eb) =>
      eb.or([
        eb('circuit', '!=', 'closed'),
        eb('consecutive_failures', '!=', 0),
        eb('alert', 'is not', null),
        eb('last_success_ms', 'is', null),
        eb('last_success_ms', '<', now - SUCCESS_GRAIN_MS),
      ]),
    )
    .execute();
}

/**
 * A failed call: the failure count and last error are written; when `openUntil` is given the circuit
 * opens until then (any probe ends); when `alert` is given it is raised for the operators.
 */
export async function recordDestinationFailure(
  db: Db,
  o: {
    name: string;
    failures: number;
    message: string;
    now: number;
    openUntil?: number | undefined;
    alert?: string | undefined;
  },
): Promise<void> {
  await db
    .updateTable('destinations')
    .set({
      consecutive_failures: o.failures,
      last_error: o.message,
      last_error_ms: o.now,
      ...(o.openUntil !== undefined
        ? {
            circuit: 'open' as const,
            open_until_ms: o.openUntil,
            probe_owner: null,
            probe_until_ms: null,
          }
        : {}),
      ...(o.alert !== undefined ? { alert: o.alert } : {}),
    })
    .where('name', '=', o.name)
    .execute();
}
