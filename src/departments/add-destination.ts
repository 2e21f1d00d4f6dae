/**
 * Use case: an admin registers a departmental destination (docs/departments.md, Destinations). Its
 * profile must be one the gateway ships and can send (REST + JSON, REST + XML, SOAP), and have a poll
 * section when the destination is to be polled; its system name must not be a built-in destination.
 * The credentials are stored sealed (Credentials), so a runtime without the key refuses. The log entry
 * names the system, profile and agencies, never the credentials.
 */

import { profileNamed, SENDABLE_TRANSPORTS } from '../../mappings/departments/index.js';
import type { DestinationInput, DestinationView } from '../../schemas/departments.js';
import { Conflict, Unprocessable, Validation } from '../lib/errors.js';
import { appendLog } from '../reconciliation/log.js';
import type { Trx } from '../store/store.js';
import { insertDestination } from './destination.store.js';
import { toDestinationView } from './destination.view.js';
import type { SecretBox } from './secret-box.js';

/** Names the outbox already uses for its own destinations. */
const RESERVED = new Set(['portal', 'sms', 'postal', 'gateway']);

export async function addDestination(
  trx: Trx,
  input: DestinationInput,
  actor: string,
  now: number,
  secrets: SecretBox | undefined,
): Promise<DestinationView> {
  const profile = profileNamed(input.profile);
  if (!profile) {
    throw new Validation([
      { path: 'profile', rule: 'unknown_profile', message: `no profile ${input.profile}` },
    ]);
  }
  if (!SENDABLE_TRANSPORTS.includes(profile.transport)) {
    const message = `profile ${input.profile} speaks ${profile.transport}, which forwarding cannot send yet`;
    throw new Validation([{ path: 'profile', rule: 'transport_not_supported', message }]);
  }
  if (input.pull && !profile.poll) {
    const message = `profile ${input.profile} describes no change feed to poll`;
    throw new Validation([{ path: 'pull', rule: 'poll_not_supported', message }]);
  }
  if (RESERVED.has(input.system)) {
    throw new Validation([
      { path: 'system', rule: 'reserved_destination', message: `${input.system} is a built-in destination` },
    ]);
  }
  const record = {
    system: input.system,
    profile: input.profile,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    agencies: [...new Set(input.agencies)],
    pull: input.pull,
    createdAtMs: now,
  };
  if (!secrets) {
    throw new Unprocessable(
      'credentials cannot be stored sealed: set DESTINATION_SECRET_KEY or DESTINATION_SECRET_KEY_FILE',
    );
  }
  if (!(await insertDestination(trx, { ...record, credentials: secrets.seal(input.credentials) }))) {
    throw new Conflict(`a destination ${input.system} is registered already`);
  }
  const data = {
    system: record.system,
    profile: record.profile,
    agencies: record.agencies,
    pull: record.pull,
  };
  await appendLog(trx, { kind: 'department.destination_added', actor, data }, now);
  return toDestinationView(record);
}
