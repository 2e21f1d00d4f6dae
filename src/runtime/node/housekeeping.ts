/**
 * The Node runtime's background loop: every second it signs a checkpoint of the reconciliation log once
 * LOG_CHECKPOINT_EVERY entries follow the last one, and every hour (and at start) it runs the retention
 * job. At stop it waits for a round in progress and signs a last checkpoint over whatever was appended
 * since the one before, so every clean shutdown leaves the whole log anchored (docs/privacy.md).
 */
import type { Config } from '../../../schemas/config.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../log/logger.js';
import { runRetention } from '../../privacy/retention.js';
import { type AnchorOutcome, anchorLog, type LogKey } from '../../reconciliation/log.js';
import type { Store } from '../../store/store.js';

export interface HousekeepingDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: Config;
  logKey: LogKey | undefined;
}

export interface Housekeeping {
  /** One round: a checkpoint when due, the retention job when due. */
  tick(): Promise<void>;
  /** Stops the loop and signs the last checkpoint. */
  stop(): Promise<void>;
}

export interface HousekeepingOptions {
  everyMs?: number;
  retentionEveryMs?: number;
  /** Start the timer (default); tests call `tick` themselves. */
  run?: boolean;
}

export function startHousekeeping(deps: HousekeepingDeps, o: HousekeepingOptions = {}): Housekeeping {
  const { store, clock, logger, config, logKey } = deps;
  const everyMs = o.everyMs ?? 1_000;
  const retentionEveryMs = o.retentionEveryMs ?? 3_600_000;
  let lastRetention = Number.NEGATIVE_INFINITY;
  let lastRefusal = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const report = (outcome: AnchorOutcome) => {
    if (outcome.kind === 'written') {
      const { seq, entryId, entryHash, mac } = outcome.checkpoint;
      lastRefusal = '';
      // Also a record outside the database: compare its seq with what `log verify` reports.
      logger.info('reconciliation log checkpoint', { seq, entryId, entryHash, mac });
    } else if (outcome.kind === 'refused' && outcome.reason !== lastRefusal) {
      lastRefusal = outcome.reason;
      logger.error('reconciliation log not anchored: it does not extend its last checkpoint', {
        reason: outcome.reason,
      });
    }
  };
  const anchor = async (force: boolean) => {
    if (!logKey) return;
    report(await anchorLog(store, logKey, { now: clock.now(), every: config.logAnchor.every, force }));
  };
  const retention = async () => {
    const now = clock.now();
    if (now - lastRetention < retentionEveryMs) return;
    lastRetention = now;
    const policy = { idempotencyMs: config.idempotencyTtlMs, rawMs: config.retention.rawMs };
    const result = await runRetention(store, policy, now);
    if (result.idempotencyKeys + result.transferPayloads > 0) logger.info('retention', { ...result });
  };
  const tick = async () => {
    try {
      await anchor(false);
      await retention();
    } catch (error) {
      logger.warn('housekeeping round failed', { error: (error as Error).message });
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, everyMs);
      timer?.unref?.();
    });
  };
  if (o.run !== false) loop();
  return {
    tick: () => tick(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      try {
        await anchor(true);
      } catch (error) {
        logger.error('no checkpoint at shutdown', { error: (error as Error).message });
      }
    },
  };
}
