/**
 * The SOAP client of departmental software (docs/departments.md, Transports), through the `soap` package:
 * a client built from the destination's WSDL (`{baseUrl}?wsdl`), calling `baseUrl`, with a WS-Security
 * UsernameToken from the destination's credentials (`user:password`), one operation per call (the
 * profile's `endpoints.submit` or `endpoints.event`). Every answer is classified here, once:
 * - an answer → accepted (the operation's output element, where the profile finds the record id);
 * - a fault blaming the caller (`Client`, SOAP 1.2 `Sender`) or any other 4xx but 408 and 429 → refused;
 * - a `Server` fault, 408, 429, 5xx, a timeout or a network failure → outage, retried by the worker;
 * - an answer declaring a DTD or an entity → refused (bad answer), without being parsed.
 * Clients are cached per destination (base URL and credentials) and dropped after any failure, so the
 * next call fetches the WSDL again. No retries here; it never throws, and never puts credentials into a
 * message.
 */
import { randomUUID } from 'node:crypto';
import * as soap from 'soap';
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';
import { XML_DTD } from './rest-client.js';

export interface SoapDepartmentClientOptions {
  timeoutMs: number;
}

export interface SoapDepartmentClient {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
  /** How many clients are cached (for tests). */
  readonly cached: number;
}

/** Marks a response whose body declared a DTD: it reaches the parser empty. */
const DTD_REFUSED = Symbol('dtd refused');
type Marked = { [DTD_REFUSED]?: boolean };
type HandleResponse = soap.HttpClient['handleResponse'];

/** The package's HTTP client, with answers declaring a DTD or an entity taken away before parsing. */
class GuardedHttpClient extends soap.HttpClient {
  override handleResponse(
    req: Parameters<HandleResponse>[0],
    res: Parameters<HandleResponse>[1],
    body: unknown,
  ) {
    if (typeof body === 'string' && XML_DTD.test(body)) {
      (res as Marked)[DTD_REFUSED] = true;
      return '';
    }
    return super.handleResponse(req, res, body);
  }
}

/** The text of a parsed element: a string, or `{ $value }` when it carried attributes. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '$value' in value) return String(value.$value);
  return '';
}

interface ParsedFault {
  faultcode?: unknown;
  faultstring?: unknown;
  Code?: { Value?: unknown };
  Reason?: { Text?: unknown };
}

interface SoapError {
  message?: string;
  code?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: ParsedFault } } };
}

const OUTAGE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

/** How a failed call is classified: who is to blame, and whether a retry may help. */
export function classifySoapError(error: unknown, timeoutMs: number): DepartmentOutcome {
  const e = (error ?? {}) as SoapError;
  const status = e.response?.status;
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault) {
    const code = textOf(fault.faultcode) || textOf(fault.Code?.Value);
    const reason = (textOf(fault.faultstring) || textOf(fault.Reason?.Text)).slice(0, 200);
    const message = `department fault ${code}: ${reason}`;
    const blamesCaller = /(?:^|:)(?:Client|Sender)(?:\.|$)/.test(code);
    if (blamesCaller || (status !== undefined && status >= 400 && !OUTAGE_STATUS(status)))
      return { kind: 'refused', status: status ?? 500, message };
    return { kind: 'outage', status, message };
  }
  if (status !== undefined && status >= 400) {
    if (OUTAGE_STATUS(status)) return { kind: 'outage', status, message: `department answered ${status}` };
    return { kind: 'refused', status, message: `department refused (${status})` };
  }
  if (status !== undefined)
    return { kind: 'outage', status, message: 'department answered no SOAP envelope' };
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? ''))
    return { kind: 'outage', message: `department did not answer within ${timeoutMs} ms` };
  return { kind: 'outage', message: `department unreachable: ${e.message ?? String(error)}` };
}

/** `user:password` → a UsernameToken (the password is everything after the first colon). */
function security(credentials: string): soap.WSSecurity {
  const at = credentials.indexOf(':');
  const user = at < 0 ? credentials : credentials.slice(0, at);
  const password = at < 0 ? '' : credentials.slice(at + 1);
  return new soap.WSSecurity(user, password, { passwordType: 'PasswordText', hasTimeStamp: false });
}

type Invoke = (args: unknown, options: object) => Promise<[unknown, ...unknown[]]>;

export function createSoapDepartmentClient(options: SoapDepartmentClientOptions): SoapDepartmentClient {
  const clients = new Map<string, Promise<soap.Client>>();
  const keyOf = (call: DepartmentCall) => `${call.baseUrl}\n${call.credentials}`;

  const clientFor = (call: DepartmentCall): Promise<soap.Client> => {
    const key = keyOf(call);
    let client = clients.get(key);
    if (!client) {
      const created = soap
        .createClientAsync(`${call.baseUrl}?wsdl`, {
          disableCache: true,
          httpClient: new GuardedHttpClient(),
          wsdl_options: { timeout: options.timeoutMs },
        })
        .then((c) => {
          c.setEndpoint(call.baseUrl);
          c.setSecurity(security(call.credentials));
          c.setMaxListeners(0);
          return c;
        });
      client = created;
      clients.set(key, client);
    }
    return client;
  };

  const invoke = async (client: soap.Client, call: DepartmentCall): Promise<DepartmentOutcome> => {
    const method = (client as unknown as Record<string, Invoke | undefined>)[`${call.path}Async`];
    if (typeof method !== 'function') {
      const message = `the department's WSDL has no operation ${call.path}`;
      return { kind: 'refused', status: 0, code: 'unknown_operation', message };
    }
    // Which answer of the shared client is this call's: its own exchange id, held in locals.
    const exchangeId = randomUUID();
    let dtd = false;
    const onResponse = (_body: unknown, response: Marked | null, eid: string) => {
      if (eid === exchangeId && response?.[DTD_REFUSED]) dtd = true;
    };
    client.on('response', onResponse);
    let outcome: DepartmentOutcome;
    try {
      const [result] = await method.call(client, call.body, { exchangeId, timeout: options.timeoutMs });
      outcome = { kind: 'accepted', answer: result ?? {} };
    } catch (error) {
      outcome = classifySoapError(error, options.timeoutMs);
    } finally {
      client.off('response', onResponse);
    }
    // An answer taken away for its DTD reached the parser empty: whatever came of it, it is a bad answer.
    if (!dtd) return outcome;
    const message = 'bad answer: the answer declares a DTD or an entity';
    return { kind: 'refused', status: 200, code: 'bad_answer', message };
  };

  return {
    get cached() {
      return clients.size;
    },
    async send(call) {
      let client: soap.Client;
      try {
        client = await clientFor(call);
      } catch (error) {
        clients.delete(keyOf(call));
        const outcome = classifySoapError(error, options.timeoutMs);
        return outcome.kind === 'accepted' ? outcome : { ...outcome, message: `WSDL: ${outcome.message}` };
      }
      const outcome = await invoke(client, call);
      if (outcome.kind !== 'accepted') clients.delete(keyOf(call));
      return outcome;
    },
  };
}
