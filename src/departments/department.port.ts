/**
 * What the forwarding worker needs from departmental software, declared where it is used. The REST
 * implementation is `adapters/departments/rest-client.ts`; tests and sandbox mode point it at
 * `adapters/departments/land-registry.simulator.ts` (docs/departments.md).
 */
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';

export interface DepartmentPort {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
}
