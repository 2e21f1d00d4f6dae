/**
 * A circuit breaker per destination, kept in the store so every worker process shares it. Repeated
 * outages open it; while open no calls are made and no attempts are spent. After the cool-down one
 * worker at a time wins the probe (half-open); its success closes the circuit, its failure reopens it.
 * Configuration faults open it at once for a longer cool-down and raise an alert for the operators.
 */
import type { Store } from '../store/store.js';
import type { DestinationTable } from '../store/tables.js';

export interface CircuitConfig {
  failureThreshold: number;
  cooldownMs: number;
  faultCooldownMs: number;
}

export type Admission = 'closed' | 'probe' | 'open';

export class CircuitBreaker {
  constructor(
    private readonly store: Store,
    private readonly name: string,
    private readonly config: CircuitConfig,
    private readonly probeLeaseMs: number,
  ) {}

  private async row(): Promise<DestinationTable> {
    await this.store.db
      .insertInto('destinations')
      .values({ name: this.name, circuit: 'closed', consecutive_failures: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return this.store.db
      .selectFrom('destinations')
      .selectAll()
      .where('name', '=', this.name)
      .executeTakeFirstOrThrow();
  }

  /** May this worker call the destination now: normally, as the single probe, or not at all? */
  async admit(owner: string, now: number): Promise<Admission> {
    const row = await this.row();
    if (row.circuit === 'closed') return 'closed';
    const claimable =
      (row.circuit === 'open' && (row.open_until_ms ?? 0) <= now) ||
      (row.circuit === 'half_open' && (row.probe_until_ms ?? 0) < now);
    if (!claimable) return 'open';
    const result = await this.store.db
      .updateTable('destinations')
      .set({ circuit: 'half_open', probe_owner: owner, probe_until_ms: now + this.probeLeaseMs })
      .where('name', '=', this.name)
      .where('circuit', '=', row.circuit)
      .where((eb) =>
        row.circuit === 'open' ? eb('open_until_ms', '<=', now) : eb('probe_until_ms', '<', now),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? 'probe' : 'open';
  }

  /** A call went through: close the circuit and clear any alert. */
  async success(now: number): Promise<void> {
    await this.store.db
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
      .where('name', '=', this.name)
      .execute();
  }

  /** A call failed; an outage counts toward the threshold, a configuration fault opens at once. */
  async failure(now: number, message: string, fault: boolean): Promise<'open' | 'closed'> {
    const row = await this.row();
    const failures = row.consecutive_failures + 1;
    const opens = fault || row.circuit === 'half_open' || failures >= this.config.failureThreshold;
    await this.store.db
      .updateTable('destinations')
      .set({
        consecutive_failures: failures,
        last_error: message,
        last_error_ms: now,
        ...(opens
          ? {
              circuit: 'open' as const,
              open_until_ms: now + (fault ? this.config.faultCooldownMs : this.config.cooldownMs),
              probe_owner: null,
              probe_until_ms: null,
            }
          : {}),
        ...(fault ? { alert: message } : {}),
      })
      .where('name', '=', this.name)
      .execute();
    return opens ? 'open' : 'closed';
  }
}
