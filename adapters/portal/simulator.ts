/**
 * A simulator of the national portal for tests, demos and sandbox mode: a Hono app on a real loopback
 * socket that enforces the contract (rules in `simulator.state.ts`) and misbehaves on command, through
 * `control` in-process or the `/__sim/...` HTTP routes from another process.
 *
 * Misbehaviour is applied to the portal's own routes (`/auth`, `/integration`) in this order: capacity
 * (over N calls per second → 429, `Retry-After: 1`) → injected HTTP failure (5xx or 429, chosen on arrival)
 * → delay → the failure, or the dstcode check and the contract. A slow call is still applied after its
 * delay even if the caller gave up, as a real portal would: a timeout does not mean "not applied".
 * Control routes are exempt, so a test can always switch misbehaviour off.
 * "Refuse connections" really stops accepting: the listening socket is closed and open connections are
 * destroyed, then a new listener is opened on the same port when connections are accepted again.
 *
 * For tests only: the control routes are unauthenticated; bind to loopback (the default).
 */
import { Server } from 'node:http';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.js';
import { normalizeErrorCode } from './answers.js';
import { type ExistsAnswer, PortalState, type SimAnswer } from './simulator.state.js';

export interface PortalSimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port; it is kept when connections are refused and accepted again. */
  port?: number;
  username: string;
  password: string;
  /** When set, calls without this `dstcode` header answer HTTP 403 (the platform cannot route them). */
  dstcode?: string | undefined;
  /** When set, integration calls with another `madonvi` answer 106 AGENCY_ID_INCORRECT. */
  madonvi?: string | undefined;
  sessionTtlMs?: number;
  /** Clock for sessions, the capacity window and HTTP-date Retry-After values. */
  now?: () => number;
  /** Serve the `/__sim/...` control routes (default true). */
  controlRoutes?: boolean;
}

/** An injected HTTP failure: answer `status` (5xx or 429) to the next `count` portal calls. */
export interface FaultSpec {
  status: number;
  /** How many calls fail; until `reset()` when absent. */
  count?: number | undefined;
  retryAfterSeconds?: number | undefined;
  /** `seconds` (default) sends `Retry-After: 5`; `http-date` sends the instant as an HTTP date. */
  retryAfterFormat?: 'seconds' | 'http-date' | undefined;
}

export interface PortalSimulatorControl {
  /** Closes the listening socket and open connections; accepts again after `forMs` when given. */
  refuseConnections(forMs?: number): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  fail(spec: FaultSpec): void;
  /** Answers every portal call after `ms` (0 turns it off). */
  delay(ms: number): void;
  /** Every session expires now: the next call answers AUTHEN_ERROR. */
  expireSessions(): void;
  /** Refuses dossiers and progress of these codes as `500 DATA_INCORRECT: <code>: <field>: <reason>`. */
  rejectCodes(codes: readonly string[], detail?: { field?: string; reason?: string }): void;
  clearRejections(): void;
  /** At most `perSecond` portal calls per second, the rest answer 429; `undefined` removes the limit. */
  setCapacity(perSecond: number | undefined): void;
  /** Answers 101 IP_DISALLOWED to every call while on. */
  setIpDisallowed(on: boolean): void;
  /** How an insert of a held code is answered: `-3` or `3`, with or without the codes listed. */
  setExistsAnswer(how: ExistsAnswer): void;
  /** Turns every misbehaviour off (faults, delay, capacity, rejections, IP refusal); keeps the data. */
  reset(): void;
  /** Forgets dossiers, progress, sessions and counts; keeps the misbehaviour settings. */
  clear(): void;
}

export interface SimulatorStatsSnapshot {
  /** service (`auth`, `DongBoHoSoMC`, …) → outcome (`00`, `-3`, `100`, `500`, `http_503`, …) → calls. */
  calls: Record<string, Record<string, number>>;
  /** Accepted inserts per MaHoSo (a refused call counts nothing). */
  inserts: Record<string, number>;
  updates: Record<string, number>;
  /** Accepted progress records per MaHoSo, in the order received. */
  progress: Record<string, PortalProgress[]>;
  /** The dossier objects held, by MaHoSo. */
  dossiers: Record<string, PortalDossier>;
  duplicateProgressIgnored: number;
}

export interface PortalSimulatorStats {
  snapshot(): SimulatorStatsSnapshot;
  /** Outcome counts of one service (a copy). */
  calls(service: string): Record<string, number>;
  totalCalls(): number;
  insertCount(code: string): number;
  updateCount(code: string): number;
  progressOf(code: string): PortalProgress[];
  dossier(code: string): PortalDossier | undefined;
  dossierCodes(): string[];
}

export interface PortalSimulator {
  url: string;
  control: PortalSimulatorControl;
  stats: PortalSimulatorStats;
  close(): Promise<void>;
}

const FaultSpecSchema = z.strictObject({
  status: z
    .number()
    .int()
    .refine((s) => s === 429 || (s >= 500 && s <= 599), 'must be 429 or 5xx'),
  count: z.number().int().min(1).optional(),
  retryAfterSeconds: z.number().min(0).max(86_400).optional(),
  retryAfterFormat: z.enum(['seconds', 'http-date']).optional(),
});

const ControlSchemas = {
  refuse: z.strictObject({ forMs: z.number().int().min(1).max(600_000) }),
  delay: z.strictObject({ ms: z.number().int().min(0).max(600_000) }),
  reject: z.strictObject({
    codes: z.array(z.string().min(1)),
    field: z.string().min(1).optional(),
    reason: z.string().min(1).optional(),
  }),
  capacity: z.strictObject({ perSecond: z.number().int().min(1).nullable() }),
  ipDisallowed: z.strictObject({ on: z.boolean() }),
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
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
    setIpDisallowed(on) {
      state.ipDisallowed = on;
    },
    setExistsAnswer(how) {
      state.existsAnswer = { ...how };
    },
    reset() {
      fault = undefined;
      delayMs = 0;
      capacity = undefined;
      state.rejections.clear();
      state.ipDisallowed = false;
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
  };

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.post('/auth', (c) => portalCall(c.req.raw, 'auth'));
  app.post('/integration', (c) => portalCall(c.req.raw, 'integration'));
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

/** The `/__sim/...` routes: the same switches as `control`, for a test or demo in another process. */
function mountControlRoutes(
  app: Hono<{ Bindings: HttpBindings }>,
  control: PortalSimulatorControl,
  stats: PortalSimulatorStats,
): void {
  const read = async <T extends z.ZodType>(request: Request, schema: T) => {
    const body: unknown = await request.json().catch(() => undefined);
    return schema.safeParse(body);
  };
  const invalid = (error: z.ZodError) => json({ error: z.prettifyError(error) }, 400);
  const done = () => json({ ok: true });

  app.get('/__sim/stats', () => json(stats.snapshot()));
  app.post('/__sim/refuse-connections', async (c) => {
    const parsed = await read(c.req.raw, ControlSchemas.refuse);
    if (!parsed.success) return invalid(parsed.error);
    // Answer first, then stop accepting: the answer must reach the caller before its socket is cut.
    const start = () => setTimeout(() => void control.refuseConnections(parsed.data.forMs), 10);
    const outgoing = c.env?.outgoing;
    if (outgoing) outgoing.once('finish', start);
    else start();
    return json({ ok: true, refusingForMs: parsed.data.forMs }, 200, { connection: 'close' });
  });
  app.post('/__sim/fail', async (c) => {
    const parsed = await read(c.req.raw, FaultSpecSchema);
    if (!parsed.success) return invalid(parsed.error);
    control.fail(parsed.data);
    return done();
  });
  app.post('/__sim/delay', async (c) => {
    const parsed = await read(c.req.raw, ControlSchemas.delay);
    if (!parsed.success) return invalid(parsed.error);
    control.delay(parsed.data.ms);
    return done();
  });
  app.post('/__sim/expire-sessions', () => {
    control.expireSessions();
    return done();
  });
  app.post('/__sim/reject', async (c) => {
    const parsed = await read(c.req.raw, ControlSchemas.reject);
    if (!parsed.success) return invalid(parsed.error);
    const { codes, field, reason } = parsed.data;
    control.rejectCodes(codes, { ...(field ? { field } : {}), ...(reason ? { reason } : {}) });
    return done();
  });
  app.post('/__sim/clear-rejections', () => {
    control.clearRejections();
    return done();
  });
  app.post('/__sim/capacity', async (c) => {
    const parsed = await read(c.req.raw, ControlSchemas.capacity);
    if (!parsed.success) return invalid(parsed.error);
    control.setCapacity(parsed.data.perSecond ?? undefined);
    return done();
  });
  app.post('/__sim/ip-disallowed', async (c) => {
    const parsed = await read(c.req.raw, ControlSchemas.ipDisallowed);
    if (!parsed.success) return invalid(parsed.error);
    control.setIpDisallowed(parsed.data.on);
    return done();
  });
  app.post('/__sim/reset', () => {
    control.reset();
    return done();
  });
  app.post('/__sim/clear', () => {
    control.clear();
    return done();
  });
}
