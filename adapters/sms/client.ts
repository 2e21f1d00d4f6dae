/**
 * The SMS provider's client (docs/sms.md, Provider): `POST {url}/messages` with a JSON body
 * `{to, text, encoding, reference}` and `Authorization: Bearer {token}`, over ky. Every answer is
 * classified here, once: 2xx with a message id → accepted; 429, 5xx, a timeout or a network failure →
 * outage (with the provider's Retry-After when it gave one); any other 4xx → refused. No retries here
 * (ky `retry: 0`): the SMS worker owns backoff and the circuit. It never throws.
 */
import ky, { TimeoutError } from 'ky';
import {
  type SmsOutcome,
  SmsProviderAcceptedSchema,
  type SmsProviderRequest,
  SmsProviderRequestSchema,
} from '../../schemas/sms.js';

export interface SmsClientOptions {
  url: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch | undefined;
  now?: () => number;
}

export interface SmsClient {
  send(message: SmsProviderRequest): Promise<SmsOutcome>;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first 200 characters of an answer's body, for the transfer's last error. */
async function excerpt(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.slice(0, 200);
}

async function classify(response: Response, now: number): Promise<SmsOutcome> {
  const status = response.status;
  if (response.ok) {
    const body = await response.json().catch(() => undefined);
    const parsed = SmsProviderAcceptedSchema.safeParse(body);
    if (parsed.success) return { kind: 'accepted', providerId: parsed.data.id };
    return { kind: 'outage', status, message: `provider answered ${status} without a message id` };
  }
  if (status === 429 || status >= 500 || status === 408) {
    const wait = retryAfterMs(response.headers.get('retry-after'), now);
    return { kind: 'outage', status, retryAfterMs: wait, message: `provider answered ${status}` };
  }
  return { kind: 'refused', status, message: `provider refused (${status}): ${await excerpt(response)}` };
}

export function createSmsClient(options: SmsClientOptions): SmsClient {
  const base = options.url.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const http = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async send(message) {
      const body = SmsProviderRequestSchema.parse(message);
      try {
        const response = await http.post(`${base}/messages`, { json: body });
        return await classify(response, now());
      } catch (error) {
        const message =
          error instanceof TimeoutError
            ? `provider did not answer within ${options.timeoutMs} ms`
            : `provider unreachable: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'outage', message };
      }
    },
  };
}
