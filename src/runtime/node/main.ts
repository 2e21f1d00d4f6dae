/**
 * `npm start`: parse the environment, migrate, listen on HOST:PORT, and shut down gracefully on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the database).
 */
import { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { type Config, ConfigError, parseConfig } from '../../../schemas/config.js';
import { createApp } from '../../app.js';
import { keepBootAlive } from '../../idempotency/boot.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { attachSoap } from '../../soap/soap.server.js';
import { type Delivery, startDelivery } from './delivery.js';
import { startHousekeeping } from './housekeeping.js';
import { sandboxPostal } from './postal-sim.js';
import { scheduleReconciliation } from './reconciliation.js';
import { createDemoClients, revokeDemoClients, sandboxBanner } from './sandbox.js';
import { type SandboxDepartments, startSandboxDepartments } from './sandbox-departments.js';
import { createNodeServices, type NodeServices } from './services.js';
import { writeStdoutLine } from './stdout.js';

/**
 * Sandbox mode's demo keys, then the departmental simulators (after the keys: creating those revokes
 * every earlier `demo: ` key, the simulators' too), then the banner saying where everything is.
 */
async function sandboxStart(
  config: Config,
  services: NodeServices,
  delivery: Delivery | undefined,
  logger: Logger,
): Promise<SandboxDepartments | undefined> {
  if (!config.sandbox || !config.sandboxDemoClients) return undefined;
  const demo = await createDemoClients(services.clients);
  const departments = await startSandboxDepartments({ ...services, logger }).catch((error: unknown) => {
    logger.warn('departmental simulators not started', { error });
    return undefined;
  });
  const portalSim = delivery?.sandbox ? delivery.portalUrl : undefined;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const gatewayUrl = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  process.stdout.write(
    sandboxBanner(demo, portalSim, delivery?.sms?.simulator?.url, departments?.urls, gatewayUrl),
  );
  return departments;
}

/** Reconciliation runs on a schedule, with the delivery's portal client (docs/reconciliation.md); the metrics warning. */
function startOperations(services: NodeServices, delivery: Delivery | undefined, logger: Logger) {
  const { config } = services;
  services.portal = delivery?.portal;
  if (!config.sandbox && !config.metricsToken) {
    logger.warn(
      '/metrics is open to anyone who reaches this port: set METRICS_TOKEN, or keep the port private',
    );
  }
  return scheduleReconciliation({
    store: services.store,
    clock: services.clock,
    logger,
    config: config.reconciliation,
    portal: services.portal,
    calendar: services.calendar,
  });
}

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lienthong: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const services = await createNodeServices(config);
  // Start, stop and shutdown lines are always written, whatever LOG_LEVEL says: operators rely on them.
  const logger = createLogger(writeStdoutLine, 'info', { service: 'lienthong' });
  const app = createApp(services);
  const { logKey } = services;
  if (logKey?.created) {
    logger.warn(
      'sandbox mode: a key for the reconciliation log checkpoints was generated next to the database',
      {
        path: logKey.path,
      },
    );
  } else if (!logKey) {
    logger.warn(
      'the reconciliation log is not anchored: set LOG_CHECKPOINT_KEY or LOG_CHECKPOINT_KEY_FILE, or log verify cannot tell a deleted tail or a recomputed chain',
    );
  }
  // While this process runs, the Idempotency-Keys it reserves stay locked; once it is gone, they are not.
  const heartbeat = services.boot
    ? keepBootAlive(services.store, services.boot, services.clock, (error) =>
        logger.warn('boot heartbeat failed', { error }),
      )
    : undefined;

  if (!config.sandbox) {
    // Demo keys are for sandbox mode only: once a real portal is configured they stop working.
    const revoked = await revokeDemoClients(services.clients);
    if (revoked > 0) logger.warn('demo clients revoked: a real portal is configured', { revoked });
  }
  const delivery = config.delivery.workerEnabled
    ? await startDelivery(config, { ...services, secrets: services.destinationSecrets })
    : undefined;
  const reconciliation = startOperations(services, delivery, logger);
  const departments = await sandboxStart(config, services, delivery, logger);

  const housekeeping = startHousekeeping({
    store: services.store,
    clock: services.clock,
    logger,
    config,
    logKey: logKey?.key,
  });

  const postal = sandboxPostal(config, services.clients, logger);
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    postal.start(url).catch((error: unknown) => logger.warn('postal simulator not started', { error }));
    departments?.connect(url);
    logger.info('listening', {
      url,
      db: config.dbPath,
      sandbox: config.sandbox,
      docs: '/docs',
      soap: '/soap/lienthong?wsdl',
    });
  });

  // SOAP for legacy software is served by the same server, ahead of Hono (docs/soap.md).
  if (server instanceof HttpServer) attachSoap(server, services);

  // Outlive the keep-alive of clients and proxies, so they never reuse a socket the server just closed.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; closing remaining connections', {
        timeoutMs: config.shutdownTimeoutMs,
      });
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    timer.unref();
    const postalStopped = postal.stop(); // no new rounds against a server that is closing
    server.close(async () => {
      await postalStopped;
      await departments?.stop();
      await reconciliation.stop();
      await delivery?.stop();
      await housekeeping.stop(); // after the worker's last log entries: the checkpoint covers them
      await heartbeat?.stop().catch((error: unknown) => logger.warn('boot not ended', { error }));
      await services.store.close();
      logger.info('stopped', { signal });
      process.exit(0);
    });
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A configuration refused once the database is open (e.g. DESTINATION_SECRET_KEY): its words only.
  if (error instanceof ConfigError) {
    process.stderr.write(`lienthong: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `lienthong: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
