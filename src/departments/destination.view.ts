/** A destination as the API and the CLI show it: never its credentials (docs/privacy.md). */
import type { DestinationView } from '../../schemas/departments.js';
import { toVnIso } from '../lib/time.js';
import type { DestinationRecord } from './destination.store.js';

export function toDestinationView(d: DestinationRecord): DestinationView {
  return {
    system: d.system,
    profile: d.profile,
    baseUrl: d.baseUrl,
    agencies: d.agencies,
    pull: d.pull,
    createdAt: toVnIso(d.createdAtMs),
  };
}
