/**
 * The national portal's client (docs/portal-contract.md), over ky and Web-standard fetch so it runs on
 * Node and Workers alike.
 *
 * Invariants:
 * - `dstcode` header on every call; calls go to `{url}{authPath}` and `{url}{integrationPath}`.
 * - Session: the one from the login is shared (one login in flight at a time) and replaced once it is
 *   `sessionTtlMs` old. A failure that names no dossier of the call (at the login or at the call) drops
 *   the session, logs in again and repeats the call once; the same again is a `config_fault`.
 * - No retries of outages here (ky `retry: 0`): the delivery worker owns backoff, Retry-After and the
 *   circuit breaker. Every call returns a classified result; it never throws for anything the network or
 *   the portal does.
 * - Both edges are parsed with schemas: what we send (an invalid item is refused locally as `refused`
 *   with `origin: 'client'`, nothing sent) and what we receive (never cast).
 */
import type { z } from 'zod';
import { PortalAuthRequestSchema, PortalDossierSchema, PortalProgressSchema } from '../../schemas/portal.js';
import {
  classifyAnswer,
  isNonEmpty,
  normalizeErrorCode,
  OK,
  type PortalAnswer,
  type PortalCallResult,
  type PortalFailure,
  type PortalLookupResult,
  type Unexplained,
} from './answers.js';
import { configFault, createTransport, outage } from './transport.js';
import {
  IntegrationRequestSchema,
  type IsUpdatingForm,
  isUpdatingValue,
  joinUrl,
  PORTAL_WIRE_DEFAULTS,
  PROGRESS_BATCH_LIMIT,
} from './wire.js';

export interface PortalClientOptions {
  /** Base URL, e.g. `https://lgsp.example.gov.vn/dvcqg`. */
  url: string;
  username: string;
  password: string;
  /** Destination code of the integration platform, sent as the `dstcode` header. */
  dstcode: string;
  /** The province agency id sent as `madonvi`. */
  madonvi: string;
  /** Per-request timeout (connect + answer), in milliseconds. */
  timeoutMs: number;
  /** Path of the login, after `url` (default `/auth`). */
  authPath?: string | undefined;
  /** Path of the integration calls, after `url` (default `/integration`). */
  integrationPath?: string | undefined;
  /** A session this old is replaced by a new login before the next call (default 10 minutes). */
  sessionTtlMs?: number | undefined;
  /** `isUpdating` as `"True"`/`"False"` (`string`, the default) or as a JSON boolean. */
  isUpdatingAs?: IsUpdatingForm | undefined;
  /** Most dossier objects in one DongBoHoSoMC call (default 50). */
  syncBatchSize?: number | undefined;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Clock for the session's age and HTTP-date Retry-After values. */
  now?: () => number;
}

export interface PortalClient {
  /** DongBoHoSoMC: insert (`isUpdating` false) or update dossier objects. */
  syncDossiers(objects: readonly unknown[], isUpdating: boolean): Promise<PortalCallResult>;
  /** CapNhatTienDoHoSoMC: append progress records; at most 10 per call. */
  pushProgress(records: readonly unknown[]): Promise<PortalCallResult>;
  /** TraCuuHoSo: does the portal hold this dossier? One code per call. */
  lookup(code: string): Promise<PortalLookupResult>;
}

type SessionResult = { session: string } | PortalFailure | Unexplained;

function dossierCodeOf(item: unknown): string | undefined {
  return typeof item === 'object' && item !== null && 'MaHoSo' in item && typeof item.MaHoSo === 'string'
    ? item.MaHoSo
    : undefined;
}

function notSent(codes: string[], field: string, reason: string): PortalFailure {
  return {
    kind: 'refused',
    retryable: false,
    codes,
    errorCode: 'NOT_SENT',
    message: `refused before sending: ${codes[0] ?? '*'}: ${field}: ${reason}`,
    origin: 'client',
  };
}

/** Checks the items against the schema and the per-call limit before anything is sent. */
function refuseLocally(
  data: readonly unknown[],
  schema: z.ZodType,
  limit: number,
  noun: string,
): PortalFailure | undefined {
  if (data.length > limit)
    return notSent([], 'data', `at most ${limit} ${noun} per call, got ${data.length}`);
  for (const item of data) {
    const checked = schema.safeParse(item);
    if (checked.success) continue;
    const issue = checked.error.issues[0];
    const code = dossierCodeOf(item);
    return notSent(
      code === undefined ? [] : [code],
      issue?.path.map(String).join('.') || '(object)',
      issue?.message ?? 'invalid',
    );
  }
  return undefined;
}

/** Creates a portal client; nothing is sent until the first call. */
export function createPortalClient(options: PortalClientOptions): PortalClient {
  const now = options.now ?? Date.now;
  const authUrl = joinUrl(options.url, options.authPath ?? PORTAL_WIRE_DEFAULTS.authPath);
  const integrationUrl = joinUrl(
    options.url,
    options.integrationPath ?? PORTAL_WIRE_DEFAULTS.integrationPath,
  );
  const ttlMs = options.sessionTtlMs ?? PORTAL_WIRE_DEFAULTS.sessionTtlMs;
  const isUpdatingAs = options.isUpdatingAs ?? PORTAL_WIRE_DEFAULTS.isUpdatingAs;
  const syncBatchSize = options.syncBatchSize ?? PORTAL_WIRE_DEFAULTS.syncBatchSize;
  const post = createTransport({
    timeoutMs: options.timeoutMs,
    dstcode: options.dstcode,
    fetch: options.fetch,
    now,
  });

  let session: { id: string; at: number } | undefined;
  let login: Promise<SessionResult> | undefined;

  async function doLogin(): Promise<SessionResult> {
    const body = PortalAuthRequestSchema.safeParse({
      username: options.username,
      password: options.password,
    });
    if (!body.success) return configFault('CONFIG', 'portal username and password must be set');
    const exchange = await post(authUrl, body.data);
    if (exchange.kind !== 'answer') return exchange;
    const { answer } = exchange;
    const errorCode = normalizeErrorCode(answer.error_code);
    if (errorCode !== '00')
      return { kind: 'unexplained', errorCode, message: `login refused: ${answer.message ?? ''}` };
    if (!answer.session) return outage('portal login answered success without a session');
    return { session: answer.session };
  }

  /** The session in use, or a fresh one when there is none or it reached its lifetime. */
  function currentSession(): Promise<SessionResult> {
    if (session !== undefined && now() - session.at < ttlMs) return Promise.resolve({ session: session.id });
    session = undefined;
    login ??= doLogin().then((result) => {
      if ('session' in result) session = { id: result.session, at: now() };
      login = undefined;
      return result;
    });
    return login;
  }

  /**
   * One integration call with the session rule: a failure naming no dossier drops the session, and the
   * call is repeated once with a new login; a second one in a row is a configuration fault.
   */
  async function integrate<R extends { kind: string }>(
    body: (session: string) => unknown,
    classify: (answer: PortalAnswer) => R | Unexplained,
  ): Promise<R | PortalFailure> {
    let first: Unexplained | undefined;
    for (;;) {
      const current = await currentSession();
      let outcome: R | Unexplained | PortalFailure;
      if ('session' in current) {
        const request = IntegrationRequestSchema.safeParse(body(current.session));
        if (!request.success) {
          return configFault(
            'CONFIG',
            `integration envelope is invalid: ${request.error.issues[0]?.message ?? ''}`,
          );
        }
        const exchange = await post(integrationUrl, request.data);
        outcome = exchange.kind === 'answer' ? classify(exchange.answer) : exchange;
        if (outcome.kind === 'unexplained' && session?.id === current.session) session = undefined;
      } else {
        outcome = current;
      }
      if (outcome.kind !== 'unexplained') return outcome as R | PortalFailure;
      const unexplained = outcome as Unexplained;
      if (first) {
        return configFault(
          unexplained.errorCode,
          `the portal refused twice in a row, the second time with a fresh session (${first.errorCode}: ${first.message} / ${unexplained.errorCode}: ${unexplained.message}); check the portal account, madonvi and the caller's access`,
        );
      }
      first = unexplained;
    }
  }

  const head = (s: string) => ({ session: s, madonvi: options.madonvi });

  return {
    async syncDossiers(objects, isUpdating) {
      if (objects.length === 0) return OK;
      const refused = refuseLocally(objects, PortalDossierSchema, syncBatchSize, 'dossiers');
      if (refused) return refused;
      const codes = objects.map(dossierCodeOf).filter((c): c is string => c !== undefined);
      const data = [...objects];
      return integrate(
        (s) => ({
          ...head(s),
          service: 'DongBoHoSoMC',
          isUpdating: isUpdatingValue(isUpdating, isUpdatingAs),
          data,
        }),
        (answer) => classifyAnswer(answer, codes, !isUpdating),
      );
    },

    async pushProgress(records) {
      if (records.length === 0) return OK;
      const refused = refuseLocally(records, PortalProgressSchema, PROGRESS_BATCH_LIMIT, 'progress records');
      if (refused) return refused;
      const codes = records.map(dossierCodeOf).filter((c): c is string => c !== undefined);
      const data = [...records];
      return integrate(
        (s) => ({ ...head(s), service: 'CapNhatTienDoHoSoMC', data }),
        (answer) => classifyAnswer(answer, codes),
      );
    },

    async lookup(code) {
      if (code.trim() === '') return notSent([], 'mahoso', 'must not be empty');
      return integrate<PortalLookupResult>(
        (s) => ({ ...head(s), service: 'TraCuuHoSo', mahoso: code }),
        (answer) => {
          const classified = classifyAnswer(answer, [code]);
          if (classified.kind === 'ok')
            return { ...OK, held: isNonEmpty(answer.result), result: answer.result ?? null };
          if (classified.kind === 'not_found') return { ...OK, held: false, result: answer.result ?? null };
          return classified;
        },
      );
    },
  };
}
