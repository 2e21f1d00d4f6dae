/**
 * A circuit breaker per destination, kept in the store so every worker process shares it. Repeated
 * outages open it; while open no calls are made and no attempts are spent. After the cool-down one
 * worker at a time wins the probe (half-open); its success closes the circuit, its failure reopens it.
 * Configuration faults open it at once for a longer cool-down and raise an alert for the operators.
 */
import type { Store } from '../store/store.js';
import {
  claimProbe,
  closeCircuit,
  type DestinationRow,
  ensureDestination,
  findDestination,
  recordDestinationFailure,
} from './destination.store.js';

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

  private async row(): Promise<DestinationRow> {
    await ensureDestination(this.store.db, this.name);
    const row = await findDestination(this.store.db, this.name);
    if (!row) throw new Error(`destination ${this.name}: row missing right after it was ensured`);
    return row;
  }

  /** May this worker call the destination now: normally, as the single probe, or not at all? */
  async admit(owner: string, now: number): Promise<Admission> {
    const row = await this.row();
    if (row.circuit === 'closed') return 'closed';
    const claimable =
      (row.circuit === 'open' && (row.open_until_ms ?? 0) <= now) ||
      (row.circuit === 'half_open' && (row.probe_until_ms ?? 0) < now);
    if (!claimable) return 'open';
    const won = await claimProbe(this.store.db, {
      name: this.name,
      from: row.circuit,
      owner,
      now,
      probeUntil: now + this.probeLeaseMs,
    });
    return won ? 'probe' : 'open';
  }

  /** A call went through: close the circuit and clear any alert. */
  async success(now: number): Promise<void> {
    await closeCircuit(this.store.db, this.name, now);
  }

  /** A call failed; an outage counts toward the threshold, a configuration fault opens at once. */
  async failure(now: number, message: string, fault: boolean): Promise<'open' | 'closed'> {
    const row = await this.row();
    const failures = row.consecutive_failures + 1;
    const opens = fault || row.circuit === 'half_open' || failures >= this.config.failureThreshold;
    await recordDestinationFailure(this.store.db, {
      name: this.name,
      failures,
      message,
      now,
      openUntil: opens ? now + (fault ? this.config.faultCooldownMs : this.config.cooldownMs) : undefined,
      alert: fault ? message : undefined,
    });
    return opens ? 'open' : 'closed';
  }
}
