/**
 * SMS wiring for Node: the notice settings (the template file read and checked at start) and the SMS
 * delivery worker against the configured provider, or the provider simulator in sandbox mode
 * (docs/sms.md).
 */
import { readFileSync } from 'node:fs';
import { createSmsClient } from '../../../adapters/sms/client.js';
import { type SmsSimulator, startSmsSimulator } from '../../../adapters/sms/simulator.js';
import type { Config } from '../../../schemas/config.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../log/logger.js';
import type { LogKey } from '../../reconciliation/log-key.js';
import { type SmsSettings, SmsSettingsError, smsSettings } from '../../sms/settings.js';
import { SmsWorker } from '../../sms/sms-worker.js';
import type { Store } from '../../store/store.js';

/** The notice settings when SMS_ENABLED, else undefined; a bad template file throws at start. */
export function loadSmsSettings(config: Config, logKey: LogKey | undefined): SmsSettings | undefined {
  if (!config.sms.enabled) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(config.sms.templatesPath, 'utf8'));
  } catch (error) {
    throw new SmsSettingsError(
      `SMS_TEMPLATES_PATH: cannot read ${config.sms.templatesPath}: ${(error as Error).message}`,
    );
  }
  return smsSettings(config.sms, json, logKey);
}

export interface SmsDelivery {
  worker: SmsWorker;
  providerUrl: string;
  simulator: SmsSimulator | undefined;
  stop(): Promise<void>;
}

/** Starts the SMS worker when SMS_ENABLED; in sandbox (no SMS_PROVIDER_URL) against the simulator. */
export async function startSmsDelivery(
  config: Config,
  deps: { store: Store; clock: Clock; logger: Logger },
  options: { owner: string; run?: boolean },
): Promise<SmsDelivery | undefined> {
  if (!config.sms.enabled) return undefined;
  let provider = config.sms.provider;
  let simulator: SmsSimulator | undefined;
  if (!provider) {
    simulator = await startSmsSimulator({ host: '127.0.0.1', port: 0, token: 'sandbox' });
    provider = { url: simulator.url, token: 'sandbox' };
    deps.logger.info('SMS provider simulator started (sandbox mode)', { url: simulator.url });
  }
  const worker = new SmsWorker({
    ...deps,
    sms: createSmsClient({ ...provider, timeoutMs: config.sms.timeoutMs }),
    config: config.delivery,
    quietHours: config.sms.quietHours,
    owner: `${options.owner}:sms`,
  });
  if (options.run !== false) worker.start();
  return {
    worker,
    providerUrl: provider.url,
    simulator,
    async stop() {
      await worker.stop();
      await simulator?.close();
    },
  };
}
