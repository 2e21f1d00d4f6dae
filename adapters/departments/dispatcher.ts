/**
 * The departmental port the forwarding worker holds (docs/departments.md, Transports): each call goes to
 * the adapter of its profile's transport, REST (JSON or XML, `rest-client.ts`) or SOAP (`soap-client.ts`).
 */
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';
import { createDepartmentClient, type DepartmentClientOptions } from './rest-client.js';
import { createSoapDepartmentClient } from './soap-client.js';

export interface DepartmentSender {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
}

/** Picks the sender of each call by its transport. */
export function dispatchByTransport(senders: {
  rest: DepartmentSender;
  soap: DepartmentSender;
}): DepartmentSender {
  return { send: (call) => (call.transport === 'soap' ? senders.soap : senders.rest).send(call) };
}

/** The REST and SOAP clients behind one port, with the same timeout. */
export function createDepartmentTransports(options: DepartmentClientOptions): DepartmentSender {
  return dispatchByTransport({
    rest: createDepartmentClient(options),
    soap: createSoapDepartmentClient({ timeoutMs: options.timeoutMs }),
  });
}
