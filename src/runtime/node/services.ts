/**
 * The Node composition root: picks the real implementations (SQLite file, stdout logs, assets from
 * the installed swagger-ui-dist package) and wires them into the services the app receives.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../../../schemas/config.js';
import type { WorkingCalendar } from '../../calendar/calendar.js';
import { missingYearWarning } from '../../calendar/calendar-data.js';
import { ClientService } from '../../clients/client.service.js';
import { backfillDue } from '../../deadlines/backfill-due.js';
import { dueRule } from '../../deadlines/due-rule.js';
import type { DocsAssets, Services } from '../../http/context.js';
import { registerBoot } from '../../idempotency/boot.js';
import { type AdminUnits, adminUnitsFrom } from '../../intake/admin-units.js';
import { type Clock, systemClock } from '../../lib/time.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { assetContentType } from '../../ops/docs.routes.js';
import { createPrometheusMetrics } from '../../ops/prometheus.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { migrateToLatest, type Store } from '../../store/store.js';
import { type Outbox, sqlOutbox } from '../../transfers/outbox.js';
import { loadCalendar } from './calendar.js';
import { type LoadedLogKey, loadLogKey } from './log-key.js';
import { loadProcedureCatalogue } from './procedures.js';
import { loadSmsSettings } from './sms.js';
import { writeStdoutLine } from './stdout.js';

/** Serves swagger-ui assets from the installed package: no network needed. */
export function nodeDocsAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const folder = dirname(require.resolve('swagger-ui-dist/package.json'));
  return {
    async get(name) {
      try {
        return {
          body: new Uint8Array(await readFile(join(folder, name))),
          contentType: assetContentType(name),
        };
      } catch {
        return null;
      }
    },
  };
}

/** Loads the admin-units catalogue when one is configured. */
export function loadAdminUnits(path: string | undefined): AdminUnits | undefined {
  if (!path) return undefined;
  try {
    return adminUnitsFrom(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`ADMIN_UNITS_PATH: cannot load the catalogue at ${path}: ${(error as Error).message}`);
  }
}

export function stdoutLogger(config: Config): Logger {
  return createLogger(writeStdoutLine, config.logLevel, { service: 'lienthong' });
}

export interface NodeServiceOverrides {
  store?: Store;
  logger?: Logger;
  clock?: Clock;
  outbox?: Outbox;
  calendar?: WorkingCalendar;
}

/** The services, and the reconciliation log's key (it signs checkpoints; see `log-key.ts`). */
export type NodeServices = Services & { logKey: LoadedLogKey | undefined };

/** Opens the store, applies migrations, loads the log's key and builds every service. */
export async function createNodeServices(
  config: Config,
  overrides: NodeServiceOverrides = {},
): Promise<NodeServices> {
  const logger = overrides.logger ?? stdoutLogger(config);
  // Checked before anything opens: a bad year file stops the start (docs/calendar.md).
  const loaded = overrides.calendar ? { calendar: overrides.calendar } : loadCalendar(config.calendarDir);
  const deadlines = dueRule(loadProcedureCatalogue(config.proceduresPath), loaded.calendar);
  const store =
    overrides.store ??
    openSqliteStore(config.dbPath, {
      groupCommit: true,
      checkpointEveryMs: 1_000,
      onCheckpointError: (error) => logger.warn('WAL checkpoint failed', { error }),
    });
  await migrateToLatest(store.db);
  const backfilled = await backfillDue(store, deadlines);
  if (backfilled > 0) logger.info('computed due dates stored', { dossiers: backfilled });
  const logKey = loadLogKey(config, { create: true });
  const clock = overrides.clock ?? systemClock;
  const missingYear = 'years' in loaded ? missingYearWarning(loaded.years, clock.now()) : undefined;
  if (missingYear) logger.warn(missingYear, { calendarDir: config.calendarDir });
  // This process's boot: `main.ts` keeps it alive, and ends it at a clean shutdown.
  const boot = await registerBoot(store.db, clock.now(), process.pid, hostname());
  return {
    config,
    store,
    clock,
    logger,
    clients: new ClientService(store.db, clock),
    intake: {
      outbox: overrides.outbox ?? sqlOutbox,
      dedup: config.dedup,
      clock,
      adminUnits: loadAdminUnits(config.adminUnitsPath),
      logKey: logKey?.key,
      sms: loadSmsSettings(config, logKey?.key),
      postal: config.postal,
      deadlines,
    },
    docsAssets: nodeDocsAssets(),
    calendar: loaded.calendar,
    // One registry per app instance (tests run several side by side): docs/reconciliation.md, Metrics.
    metrics: await createPrometheusMetrics(store.db, clock),
    logKey,
    boot,
  };
}
