/**
 * The poller (docs/departments.md, Pull): beside the forwarding worker, one `PollLoop` that gives every
 * destination registered with pull its round when it is due. After a round that moved the cursor the
 * next is due after the interval (at once when the feed has more); after a round that could not move it
 * (an outage: the feed down, failing or answering nonsense) the next waits a backoff with full jitter
 * that grows with each such round, capped by the retry settings. The interval is DEPARTMENT_POLL_SECONDS
 * when set, else the profile's own.
 */
import { profileNamed } from '../../mappings/departments/index.js';
import type { DeliveryConfig } from '../../schemas/config.js';
import { PollLoop } from '../transfers/poll-loop.js';
import { backoffDelay } from '../transfers/retry.js';
import { listDestinations } from './destination.store.js';
import { type PollDeps, pollDepartment } from './poll-department.js';

export interface PollerDeps extends PollDeps {
  config: Pick<DeliveryConfig, 'pollMs' | 'retry'>;
  /** Seconds between rounds; undefined: each profile's `poll.intervalSeconds`. */
  intervalSeconds?: number | undefined;
  random?: () => number;
}

/** When a destination's next round is due, and how many rounds in a row failed to move its cursor. */
interface Due {
  atMs: number;
  failures: number;
}

export class DepartmentPoller {
  /** Per destination, across rounds (like the forwarding worker's circuits). */
  private readonly due = new Map<string, Due>();

  private readonly loop: PollLoop;

  constructor(private readonly deps: PollerDeps) {
    this.loop = new PollLoop(() => this.tick(), {
      pollMs: deps.config.pollMs,
      logger: deps.logger,
      failure: 'department poll round failed',
    });
  }

  /** Gives every due destination its round; returns the changes taken or skipped. */
  async tick(): Promise<number> {
    const destinations = (await listDestinations(this.deps.store.db)).filter((d) => d.pull);
    let handled = 0;
    for (const destination of destinations) {
      const system = destination.system;
      const due = this.due.get(system) ?? { atMs: 0, failures: 0 };
      const now = this.deps.clock.now();
      if (due.atMs > now) continue;
      let next: Due;
      try {
        const round = await pollDepartment(this.deps, destination);
        handled += round.taken + round.bad;
        next =
          round.moved || !round.failure
            ? this.after(destination.profile, round.more, now)
            : this.backoff(due, now);
        if (round.failure && !round.moved)
          this.deps.logger.warn('department feed unavailable', {
            system,
            error: round.failure,
            failures: next.failures,
          });
      } catch (error) {
        // A storage failure mid-round: what was taken is committed, the rest is read again next time.
        next = this.backoff(due, now);
        this.deps.logger.error('department poll round failed', { system, error });
      }
      this.due.set(system, next);
    }
    return handled;
  }

  private after(profile: string, more: boolean, now: number): Due {
    const seconds = this.deps.intervalSeconds ?? profileNamed(profile)?.poll?.intervalSeconds ?? 60;
    return { atMs: more ? now : now + seconds * 1000, failures: 0 };
  }

  private backoff(due: Due, now: number): Due {
    const failures = due.failures + 1;
    return { atMs: now + backoffDelay(this.deps.config.retry, failures, this.deps.random), failures };
  }

  start(): void {
    this.loop.start();
  }

  /** Makes every destination due and asks for a round now. */
  poke(): void {
    this.due.clear();
    this.loop.poke();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
