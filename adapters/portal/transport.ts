/**
 * One HTTP exchange with the portal (docs/portal-contract.md, Transport): a `POST` of a JSON body, read
 * back as an application answer, or classified as an outage (network, timeout, HTTP 408, 429 or 5xx, an
 * unreadable body) or a configuration fault (any other HTTP status outside 2xx: a wrong URL or dstcode,
 * the platform refusing us). Never retries and never throws.
 */
import ky, { TimeoutError } from 'ky';
import { type PortalAnswer, PortalAnswerSchema, type PortalFailure, parseRetryAfter } from './answers.js';

export type Exchange = { kind: 'answer'; answer: PortalAnswer } | PortalFailure;

export interface TransportOptions {
  timeoutMs: number;
  dstcode: string;
  fetch?: typeof globalThis.fetch | undefined;
  now: () => number;
}

export function outage(message: string, status?: number, retryAfterMs?: number): PortalFailure {
  return {
    kind: 'outage',
    retryable: true,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    message,
  };
}

export function configFault(errorCode: string, message: string): PortalFailure {
  return { kind: 'config_fault', retryable: false, errorCode, message };
}

/** A network failure in words: the timeout, or the system error code behind `fetch failed`. */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `portal did not answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return `portal unreachable: ${String(error)}`;
  const causes: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    const codeOf = 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    causes.push(`${codeOf}${cause.message}`);
    cause = cause.cause;
  }
  return `portal unreachable: ${error.message}${causes.length ? ` (${causes.join('; ')})` : ''}`;
}

/** Resolves to `fallback` when `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A poster bound to the options: `post(url, body)` gives the answer or the classified failure. */
export function createTransport(
  options: TransportOptions,
): (url: string, body: unknown) => Promise<Exchange> {
  const http = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { dstcode: options.dstcode, accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return async (url, body) => {
    let response: Response;
    try {
      response = await http.post(url, { json: body });
    } catch (error) {
      return outage(describeNetworkError(error, options.timeoutMs));
    }
    const text = await within(
      response.text().catch(() => undefined),
      options.timeoutMs,
      undefined,
    );
    const status = response.status;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
      return outage(`portal answered HTTP ${status}`, status, retryAfterMs);
    }
    if (text === undefined) return outage(`portal answer body could not be read (HTTP ${status})`, status);
    if (status < 200 || status > 299) {
      // Not an application answer: retrying will not fix it; an operator must.
      const detail = PortalAnswerSchema.safeParse(safeJson(text));
      const words = detail.success && detail.data.message ? `: ${detail.data.message}` : '';
      return configFault(`HTTP_${status}`, `portal answered HTTP ${status}${words}`);
    }
    const parsed = PortalAnswerSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      return outage(`portal answer is not in the portal format: ${text.slice(0, 120)}`, status);
    }
    return { kind: 'answer', answer: parsed.data };
  };
}
