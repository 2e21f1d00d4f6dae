/**
 * What the SMS worker needs from the SMS provider, declared where it is used. The real implementation
 * is `adapters/sms/client.ts`; sandbox mode and tests point it at `adapters/sms/simulator.ts`. Answers
 * are classified once, in the adapter (docs/sms.md, Provider).
 */
import type { SmsOutcome, SmsProviderRequest } from '../../schemas/sms.js';

export interface SmsPort {
  send(message: SmsProviderRequest): Promise<SmsOutcome>;
}
