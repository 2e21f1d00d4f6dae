/**
 * The run loop of a single-lane delivery worker (SMS, departmental forwarding): runs `round` until
 * stopped, sleeps `pollMs` when a round found nothing to do, and wakes at once when poked
 * (docs/architecture.md, "A delivery, through the files"). A failed round is logged and the loop goes on.
 */
import type { Logger } from '../log/logger.js';

export class PollLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly round: () => Promise<number>,
    private readonly options: { pollMs: number; logger: Logger; failure: string },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks for a round now. */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.round();
      } catch (error) {
        this.options.logger.error(this.options.failure, { error });
      }
      if (handled === 0 && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
