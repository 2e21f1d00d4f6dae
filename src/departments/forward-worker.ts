/**
 * The forwarding worker (docs/departments.md, Forwarding): one lane per registered departmental
 * destination, beside the portal's and the SMS worker, with the same store functions (claim queue heads
 * with a lease, finish, the attempt log via `recordAttempts`), retry policy and circuit breaker, so the
 * per-dossier order, dead letters and replay are the portal's. Each claimed transfer is one call through
 * the destination's profile: a dossier (the answer's record id becomes a source reference of the dossier)
 * or a status step (addressed by that record id). A 4xx refusal or an answer without a record id is a
 * dead letter; outages are retried with backoff and open the circuit.
 */

import {
  type DepartmentProfile,
  profileNamed,
  recordIdFromAnswer,
  SENDABLE_TRANSPORTS,
} from '../../mappings/departments/index.js';
import type { DeliveryConfig } from '../../schemas/config.js';
import {
  type DepartmentCall,
  type DepartmentPayload,
  DepartmentPayloadSchema,
} from '../../schemas/departments.js';
import { recordIdOf } from '../intake/source.store.js';
import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import { maskText } from '../log/mask.js';
import type { Store } from '../store/store.js';
import type { TransferRow } from '../store/tables.js';
import { CircuitBreaker } from '../transfers/circuit.js';
import { claimRound } from '../transfers/claim-round.js';
import { PollLoop } from '../transfers/poll-loop.js';
import { recordAttempts } from '../transfers/record-attempts.js';
import { type Item, Round } from '../transfers/round.js';
import { attachRecord } from './attach-record.js';
import type { DepartmentPort } from './department.port.js';
import { dossierCall, eventCall } from './department-call.js';
import { type DestinationRecord, findDestinationSecret, listDestinations } from './destination.store.js';

export interface ForwardWorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  department: DepartmentPort;
  config: Pick<DeliveryConfig, 'concurrency' | 'leaseMs' | 'pollMs' | 'retry' | 'circuit'>;
  owner: string;
  random?: () => number;
}

/** Transfers claimed per destination and round. */
const ROUND_SIZE = 50;

/** One destination's round: its record, profile, credentials and circuit. */
interface Lane {
  destination: DestinationRecord;
  profile: DepartmentProfile | undefined;
  credentials: string;
  circuit: CircuitBreaker;
}

export class ForwardWorker {
  private readonly circuits = new Map<string, CircuitBreaker>();

  private readonly poller: PollLoop;

  constructor(private readonly deps: ForwardWorkerDeps) {
    this.poller = new PollLoop(() => this.tick(), {
      pollMs: deps.config.pollMs,
      logger: deps.logger,
      failure: 'forwarding round failed',
    });
  }

  /** The shared circuit of a destination (its state lives in the store). */
  circuit(system: string): CircuitBreaker {
    let c = this.circuits.get(system);
    if (!c) {
      const { store, config } = this.deps;
      c = new CircuitBreaker(store, system, config.circuit, config.leaseMs);
      this.circuits.set(system, c);
    }
    return c;
  }

  /** One round over every registered destination; returns the transfers handled. */
  async tick(): Promise<number> {
    const destinations = await listDestinations(this.deps.store.db);
    let handled = 0;
    for (const destination of destinations) handled += await this.tickDestination(destination);
    return handled;
  }

  private async tickDestination(destination: DestinationRecord): Promise<number> {
    const { store, clock, config, owner } = this.deps;
    const system = destination.system;
    const circuit = this.circuit(system);
    const now = clock.now();
    const claimed = await claimRound(store.db, circuit, {
      destination: system,
      owner,
      now,
      leaseMs: config.leaseMs,
      limit: ROUND_SIZE,
    });
    if (claimed.length === 0) return 0;
    const lane: Lane = {
      destination,
      profile: profileNamed(destination.profile),
      credentials: (await findDestinationSecret(store.db, system)) ?? '',
      circuit,
    };
    const round = new Round();
    const queue = [...claimed];
    const run = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await this.deliver(lane, row, round);
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, claimed.length) }, run));
    await recordAttempts(this.deps, claimed, round);
    return claimed.length;
  }

  /** The call carrying one claimed transfer, or why there is none. */
  private async callOf(lane: Lane, row: TransferRow, payload: DepartmentPayload): Promise<DepartmentCall> {
    const p = lane.profile;
    if (!p) throw new Error(`no profile ${lane.destination.profile}`);
    if (!SENDABLE_TRANSPORTS.includes(p.transport))
      throw new Error(`transport ${p.transport} cannot be sent yet`);
    const target = { baseUrl: lane.destination.baseUrl, credentials: lane.credentials };
    if (payload.kind === 'dossier') return dossierCall(p, target, payload.dossier);
    const recordId = await recordIdOf(this.deps.store.db, row.dossier_id, lane.destination.system);
    if (!recordId) throw new Error('the department holds no record of this dossier');
    return eventCall(p, target, { recordId, code: payload.code, event: payload.event });
  }

  /** Sends one claimed transfer and puts its result into the round. */
  private async deliver(lane: Lane, row: TransferRow, round: Round): Promise<void> {
    let payload: DepartmentPayload;
    let call: DepartmentCall;
    try {
      payload = DepartmentPayloadSchema.parse(JSON.parse(row.payload));
      call = await this.callOf(lane, row, payload);
    } catch (error) {
      round.unmappable(row, error as Error, `the ${lane.destination.profile} profile`);
      return;
    }
    const code = payload.kind === 'dossier' ? payload.dossier.code : payload.code;
    const item: Item = { row, code, wire: call.body };
    const t0 = performance.now();
    const outcome = await this.deps.department.send(call);
    round.spend([item], Math.round(performance.now() - t0));
    const at = this.deps.clock.now();
    if (outcome.kind === 'accepted') {
      await lane.circuit.success(at);
      if (payload.kind === 'event') return round.delivered([item], 'accepted by the department');
      return this.linkRecord(lane, item, outcome.answer, round);
    }
    // The department's words may echo a value it refused: masked before they are stored or logged.
    const message = maskText(outcome.message);
    if (outcome.kind === 'refused') {
      return round.dead(item, `department refused: ${message}`, outcome.code ?? String(outcome.status));
    }
    if ((await lane.circuit.failure(at, message, false)) === 'open') {
      this.deps.logger.warn('department unreachable: circuit opened', {
        destination: lane.destination.system,
        error: message,
      });
    }
    const reschedule = { retry: this.deps.config.retry, now: at, random: this.deps.random };
    round.failAll([item], { ...outcome, message }, reschedule);
  }

  /** The record id the department answered with becomes a source reference of the dossier. */
  private async linkRecord(lane: Lane, item: Item, answer: unknown, round: Round): Promise<void> {
    let recordId: string;
    try {
      recordId = recordIdFromAnswer(lane.profile as DepartmentProfile, answer);
    } catch (error) {
      return round.dead(item, `bad answer: ${(error as Error).message}`, 'bad_answer');
    }
    const system = lane.destination.system;
    const ref = { dossierId: item.row.dossier_id, system, recordId };
    const now = this.deps.clock.now();
    const outcome = await this.deps.store.transaction((trx) => attachRecord(trx, ref, now));
    round.delivered([item], `accepted by the department as ${recordId} (${outcome})`);
  }

  /** Runs until stopped (`PollLoop`: sleeps `pollMs` when a round finds nothing to do). */
  start(): void {
    this.poller.start();
  }

  /** Asks for a round now. */
  poke(): void {
    this.poller.poke();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }
}
