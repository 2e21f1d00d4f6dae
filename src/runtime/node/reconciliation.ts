/**
 * Scheduled reconciliation runs on Node (docs/reconciliation.md): every RECONCILIATION_EVERY_SECONDS
 * (0: none) a run starts, unless one is still running, and goes to its end before the next is
 * considered. The first one starts one period after the start. Workers have no schedule (on demand only).
 */
import type { ReconciliationConfig } from '../../../schemas/config.js';
import type { WorkingCalendar } from '../../calendar/calendar.js';
import { Conflict } from '../../lib/errors.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../log/logger.js';
import { runReconciliation } from '../../reconciliation/run-reconciliation.js';
import { startRun } from '../../reconciliation/start-run.js';
import type { Store } from '../../store/store.js';
import type { PortalLookupPort } from '../../transfers/portal.port.js';

export interface ScheduleDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: ReconciliationConfig;
  portal: PortalLookupPort | undefined;
  calendar: WorkingCalendar | undefined;
}

export interface Schedule {
  stop(): Promise<void>;
}

export function scheduleReconciliation(deps: ScheduleDeps): Schedule {
  const { store, clock, logger, config, portal, calendar } = deps;
  if (config.everyMs === 0) return { stop: async () => {} };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const ctx = { store, clock, config, portal, calendar };
  const round = async () => {
    try {
      const run = await startRun(store.db, ctx, { trigger: 'schedule', requestedBy: 'gateway:schedule' });
      const done = await runReconciliation(ctx, run);
      logger.info('reconciliation run', {
        id: done.id,
        state: done.state,
        portal: done.portal,
        compared: done.dossiersCompared,
        opened: done.counts.opened,
        closed: done.counts.closed,
      });
    } catch (error) {
      if (error instanceof Conflict) return;
      logger.warn('reconciliation run not started', { error: (error as Error).message });
    }
  };
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(loop);
    }, config.everyMs);
    timer.unref?.();
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
