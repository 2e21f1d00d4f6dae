/**
 * The `LienThongService` object the `soap` package calls: each operation finds the caller of its
 * request, runs its use case and turns any error into a SOAP 1.1 fault (docs/soap.md).
 */
import type { Principal } from '../clients/client.js';
import type { Services } from '../http/context.js';
import { lookUpDossier } from './look-up-dossier.js';
import { reportProgress } from './report-progress.js';
import { resolveCaller } from './soap.auth.js';
import type { SoapCall } from './soap.call.js';
import { toSoapFault } from './soap.fault.js';
import { submitDossier } from './submit-dossier.js';

/** What the listener knows of one request, keyed by the headers object it hands to the `soap` package. */
export interface SoapRequest {
  requestId: string;
  authorization: string | undefined;
  caller?: Promise<{ principal: Principal } | { error: unknown }>;
  /** Set once an operation answered: anything else the package answered is not an operation's answer. */
  answered: boolean;
  client?: Principal;
}

export type Requests = WeakMap<object, SoapRequest>;

/** The text of a SOAP header element (`MessageID`, or WS-Addressing's `wsa:MessageID`). */
function messageIdOf(headers: unknown): string | undefined {
  const value = (headers as { MessageID?: unknown } | undefined)?.MessageID;
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '$value' in value) {
    const inner = (value as { $value: unknown }).$value;
    return typeof inner === 'string' ? inner : undefined;
  }
  return undefined;
}

type Operation<T> = (call: SoapCall, body: unknown) => Promise<T>;

function operation<T>(services: Services, requests: Requests, run: Operation<T>) {
  return async (args: unknown, _callback: unknown, headers: unknown, req: { headers: object }) => {
    const request = requests.get(req.headers);
    if (!request) throw toSoapFault(new Error('SOAP request without its context'), 'unknown');
    try {
      const caller = await (request.caller ??
        resolveCaller(services.clients, undefined, request.authorization).then(
          (principal) => ({ principal }),
          (error: unknown) => ({ error }),
        ));
      if ('error' in caller) throw caller.error;
      request.client = caller.principal;
      const call = {
        services,
        principal: caller.principal,
        requestId: request.requestId,
        messageId: messageIdOf(headers),
      };
      return await run(call, args ?? {});
    } catch (error) {
      const fault = toSoapFault(error, request.requestId);
      if (fault.Fault.statusCode >= 500) services.logger.error('soap operation failed', { error });
      throw fault;
    } finally {
      request.answered = true;
    }
  };
}

/** The services object of the WSDL's one service and port. */
export function lienThongService(services: Services, requests: Requests) {
  return {
    LienThongService: {
      LienThongPort: {
        TiepNhanHoSo: operation(services, requests, submitDossier),
        CapNhatTienDo: operation(services, requests, reportProgress),
        TraCuuHoSo: operation(services, requests, lookUpDossier),
      },
    },
  };
}

/** The `authenticate` hook: resolves the caller once, and lets the operation answer a bad one. */
export function authenticateHook(services: Services, requests: Requests) {
  return async (security: unknown, _callback?: unknown, req?: unknown): Promise<boolean> => {
    const headers = (req as { headers?: object } | undefined)?.headers;
    const request = headers && requests.get(headers);
    if (request) {
      request.caller = resolveCaller(services.clients, security, request.authorization).then(
        (principal) => ({ principal }),
        (error: unknown) => ({ error }),
      );
    }
    return true;
  };
}
