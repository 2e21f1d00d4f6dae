/**
 * What the postal use cases receive: the unit of work (as every intake use case has it) and the postal
 * client calling. The settings come from the intake dependencies (`deps.postal`).
 */
import { DEFAULT_POSTAL, type PostalConfig } from '../../schemas/config.js';
import type { Principal } from '../clients/client.service.js';
import type { WriteContext } from '../intake/intake.context.js';

export interface PostalContext extends WriteContext {
  /** The postal client; its id owns the leases and the accepted jobs. */
  principal: Principal;
}

export function postalConfig(ctx: WriteContext): PostalConfig {
  return ctx.deps.postal ?? DEFAULT_POSTAL;
}
