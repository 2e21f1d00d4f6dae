/**
 * `npm run worker`: a delivery worker on its own, beside (or instead of) the one inside `npm start`.
 * Several can run at once on the same database: claims are leased, so no transfer goes out twice at
 * the same time, and a killed worker's claims come back when their lease ends.
 */
import { ConfigError, parseConfig } from '../../../schemas/config.js';
import { systemClock } from '../../lib/time.js';
import { createLogger } from '../../log/logger.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { migrateToLatest } from '../../store/store.js';
import { startDelivery } from './delivery.js';
import { writeStdoutLine } from './stdout.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
    if (!config.portal)
      throw new ConfigError([
        'PORTAL_URL: a standalone worker needs the portal (or a simulator) to deliver to',
      ]);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lienthong worker: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(writeStdoutLine, config.logLevel, {
    service: 'lienthong-worker',
  });
  const store = openSqliteStore(config.dbPath);
  await migrateToLatest(store.db);
  const delivery = await startDelivery(config, { store, clock: systemClock, logger });
  process.stdout.write(
    `${JSON.stringify({ msg: 'worker started', portal: delivery.portalUrl, pid: process.pid })}\n`,
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await delivery.stop();
    await store.close();
    process.stdout.write(`${JSON.stringify({ msg: 'worker stopped', signal })}\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `lienthong worker: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
