/**
 * Delivery wiring for Node: the portal adapter (or, in sandbox mode, the portal simulator on a loopback
 * port behind the same adapter) and the transfer worker. Used by `npm start` and by `npm run worker`.
 */
import { hostname } from 'node:os';
import { createDepartmentClient } from '../../../adapters/departments/rest-client.js';
import { createPortalClient } from '../../../adapters/portal/client.js';
import { startPortalSimulator } from '../../../adapters/portal/simulator.js';
import { createPortalMapper } from '../../../mappings/portal/index.js';
import type { Config } from '../../../schemas/config.js';
import { ForwardWorker } from '../../departments/forward-worker.js';
import { randomToken } from '../../lib/crypto.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/store.js';
import type { PortalLookupPort, PortalPort } from '../../transfers/portal.port.js';
import { TransferWorker } from '../../transfers/worker.js';
import { type SmsDelivery, startSmsDelivery } from './sms.js';

export interface Delivery {
  worker: TransferWorker;
  /** The portal client, also used by reconciliation runs' TraCuuHoSo (docs/reconciliation.md). */
  portal: PortalPort & PortalLookupPort;
  portalUrl: string;
  sandbox: boolean;
  /** The SMS worker (and its simulator in sandbox mode) when SMS_ENABLED (docs/sms.md). */
  sms: SmsDelivery | undefined;
  /** Forwarding to the registered departmental destinations (docs/departments.md). */
  forwarder: ForwardWorker;
  stop(): Promise<void>;
}

/** Starts the worker against the configured portal, or against a simulator in sandbox mode. */
export async function startDelivery(
  config: Config,
  deps: { store: Store; clock: Clock; logger: Logger },
  options: { owner?: string; run?: boolean } = {},
): Promise<Delivery> {
  let portal = config.portal;
  let closeSimulator: (() => Promise<void>) | undefined;
  if (!portal) {
    const credentials = { username: 'sandbox', password: randomToken(12) };
    const { authPath, integrationPath } = config.portalWire;
    const simulator = await startPortalSimulator({
      host: '127.0.0.1',
      port: 0,
      ...credentials,
      authPath,
      integrationPath,
    });
    closeSimulator = () => simulator.close();
    portal = { url: simulator.url, ...credentials, dstcode: 'SANDBOX', madonvi: '000.00.00.H24' };
    deps.logger.info('portal simulator started (sandbox mode)', { url: simulator.url });
  }
  // The portal settings where public clients disagree (docs/portal-contract.md) reach the client and worker.
  const client: PortalPort & PortalLookupPort = createPortalClient({
    ...portal,
    ...config.portalWire,
    timeoutMs: config.delivery.portalTimeoutMs,
    now: () => deps.clock.now(),
  });
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomToken(4)}`;
  const worker = new TransferWorker({
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    portal: client,
    mapper: createPortalMapper(config.portalMapping),
    config: { ...config.delivery, syncBatchSize: config.portalWire.syncBatchSize },
    owner,
  });
  if (options.run !== false) worker.start();
  const sms = await startSmsDelivery(config, deps, { owner, run: options.run });
  const forwarder = new ForwardWorker({
    ...deps,
    department: createDepartmentClient({ timeoutMs: config.delivery.portalTimeoutMs }),
    config: config.delivery,
    owner,
  });
  if (options.run !== false) forwarder.start();
  return {
    worker,
    portal: client,
    portalUrl: portal.url,
    sandbox: closeSimulator !== undefined,
    sms,
    forwarder,
    async stop() {
      await worker.stop();
      await forwarder.stop();
      await sms?.stop();
      await closeSimulator?.();
    },
  };
}
