/**
 * What the forwarding worker needs from departmental software, declared where it is used. The
 * implementation is `adapters/departments/dispatcher.ts`, sending each call through REST
 * (`rest-client.ts`) or SOAP (`soap-client.ts`) by its transport; tests and sandbox mode point it at the
 * simulators of `adapters/departments/` (docs/departments.md).
 */
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';

export interface DepartmentPort {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
}
