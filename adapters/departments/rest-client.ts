/**
 * The REST + JSON client of departmental software (docs/departments.md, Forwarding): `POST {baseUrl}{path}`
 * with the profile's mapped body and credentials, over ky. Every answer is classified here, once: 2xx with a
 * JSON body → accepted; 408, 429, 5xx, a timeout or a network failure → outage (with Retry-After when
 * given); any other 4xx → refused. No retries here (`retry: 0`): the forwarding worker owns backoff and the
 * circuit. It never throws, and never puts the credentials into a message.
 */
import ky, { TimeoutError } from 'ky';
import type { DepartmentCall, DepartmentOutcome } from '../../schemas/departments.js';

export interface DepartmentClientOptions {
  timeoutMs: number;
  fetch?: typeof globalThis.fetch | undefined;
  now?: () => number;
}

function retryAfterMs(value: string | null, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function authHeaders(call: DepartmentCall): Record<string, string> {
  const { scheme, header } = call.auth;
  if (scheme === 'bearer') return { authorization: `Bearer ${call.credentials}` };
  if (scheme === 'basic')
    return { authorization: `Basic ${btoa(unescape(encodeURIComponent(call.credentials)))}` };
  if (scheme === 'header' && header) return { [header.toLowerCase()]: call.credentials };
  return {};
}

async function classify(response: Response, now: number): Promise<DepartmentOutcome> {
  const status = response.status;
  if (response.ok) {
    const answer = await response.json().catch(() => undefined);
    if (answer !== undefined) return { kind: 'accepted', answer };
    return { kind: 'outage', status, message: `department answered ${status} without a JSON body` };
  }
  if (status === 429 || status >= 500 || status === 408) {
    const wait = retryAfterMs(response.headers.get('retry-after'), now);
    return { kind: 'outage', status, retryAfterMs: wait, message: `department answered ${status}` };
  }
  const text = (await response.text().catch(() => '')).slice(0, 200);
  return { kind: 'refused', status, message: `department refused (${status}): ${text}` };
}

export interface DepartmentClient {
  send(call: DepartmentCall): Promise<DepartmentOutcome>;
}

export function createDepartmentClient(options: DepartmentClientOptions): DepartmentClient {
  const now = options.now ?? Date.now;
  const http = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async send(call) {
      const url = `${call.baseUrl.replace(/\/+$/, '')}${call.path}`;
      try {
        const response = await http.post(url, { json: call.body, headers: authHeaders(call) });
        return await classify(response, now());
      } catch (error) {
        const message =
          error instanceof TimeoutError
            ? `department did not answer within ${options.timeoutMs} ms`
            : `department unreachable: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'outage', message };
      }
    },
  };
}
