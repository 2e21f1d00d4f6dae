/**
 * The national portal's client (docs/portal.md), over ky and Web-standard fetch so it runs on
 * Node and Workers alike.
 *
 * Invariants:
 * - `dstcode` header on every call; the session from `POST {base}/auth` is cached and shared (one login
 *   in flight at a time).
 * - AUTHEN_ERROR: log in again once and repeat the call; a second one in a row is a `config_fault`.
 * - No retries of outages here (ky `retry: 0`): the delivery worker owns backoff, Retry-After and the
 *   circuit breaker. Every call returns a classified result (`PortalCallResult`); it never throws for
 *   anything the network or the portal does.
 * - Both edges are parsed with the schemas: what we send (an invalid object is refused locally as
 *   `data_incorrect` with `origin: 'client'`, nothing sent) and what we receive (never cast).
 */
import ky, { TimeoutError } from 'ky';
import type { z } from 'zod';
import {
  PORTAL_SERVICE_LIMITS,
  type PortalAnswer,
  PortalAnswerSchema,
  PortalAuthRequestSchema,
  PortalDossierSchema,
  type PortalIntegrationRequest,
  PortalIntegrationRequestSchema,
  PortalLookupItemSchema,
  PortalProgressSchema,
  type PortalService,
  type PortalStoredDossier,
  PortalStoredDossierSchema,
} from '../../schemas/portal.js';
import {
  classifyAnswer,
  normalizeErrorCode,
  OK,
  type PortalCallResult,
  type PortalFailure,
  type PortalLookupResult,
  parseRetryAfter,
} from './answers.js';

export interface PortalClientOptions {
  /** Base URL, e.g. `https://lgsp.example.gov.vn/dvcqg`; calls go to `{url}/auth` and `{url}/integration`. */
  url: string;
  username: string;
  password: string;
  /** Destination code of the integration platform, sent as the `dstcode` header. */
  dstcode: string;
  /** The province agency id sent as `madonvi`. */
  madonvi: string;
  /** Per-request timeout (connect + answer), in milliseconds. */
  timeoutMs: number;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number;
}

export interface PortalClient {
  /** DongBoHoSoMC: insert (`isUpdating` false) or update dossier objects; at most 50 per call. */
  syncDossiers(objects: readonly unknown[], isUpdating: boolean): Promise<PortalCallResult>;
  /** CapNhatTienDoHoSoMC: append progress records; at most 10 per call. */
  pushProgress(records: readonly unknown[]): Promise<PortalCallResult>;
  /** TraCuuHoSo: the portal's stored objects for these codes (reconciliation); at most 50 per call. */
  lookup(codes: readonly string[]): Promise<PortalLookupResult>;
}

type Exchange = { kind: 'answer'; answer: PortalAnswer } | PortalFailure;

const ITEM_SCHEMAS = {
  DongBoHoSoMC: PortalDossierSchema,
  CapNhatTienDoHoSoMC: PortalProgressSchema,
  TraCuuHoSo: PortalLookupItemSchema,
} satisfies Record<PortalService, z.ZodType>;

const ITEM_NAMES: Record<PortalService, string> = {
  DongBoHoSoMC: 'dossiers',
  CapNhatTienDoHoSoMC: 'progress records',
  TraCuuHoSo: 'lookups',
};

function outage(message: string, status?: number, retryAfterMs?: number): PortalFailure {
  return {
    kind: 'outage',
    retryable: true,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    message,
  };
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

function dossierCodeOf(item: unknown): string | undefined {
  return typeof item === 'object' && item !== null && 'MaHoSo' in item && typeof item.MaHoSo === 'string'
    ? item.MaHoSo
    : undefined;
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

/** Creates a portal client; nothing is sent until the first call. */
export function createPortalClient(options: PortalClientOptions): PortalClient {
  const now = options.now ?? Date.now;
  const http = ky.create({
    prefixUrl: options.url,
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { dstcode: options.dstcode, accept: 'application/json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let session: string | undefined;
  let login: Promise<{ session: string } | PortalFailure> | undefined;

  /** One POST; HTTP-level failures and unreadable bodies become outages or config faults here. */
  async function post(path: 'auth' | 'integration', body: unknown): Promise<Exchange> {
    let response: Response;
    try {
      response = await http.post(path, { json: body });
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
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
      return outage(`portal answered HTTP ${status}`, status, retryAfterMs);
    }
    if (text === undefined) return outage(`portal answer body could not be read (HTTP ${status})`, status);
    if (status < 200 || status > 299) {
      // Not an application answer: a wrong URL or dstcode, or the platform refusing us. Retrying will not
      // fix it; an operator must.
      const detail = PortalAnswerSchema.safeParse(safeJson(text));
      return {
        kind: 'config_fault',
        retryable: false,
        errorCode: `HTTP_${status}`,
        message: `portal answered HTTP ${status}${detail.success && detail.data.message ? `: ${detail.data.message}` : ''}`,
      };
    }
    const parsed = PortalAnswerSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      return outage(`portal answer is not in the portal format: ${text.slice(0, 120)}`, status);
    }
    return { kind: 'answer', answer: parsed.data };
  }

  async function doLogin(): Promise<{ session: string } | PortalFailure> {
    const body = PortalAuthRequestSchema.safeParse({
      username: options.username,
      password: options.password,
    });
    if (!body.success) {
      return {
        kind: 'config_fault',
        retryable: false,
        errorCode: 'CONFIG',
        message: 'portal username and password must be set',
      };
    }
    const exchange = await post('auth', body.data);
    if (exchange.kind !== 'answer') return exchange;
    const { answer } = exchange;
    const code = normalizeErrorCode(answer.error_code);
    if (code === '00') {
      if (answer.session) return { session: answer.session };
      return outage('portal login answered success without a session');
    }
    if (code === '100') {
      return {
        kind: 'config_fault',
        retryable: false,
        errorCode: code,
        message: `portal refused the login (${answer.message ?? 'AUTHEN_ERROR'}): check the username and password`,
      };
    }
    const classified = classifyAnswer(answer);
    return classified.kind === 'ok' ? outage('portal login answered without a session') : classified;
  }

  /** The cached session, or a fresh one; concurrent callers share one login. */
  async function currentSession(): Promise<{ session: string } | PortalFailure> {
    if (session !== undefined) return { session };
    if (!login) {
      login = doLogin().then((result) => {
        if ('session' in result) session = result.session;
        login = undefined;
        return result;
      });
    }
    return login;
  }

  async function integrate(
    service: PortalService,
    isUpdating: boolean,
    data: readonly unknown[],
  ): Promise<{ kind: 'answer'; answer: PortalAnswer } | PortalFailure> {
    for (let attempt = 0; ; attempt++) {
      const current = await currentSession();
      if (!('session' in current)) return current;
      const request = PortalIntegrationRequestSchema.safeParse({
        session: current.session,
        madonvi: options.madonvi,
        service,
        isUpdating,
        data,
      } satisfies Record<keyof PortalIntegrationRequest, unknown>);
      if (!request.success) {
        return {
          kind: 'config_fault',
          retryable: false,
          errorCode: 'CONFIG',
          message: `integration envelope is invalid: ${request.error.issues[0]?.message ?? ''}`,
        };
      }
      const exchange = await post('integration', request.data);
      if (exchange.kind !== 'answer') return exchange;
      if (normalizeErrorCode(exchange.answer.error_code) !== '100' || attempt > 0) return exchange;
      if (session === current.session) session = undefined; // expired: log in again once, then repeat
    }
  }

  /** Checks the items against the schema and the per-call limit before anything is sent. */
  function refuseLocally(service: PortalService, data: readonly unknown[]): PortalFailure | undefined {
    const limit = PORTAL_SERVICE_LIMITS[service];
    if (data.length > limit) {
      const reason = `at most ${limit} ${ITEM_NAMES[service]} per call, got ${data.length}`;
      return {
        kind: 'data_incorrect',
        retryable: false,
        code: undefined,
        field: 'data',
        reason,
        message: `DATA_INCORRECT (not sent): *: data: ${reason}`,
        origin: 'client',
      };
    }
    for (const item of data) {
      const checked = ITEM_SCHEMAS[service].safeParse(item);
      if (checked.success) continue;
      const issue = checked.error.issues[0];
      const code = dossierCodeOf(item);
      const field = issue?.path.map(String).join('.') || '(object)';
      const reason = issue?.message ?? 'invalid';
      return {
        kind: 'data_incorrect',
        retryable: false,
        code,
        field,
        reason,
        message: `DATA_INCORRECT (not sent): ${code ?? '*'}: ${field}: ${reason}`,
        origin: 'client',
      };
    }
    return undefined;
  }

  async function call(service: PortalService, isUpdating: boolean, data: readonly unknown[]) {
    const refused = refuseLocally(service, data);
    if (refused) return refused;
    const exchange = await integrate(service, isUpdating, data);
    return exchange.kind === 'answer' ? { answer: exchange.answer } : exchange;
  }

  return {
    async syncDossiers(objects, isUpdating) {
      if (objects.length === 0) return OK;
      const result = await call('DongBoHoSoMC', isUpdating, objects);
      return 'answer' in result ? classifyAnswer(result.answer) : result;
    },

    async pushProgress(records) {
      if (records.length === 0) return OK;
      const result = await call('CapNhatTienDoHoSoMC', false, records);
      return 'answer' in result ? classifyAnswer(result.answer) : result;
    },

    async lookup(codes) {
      if (codes.length === 0) return { ...OK, found: [], missing: [] };
      const result = await call(
        'TraCuuHoSo',
        false,
        codes.map((MaHoSo) => ({ MaHoSo })),
      );
      if (!('answer' in result)) return result;
      const classified = classifyAnswer(result.answer);
      if (classified.kind !== 'ok') return classified;
      const found: PortalStoredDossier[] = [];
      for (const item of result.answer.result ?? []) {
        const parsed = PortalStoredDossierSchema.safeParse(item);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return outage(
            `lookup answer holds a dossier not in the portal format (${dossierCodeOf(item) ?? '?'}: ${issue?.path.join('.')}: ${issue?.message})`,
          );
        }
        found.push(parsed.data);
      }
      const held = new Set(found.map((d) => d.MaHoSo));
      return { ...OK, found, missing: codes.filter((c) => !held.has(c)) };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
