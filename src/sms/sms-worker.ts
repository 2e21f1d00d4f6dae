/**
 * The SMS delivery worker: a lane of its own for destination `sms`, beside the portal's worker, with the
 * same store functions (claim with a lease, finish, the attempt log via `recordAttempts`), retry policy
 * and circuit breaker (docs/sms.md, Delivery). Each claimed notice is one provider call. Inside the quiet
 * hours a claimed notice is not sent: its next attempt moves to the window's end, uncounted, so nothing
 * polls through the night. A 4xx refusal is a dead letter (operators can replay it), a 429 pauses the
 * worker until Retry-After, other outages are retried with backoff and open the circuit.
 */

import type { DeliveryConfig } from '../../schemas/config.js';
import { type SmsPayload, SmsPayloadSchema } from '../../schemas/sms.js';
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
import { parseQuietHours, type QuietHours, quietUntil } from './quiet-hours.js';
import type { SmsPort } from './sms.port.js';

export interface SmsWorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  sms: SmsPort;
  config: Pick<DeliveryConfig, 'concurrency' | 'leaseMs' | 'pollMs' | 'retry' | 'circuit'>;
  /** SMS_QUIET_HOURS: `HH:MM-HH:MM` (Vietnam time) or `off`. */
  quietHours: string;
  owner: string;
  random?: () => number;
}

const DESTINATION = 'sms';
/** Notices claimed per round. */
const ROUND_SIZE = 50;

export class SmsWorker {
  readonly circuit: CircuitBreaker;
  private readonly quiet: QuietHours;
  private pausedUntil = 0;
  private readonly poller: PollLoop;

  constructor(private readonly deps: SmsWorkerDeps) {
    this.circuit = new CircuitBreaker(deps.store, DESTINATION, deps.config.circuit, deps.config.leaseMs);
    const quiet = parseQuietHours(deps.quietHours);
    if (!quiet) throw new Error(`SMS quiet hours "${deps.quietHours}" cannot be read`);
    this.quiet = quiet;
    this.poller = new PollLoop(() => this.tick(), {
      pollMs: deps.config.pollMs,
      logger: deps.logger,
      failure: 'SMS delivery round failed',
    });
  }

  /** One round: claim due notices, send each (or hold it until the quiet hours end), record them. */
  async tick(): Promise<number> {
    const { store, clock, config, owner } = this.deps;
    const now = clock.now();
    if (now < this.pausedUntil) return 0;
    const claimed = await claimRound(store.db, this.circuit, {
      destination: DESTINATION,
      owner,
      now,
      leaseMs: config.leaseMs,
      limit: ROUND_SIZE,
    });
    if (claimed.length === 0) return 0;
    const round = new Round();
    const queue = [...claimed];
    const lane = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await this.deliver(row, round);
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, claimed.length) }, lane));
    await recordAttempts(this.deps, claimed, round);
    return claimed.length;
  }

  /** Sends one claimed notice and puts its result into the round. */
  private async deliver(row: TransferRow, round: Round): Promise<void> {
    let payload: SmsPayload;
    try {
      payload = SmsPayloadSchema.parse(JSON.parse(row.payload));
    } catch (error) {
      round.unmappable(row, error as Error, 'an SMS text');
      return;
    }
    const item: Item = { row, code: payload.code, wire: payload };
    const now = this.deps.clock.now();
    const until = quietUntil(this.quiet, now);
    if (until !== undefined) return round.postpone(item, until, 'quiet hours');
    if (now < this.pausedUntil) return; // rate limited meanwhile: goes back unattempted
    const t0 = performance.now();
    const { to, text, encoding, reference } = payload;
    const outcome = await this.deps.sms.send({ to, text, encoding, reference });
    round.spend([item], Math.round(performance.now() - t0));
    const at = this.deps.clock.now();
    if (outcome.kind === 'accepted') {
      await this.circuit.success(at);
      return round.delivered([item], `accepted by the provider as ${outcome.providerId}`);
    }
    // The provider's words may echo the number: masked before they are stored or logged.
    const message = maskText(outcome.message);
    if (outcome.kind === 'refused') {
      await this.circuit.success(at);
      return round.dead(item, `provider refused the message: ${message}`, String(outcome.status));
    }
    if (outcome.status === 429) {
      this.pausedUntil = Math.max(
        this.pausedUntil,
        at + (outcome.retryAfterMs ?? this.deps.config.retry.baseMs),
      );
    } else if ((await this.circuit.failure(at, message, false)) === 'open') {
      this.deps.logger.warn('SMS provider unreachable: circuit opened', {
        destination: DESTINATION,
        error: message,
      });
    }
    const reschedule = { retry: this.deps.config.retry, now: at, random: this.deps.random };
    round.failAll([item], { ...outcome, message }, reschedule);
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
