/**
 * One delivery round's own state: what each claimed transfer came to and how long the portal calls that
 * carried it took. A round is created by `TransferWorker.tick` and passed down to everything the round
 * does, so rounds running at the same time in different lanes never share or reset each other's figures.
 */
import type { TransferRow } from '../store/tables.js';
import type { PortalOutcome } from './portal.port.js';
import { nextAttemptAt, type RetryPolicy } from './retry.js';
import type { Finish } from './transfer.store.js';

/** A claimed transfer ready to send: its row, its portal code and its wire object. */
export interface Item {
  row: TransferRow;
  code: string;
  wire: unknown;
}

/** What one attempt came to: how to finish the row, and what the reconciliation log says about it. */
export interface Result {
  finish: Finish;
  outcome: string;
  detail: string;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
}

/** How a failed batch is rescheduled: the retry policy, the time now and the jitter source. */
export interface Reschedule {
  retry: RetryPolicy;
  now: number;
  random?: (() => number) | undefined;
}

export class Round {
  /** Result per transfer id. */
  readonly results = new Map<number, Result>();

  /** @param spent milliseconds spent in portal calls per transfer id, within this round */
  constructor(readonly spent = new Map<number, number>()) {}

  /** A side round whose results are not recorded (a dossier sync resent before its progress). */
  scratch(): Round {
    return new Round(this.spent);
  }

  /** Adds a call's duration to every transfer it carried (for the reconciliation log). */
  spend(batch: Item[], ms: number): void {
    for (const item of batch) this.spent.set(item.row.id, (this.spent.get(item.row.id) ?? 0) + ms);
  }

  delivered(batch: Item[], detail: string): void {
    for (const item of batch)
      this.results.set(item.row.id, {
        finish: { state: 'delivered' },
        outcome: 'delivered',
        detail,
        errorCode: '00',
      });
  }

  dead(item: Item, reason: string, errorCode: string): void {
    this.results.set(item.row.id, {
      finish: { state: 'dead', error: reason },
      outcome: 'dead',
      detail: reason,
      errorCode,
    });
  }

  /** Not attempted, due again at `at` (an SMS notice inside the quiet hours); no attempt is counted. */
  postpone(item: Item, at: number, reason: string): void {
    this.results.set(item.row.id, {
      finish: { state: 'pending', nextAttemptAt: at, error: reason, countAttempt: false },
      outcome: 'released',
      detail: reason,
    });
  }

  /**
   * A transfer whose payload cannot be mapped to its destination's format (`target`: the portal's, an
   * SMS text, a department's profile) is dead at once.
   */
  unmappable(row: TransferRow, error: Error, target = 'the portal format'): void {
    this.results.set(row.id, {
      finish: { state: 'dead', error: `cannot map to ${target}: ${error.message}` },
      outcome: 'dead',
      detail: 'mapping failed',
    });
  }

  /** A failed call: every transfer it carried is rescheduled, or dead when its attempts or age ran out. */
  failAll(batch: Item[], outcome: PortalOutcome, r: Reschedule): void {
    for (const item of batch) {
      if (outcome.kind === 'config_fault') {
        this.results.set(item.row.id, {
          finish: {
            state: 'pending',
            nextAttemptAt: r.now,
            error: `${outcome.errorCode} ${outcome.message}`,
            countAttempt: false,
          },
          outcome: 'config_fault',
          detail: outcome.message,
          errorCode: outcome.errorCode,
        });
        continue;
      }
      const message = outcome.kind === 'outage' ? outcome.message : `unexpected answer ${outcome.kind}`;
      const retryAfter = outcome.kind === 'outage' ? outcome.retryAfterMs : undefined;
      const attempts = item.row.attempts + 1;
      const at = nextAttemptAt(
        r.retry,
        { attempts, createdAtMs: item.row.created_at_ms },
        r.now,
        retryAfter,
        r.random,
      );
      this.results.set(item.row.id, {
        finish:
          at === undefined
            ? { state: 'dead', error: `gave up after ${attempts} attempts: ${message}` }
            : { state: 'pending', nextAttemptAt: at, error: message, countAttempt: true },
        outcome: at === undefined ? 'dead' : 'retry',
        detail: message,
        httpStatus: outcome.kind === 'outage' ? outcome.status : undefined,
      });
    }
  }

  /** The result of a claimed transfer; one this round never attempted goes back to the queue. */
  resultOf(row: TransferRow, now: number): Result {
    return (
      this.results.get(row.id) ?? {
        finish: { state: 'pending', nextAttemptAt: now, error: 'not attempted', countAttempt: false },
        outcome: 'released',
        detail: 'not attempted in this round',
      }
    );
  }
}
