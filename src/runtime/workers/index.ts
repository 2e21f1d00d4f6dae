/**
 * The Cloudflare Workers entry: the same Hono app as on Node, composed from Workers bindings.
 * Services are built once per isolate (config from the string vars, store over the D1 binding `DB`,
 * migrations applied once, swagger-ui assets from the static-assets binding `ASSETS`) and reused by
 * every request the isolate serves. Nothing here or in what it imports may use `node:` modules.
 */
import type { ExecutionContext } from 'hono';
import { type Config, parseConfig } from '../../../schemas/config.js';
import { type App, createApp } from '../../app.js';
import { missingYearWarning } from '../../calendar/calendar-data.js';
import { ClientService } from '../../clients/client.service.js';
import { dueRule } from '../../deadlines/due-rule.js';
import type { DocsAssets, Services } from '../../http/context.js';
import { ApiError, PROBLEM_CONTENT_TYPE, toProblem } from '../../http/errors.js';
import { systemClock } from '../../lib/time.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { assetContentType } from '../../ops/docs.routes.js';
import { createD1Store, type D1DatabaseLike } from '../../store/d1.js';
import { migrateToLatest } from '../../store/store.js';
import { sqlOutbox } from '../../transfers/outbox.js';
import { bundledCalendar } from './calendar.js';
import { bundledProcedureCatalogue } from './procedures.js';

/** The slice of a Workers `Fetcher` (the `ASSETS` binding) used here. */
export interface AssetsFetcher {
  fetch(request: Request): Promise<Response>;
}

/** The Worker's bindings: `DB` (D1), `ASSETS` (static assets) and string vars read by `parseConfig`. */
export interface WorkerEnv {
  DB: D1DatabaseLike;
  ASSETS: AssetsFetcher;
  [name: string]: unknown;
}

/** Only the string vars of the environment: bindings (DB, ASSETS, secrets as objects) are not config. */
export function stringVars(env: Record<string, unknown>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
  return vars;
}

/** Serves the swagger-ui files that `scripts/prepare-workers-assets.ts` put in the assets folder. */
export function workersDocsAssets(assets: AssetsFetcher): DocsAssets {
  return {
    async get(name) {
      const res = await assets.fetch(new Request(`https://assets.local/${encodeURIComponent(name)}`));
      if (!res.ok) return null;
      return { body: await res.arrayBuffer(), contentType: assetContentType(name) };
    },
  };
}

function consoleLogger(config: Config): Logger {
  return createLogger((line) => console.log(line), config.logLevel, {
    service: 'lienthong',
    runtime: 'workers',
  });
}

/**
 * Builds every service for this isolate. Migrations run here, once per isolate (a few D1 reads when
 * nothing is pending). Kysely's Migrator opens no transaction on the SQLite adapter, so it runs on D1
 * (with the `_cf_*`-aware introspector of `createD1Store`), but each statement commits on its own and
 * there is no migration lock: a migration interrupted half-way is not rolled back, and two isolates
 * starting on an empty database at once can race (the loser answers 503 and retries on its next request).
 */
export async function createWorkersServices(env: WorkerEnv): Promise<Services> {
  const config = parseConfig(stringVars(env));
  const logger = consoleLogger(config);
  const store = createD1Store(env.DB);
  const applied = await migrateToLatest(store.db);
  if (applied.length > 0) logger.info('migrations applied', { migrations: applied });
  const { calendar, years } = bundledCalendar();
  const missingYear = missingYearWarning(years, systemClock.now());
  if (missingYear) logger.warn(missingYear);
  if (typeof env.CALENDAR_DIR === 'string') {
    logger.warn('CALENDAR_DIR is ignored on Workers (no file system); the bundled year files are used');
  }
  if (config.adminUnitsPath) {
    logger.warn('ADMIN_UNITS_PATH is ignored on Workers (no file system); admin units are not checked');
  }
  const clock = systemClock;
  return {
    config,
    store,
    clock,
    logger,
    clients: new ClientService(store.db, clock),
    intake: {
      outbox: sqlOutbox,
      dedup: config.dedup,
      clock,
      adminUnits: undefined,
      postal: config.postal,
      // No start-up backfill here (docs/deadlines.md, Backfill): new writes carry their due instant.
      deadlines: dueRule(bundledProcedureCatalogue(), calendar),
    },
    docsAssets: workersDocsAssets(env.ASSETS),
    calendar,
  };
}

let app: Promise<App> | undefined;

/** The isolate's app, built on first use; a failed start is retried by the next request. */
function appFor(env: WorkerEnv): Promise<App> {
  if (!app) {
    app = createWorkersServices(env).then(createApp);
    app.catch(() => {
      app = undefined;
    });
  }
  return app;
}

/** An error and its causes as plain data for the log line. */
function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, cause: error.cause ? describe(error.cause) : undefined };
}

/** Answers 503 problem+json when the isolate could not start (bad config, migration failure). */
function startupFailure(request: Request, error: unknown): Response {
  const requestId = crypto.randomUUID();
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      msg: 'the gateway could not start',
      service: 'lienthong',
      runtime: 'workers',
      requestId,
      error: describe(error),
    }),
  );
  const problem = toProblem(
    new ApiError('service_unavailable', 'the gateway could not start; the operators have the details'),
    new URL(request.url).pathname,
    requestId,
  );
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'X-Request-Id': requestId },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let gateway: App;
    try {
      gateway = await appFor(env);
    } catch (error) {
      return startupFailure(request, error);
    }
    return gateway.fetch(request, env, ctx);
  },
};
