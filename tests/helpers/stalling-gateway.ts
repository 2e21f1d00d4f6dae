/**
 * A gateway process whose requests never finish their work: the composition of `npm start` (the Node
 * services on DB_PATH, the app, a server on 127.0.0.1, the boot's heartbeat), except that after the
 * first unit of work (the Idempotency-Key's reservation) every unit of work waits forever, outside any
 * SQLite transaction. So a request holds its key while the process stays alive and keeps beating, until
 * the test kills it (SIGKILL: a crash) or stops it (SIGTERM: a clean shutdown, which ends its boot).
 * Prints one JSON line `{ url, boot, pid }` once it listens.
 */
import { serve } from '@hono/node-server';
import { parseConfig } from '../../schemas/config.js';
import { createApp } from '../../src/app.js';
import { keepBootAlive } from '../../src/idempotency/boot.js';
import { createNodeServices } from '../../src/runtime/node/services.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

const config = parseConfig(process.env);
const store = openSqliteStore(config.dbPath);
let units = 0;
const stalling: Store = {
  ...store,
  transaction: (fn) => {
    units += 1;
    return units === 1 ? store.transaction(fn) : new Promise(() => undefined);
  },
};
const services = await createNodeServices(config, { store: stalling });
const boot = services.boot;
if (!boot) throw new Error('no boot');
const heartbeat = keepBootAlive(store, boot, services.clock, (error) => {
  process.stderr.write(`heartbeat failed: ${String(error)}\n`);
});
const server = serve({ fetch: createApp(services).fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${info.port}`, boot: boot.id, pid: process.pid })}\n`,
  );
});
process.on('SIGTERM', async () => {
  await heartbeat.stop();
  if ('closeAllConnections' in server) server.closeAllConnections();
  await store.close();
  process.exit(0);
});
