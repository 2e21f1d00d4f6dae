/**
 * A simulator of the national portal for tests, demos and sandbox mode: a Hono app on a real loopback
 * socket that enforces the contract (docs/portal-contract.md; rules in `simulator.state.ts`, objects in
 * `simulator.contract.ts`) and misbehaves on command, through `control` in-process or the `/__sim/...`
 * HTTP routes from another process (`simulator.control.ts`).
 *
 * Misbehaviour is applied to the portal's own routes (the login and integration paths) in this order:
 * capacity (over N calls per second → 429, `Retry-After: 1`) → injected HTTP failure (5xx or 429, chosen
 * on arrival) → delay → the failure, or the dstcode check and the contract. A slow call is still applied
 * after its delay even if the caller gave up, as a real portal would: a timeout does not mean "not
 * applied". Control routes are exempt, so a test can always switch misbehaviour off.
 * "Refuse connections" really stops accepting: the listening socket is closed and open connections are
 * destroyed, then a new listener is opened on the same port when connections are accepted again.
 */
import { Server } from 'node:http';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { normalizeErrorCode } from './answers.js';
import {
  type FaultSpec,
  FaultSpecSchema,
  json,
  mountControlRoutes,
  type PortalSimulatorControl,
  type PortalSimulatorStats,
} from './simulator.control.js';
import { PortalState, type SimAnswer } from './simulator.state.js';
import { joinUrl } from './wire.js';

export type {
  FaultSpec,
  PortalSimulatorControl,
  PortalSimulatorStats,
  RejectionSpec,
  SimulatorStatsSnapshot,
} from './simulator.control.js';

export interface PortalSimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port; it is kept when connections are refused and accepted again. */
  port?: number;
  username: string;
  password: string;
  /** When set, calls without this `dstcode` header answer HTTP 403 (the platform cannot route them). */
  dstcode?: string | undefined;
  /** When set, integration calls with another `madonvi` are refused (SIM_MADONVI_UNKNOWN). */
  madonvi?: string | undefined;
  sessionTtlMs?: number;
  /** Path of the login (default `/auth`). */
  authPath?: string | undefined;
  /** Path of the integration calls (default `/integration`). */
  integrationPath?: string | undefined;
  /** Clock for sessions, the capacity window and HTTP-date Retry-After values. */
  now?: () => number;
  /** Serve the `/__sim/...` control routes (default true). */
  controlRoutes?: boolean;
}

export interface PortalSimulator {
  url: string;
  control: PortalSimulatorControl;
  stats: PortalSimulatorStats;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fromMap<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  return Object.fromEntries([...map].map(([k, v]) => [k, structuredClone(v)]));
}

/** Starts the simulator on a loopback socket; resolves once it listens. */
export async function startPortalSimulator(options: PortalSimulatorOptions): Promise<PortalSimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const state = new PortalState({
    username: options.username,
    password: options.password,
    madonvi: options.madonvi,
    sessionTtlMs: options.sessionTtlMs ?? 30 * 60_000,
    now,
  });

  // Misbehaviour settings.
  let fault: { spec: FaultSpec; remaining: number } | undefined;
  let delayMs = 0;
  let capacity: number | undefined;
  const window = { second: -1, calls: 0 };
  const calls = new Map<string, Map<string, number>>();

  const count = (service: string, outcome: string) => {
    const byOutcome = calls.get(service) ?? new Map<string, number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    calls.set(service, byOutcome);
  };

  /** The misbehaviour pipeline in front of the contract's rules. */
  async function portalCall(request: Request, kind: 'auth' | 'integration'): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined);
    const service =
      kind === 'auth'
        ? 'auth'
        : typeof body === 'object' && body !== null && 'service' in body && typeof body.service === 'string'
          ? body.service
          : 'integration';
    if (capacity !== undefined) {
      const second = Math.floor(now() / 1000);
      if (second !== window.second) {
        window.second = second;
        window.calls = 0;
      }
      window.calls++;
      if (window.calls > capacity) {
        count(service, 'http_429');
        return json({ error_code: 429, message: 'TOO_MANY_REQUESTS' }, 429, { 'retry-after': '1' });
      }
    }
    // The fault is chosen when the call arrives, so a slow call never takes a fault set after it came in.
    const failing = fault && fault.remaining > 0 ? fault.spec : undefined;
    if (fault && failing) fault.remaining--;
    if (delayMs > 0) await sleep(delayMs);
    if (failing) {
      const { status, retryAfterSeconds, retryAfterFormat } = failing;
      const headers: Record<string, string> = {};
      if (retryAfterSeconds !== undefined) {
        headers['retry-after'] =
          retryAfterFormat === 'http-date'
            ? new Date(now() + retryAfterSeconds * 1000).toUTCString()
            : String(retryAfterSeconds);
      }
      count(service, `http_${status}`);
      return json({ error_code: status, message: 'SIMULATED_FAILURE' }, status, headers);
    }
    if (options.dstcode !== undefined && request.headers.get('dstcode') !== options.dstcode) {
      count(service, 'http_403');
      return json({ error_code: 403, message: 'DSTCODE_INCORRECT' }, 403);
    }
    const answer: SimAnswer = kind === 'auth' ? state.auth(body) : state.integrate(body);
    count(service, normalizeErrorCode(answer.error_code));
    return json(answer);
  }

  const control: PortalSimulatorControl = {
    refuseConnections: (forMs) => serialised(() => refuse(forMs)),
    acceptConnections: () => serialised(accept),
    fail(spec) {
      const parsed = FaultSpecSchema.parse(spec);
      fault = { spec: parsed, remaining: parsed.count ?? Number.POSITIVE_INFINITY };
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
    expireSessions: () => state.expireSessions(),
    rejectCodes(codes, detail = {}) {
      for (const code of codes) {
        state.rejections.set(code, {
          errorCode: detail.errorCode ?? 'SIM_INVALID',
          field: detail.field ?? 'MaHoSo',
          reason: detail.reason ?? 'rejected by the simulator on command',
        });
      }
    },
    clearRejections: () => state.rejections.clear(),
    setCapacity(perSecond) {
      capacity = perSecond;
      window.second = -1;
    },
    refuseCaller(on) {
      state.callerRefused = on;
    },
    setExistsAnswer(how) {
      state.existsAnswer = { ...how };
    },
    reset() {
      fault = undefined;
      delayMs = 0;
      capacity = undefined;
      state.rejections.clear();
      state.callerRefused = false;
      state.existsAnswer = { code: '-3', named: true };
    },
    clear() {
      state.clear();
      calls.clear();
    },
  };

  const stats: PortalSimulatorStats = {
    snapshot: () => ({
      calls: Object.fromEntries([...calls].map(([service, m]) => [service, Object.fromEntries(m)])),
      inserts: fromMap(state.inserts),
      updates: fromMap(state.updates),
      progress: fromMap(state.progress),
      dossiers: fromMap(state.dossiers),
      duplicateProgressIgnored: state.duplicateProgressIgnored,
    }),
    calls: (service) => Object.fromEntries(calls.get(service) ?? []),
    totalCalls: () => [...calls.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0),
    insertCount: (code) => state.inserts.get(code) ?? 0,
    updateCount: (code) => state.updates.get(code) ?? 0,
    progressOf: (code) => structuredClone(state.progress.get(code) ?? []),
    dossier: (code) => {
      const d = state.dossiers.get(code);
      return d === undefined ? undefined : structuredClone(d);
    },
    dossierCodes: () => [...state.dossiers.keys()],
    requests: () => structuredClone(state.requests),
  };

  const app = new Hono<{ Bindings: HttpBindings }>();
  // The paths as a client configures them after PORTAL_URL (`joinUrl` of an empty base gives `/path`).
  app.post(joinUrl('', options.authPath ?? '/auth'), (c) => portalCall(c.req.raw, 'auth'));
  app.post(joinUrl('', options.integrationPath ?? '/integration'), (c) =>
    portalCall(c.req.raw, 'integration'),
  );
  if (options.controlRoutes !== false) mountControlRoutes(app, control, stats);
  app.notFound(() => json({ error_code: 404, message: 'NOT_FOUND' }, 404));
  app.onError((error) => json({ error_code: 500, message: `SIMULATOR_ERROR: ${error.message}` }, 500));

  // Socket lifecycle: one listener at a time, on a port fixed after the first listen.
  let server: Server | undefined;
  let port = options.port ?? 0;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let queue: Promise<void> = Promise.resolve();

  function serialised(step: () => Promise<void>): Promise<void> {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  }

  async function listen(): Promise<void> {
    const created = serve({ fetch: app.fetch, hostname: host, port, overrideGlobalObjects: false });
    if (!(created instanceof Server)) throw new Error('expected an HTTP/1 server');
    await new Promise<void>((resolve, reject) => {
      created.once('listening', resolve);
      created.once('error', reject);
    });
    const address = created.address();
    if (address === null || typeof address === 'string') throw new Error('simulator has no TCP address');
    port = address.port;
    server = created;
  }

  async function stopListening(): Promise<void> {
    const current = server;
    server = undefined;
    if (!current) return;
    await new Promise<void>((resolve) => {
      current.close(() => resolve());
      current.closeAllConnections();
    });
  }

  async function refuse(forMs?: number): Promise<void> {
    clearTimeout(reopenTimer);
    await stopListening();
    if (forMs !== undefined && !closed) {
      reopenTimer = setTimeout(() => {
        void control.acceptConnections().catch((error: unknown) => {
          console.error('portal simulator could not listen again', error);
        });
      }, forMs);
    }
  }

  async function accept(): Promise<void> {
    clearTimeout(reopenTimer);
    if (closed || server) return;
    await listen();
  }

  await listen();
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${port}`,
    control,
    stats,
    close: () =>
      serialised(async () => {
        closed = true;
        clearTimeout(reopenTimer);
        await stopListening();
      }),
  };
}
