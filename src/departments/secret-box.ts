/**
 * Destination credentials are kept sealed at rest (docs/departments.md, Credentials; docs/privacy.md):
 * the use cases seal them before they are stored and the adapter's calls open them just before they go
 * out. The runtime supplies the implementation (AES-256-GCM on Node: `src/runtime/node/destination-key.ts`).
 */
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';
import type { DepartmentPort } from './department.port.js';

export interface SecretBox {
  /** The stored form of a secret. */
  seal(plain: string): string;
  /** The secret of a stored form; throws when it is not sealed or not with this key. */
  open(sealed: string): string;
  /** Whether a stored value is sealed (as opposed to clear text written before sealing existed). */
  isSealed(stored: string): boolean;
}

/** A port that opens the sealed credentials of each call just before the adapter sends it. */
export function openingCredentials(port: DepartmentPort, box: SecretBox): DepartmentPort {
  return {
    async send(call: DepartmentCall): Promise<DepartmentOutcome> {
      let credentials: string;
      try {
        credentials = box.open(call.credentials);
      } catch {
        return {
          kind: 'outage',
          message: 'the stored credentials cannot be opened with DESTINATION_SECRET_KEY',
        };
      }
      return port.send({ ...call, credentials });
    },
  };
}
