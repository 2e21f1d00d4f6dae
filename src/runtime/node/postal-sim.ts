/**
 * Sandbox mode's postal client (docs/postal.md): once the gateway listens, a postal client key of its
 * own (a `demo: ` client, revoked with the others) and the simulator of `adapters/postal/` pulling jobs
 * over HTTP. Off with SANDBOX_POSTAL_SIMULATOR=false, and whenever a real portal is configured.
 */
import { createPostalSimulator, type PostalSimulator } from '../../../adapters/postal/simulator.js';
import type { Config } from '../../../schemas/config.js';
import type { Clients } from '../../clients/client.js';
import type { Logger } from '../../log/logger.js';

export interface SandboxPostal {
  /** Starts pulling from the gateway at `url` (no-op when switched off). */
  start(url: string): Promise<void>;
  stop(): Promise<void>;
}

export function sandboxPostal(config: Config, clients: Clients, logger: Logger): SandboxPostal {
  let simulator: PostalSimulator | undefined;
  return {
    async start(url) {
      if (!config.sandbox || !config.postal.sandboxSimulator) return;
      const client = await clients.add({
        name: 'demo: postal client simulator',
        role: 'postal',
        agencies: [],
      });
      simulator = createPostalSimulator({
        url,
        key: client.key,
        onError: (error) => logger.warn('postal simulator round failed', { error }),
      });
      logger.info('postal client simulator started (sandbox mode)', { gateway: url });
    },
    async stop() {
      await simulator?.stop();
    },
  };
}
