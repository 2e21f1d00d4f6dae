/**
 * How a test or a demo steers the portal simulator: the in-process `control` and `stats` interfaces, and
 * the `/__sim/...` HTTP routes that offer the same switches to another process. For tests only: the
 * control routes are unauthenticated; bind the simulator to loopback (the default).
 */
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { SimDossier, SimProgress } from './simulator.contract.js';
import type { ExistsAnswer } from './simulator.state.js';

/** An injected HTTP failure: answer `status` (5xx or 429) to the next `count` portal calls. */
export interface FaultSpec {
  status: number;
  /** How many calls fail; until `reset()` when absent. */
  count?: number | undefined;
  retryAfterSeconds?: number | undefined;
  /** `seconds` (default) sends `Retry-After: 5`; `http-date` sends the instant as an HTTP date. */
  retryAfterFormat?: 'seconds' | 'http-date' | undefined;
}

/** How a dossier refused on command is answered (default `SIM_INVALID`, field `MaHoSo`). */
export interface RejectionSpec {
  field?: string;
  reason?: string;
  /** The answer's `error_code`: any code outside the contract's, to show that none is special. */
  errorCode?: string | number;
}

export interface PortalSimulatorControl {
  /** Closes the listening socket and open connections; accepts again after `forMs` when given. */
  refuseConnections(forMs?: number): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  fail(spec: FaultSpec): void;
  /** Answers every portal call after `ms` (0 turns it off). */
  delay(ms: number): void;
  /** Every session expires now: the next call is refused as SIM_SESSION_UNKNOWN. */
  expireSessions(): void;
  /** Refuses dossiers and progress of these codes, naming the dossier in the answer's message. */
  rejectCodes(codes: readonly string[], detail?: RejectionSpec): void;
  clearRejections(): void;
  /** At most `perSecond` portal calls per second, the rest answer 429; `undefined` removes the limit. */
  setCapacity(perSecond: number | undefined): void;
  /** Refuses every login and call (SIM_CALLER_REFUSED, naming no dossier) while on. */
  refuseCaller(on: boolean): void;
  /** How an insert of a held code is answered: `-3` or `3`, with or without the codes listed. */
  setExistsAnswer(how: ExistsAnswer): void;
  /** Turns every misbehaviour off (faults, delay, capacity, rejections, refused caller, exists wording). */
  reset(): void;
  /** Forgets dossiers, progress, sessions, requests and counts; keeps the misbehaviour settings. */
  clear(): void;
}

export interface SimulatorStatsSnapshot {
  /** service (`auth`, `DongBoHoSoMC`, …) → outcome (`00`, `-3`, `SIM_INVALID`, `http_503`, …) → calls. */
  calls: Record<string, Record<string, number>>;
  /** Accepted inserts per MaHoSo (a refused call counts nothing). */
  inserts: Record<string, number>;
  updates: Record<string, number>;
  /** Accepted progress records per MaHoSo, in the order received. */
  progress: Record<string, SimProgress[]>;
  /** The dossier objects held, by MaHoSo. */
  dossiers: Record<string, SimDossier>;
  duplicateProgressIgnored: number;
}

export interface PortalSimulatorStats {
  snapshot(): SimulatorStatsSnapshot;
  /** Outcome counts of one service (a copy). */
  calls(service: string): Record<string, number>;
  totalCalls(): number;
  insertCount(code: string): number;
  updateCount(code: string): number;
  progressOf(code: string): SimProgress[];
  dossier(code: string): SimDossier | undefined;
  dossierCodes(): string[];
  /** The last 50 integration requests as received (raw JSON, a copy), newest last. */
  requests(): unknown[];
}

export const FaultSpecSchema = z.strictObject({
  status: z
    .number()
    .int()
    .refine((s) => s === 429 || (s >= 500 && s <= 599), 'must be 429 or 5xx'),
  count: z.number().int().min(1).optional(),
  retryAfterSeconds: z.number().min(0).max(86_400).optional(),
  retryAfterFormat: z.enum(['seconds', 'http-date']).optional(),
});

export const ExistsAnswerSchema = z.strictObject({
  code: z.union([z.literal(-3), z.literal(3), z.literal('-3'), z.literal('3')]),
  named: z.boolean(),
});

const ControlSchemas = {
  refuse: z.strictObject({ forMs: z.number().int().min(1).max(600_000) }),
  delay: z.strictObject({ ms: z.number().int().min(0).max(600_000) }),
  reject: z.strictObject({
    codes: z.array(z.string().min(1)),
    field: z.string().min(1).optional(),
    reason: z.string().min(1).optional(),
    errorCode: z.union([z.string().min(1), z.number()]).optional(),
  }),
  capacity: z.strictObject({ perSecond: z.number().int().min(1).nullable() }),
  refuseCaller: z.strictObject({ on: z.boolean() }),
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The `/__sim/...` routes: the same switches as `control`, for a test or demo in another process. */
export function mountControlRoutes(
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
  /** A switch that takes a JSON body: parse it, apply it, answer `{ok: true}`. */
  const route = <T extends z.ZodType>(path: string, schema: T, apply: (body: z.output<T>) => void) =>
    app.post(`/__sim/${path}`, async (c) => {
      const parsed = await read(c.req.raw, schema);
      if (!parsed.success) return invalid(parsed.error);
      apply(parsed.data);
      return done();
    });
  /** A switch without a body. */
  const action = (path: string, apply: () => void) =>
    app.post(`/__sim/${path}`, () => {
      apply();
      return done();
    });

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
  route('fail', FaultSpecSchema, (spec) => control.fail(spec));
  route('delay', ControlSchemas.delay, ({ ms }) => control.delay(ms));
  action('expire-sessions', () => control.expireSessions());
  route('reject', ControlSchemas.reject, ({ codes, field, reason, errorCode }) =>
    control.rejectCodes(codes, {
      ...(field ? { field } : {}),
      ...(reason ? { reason } : {}),
      ...(errorCode !== undefined ? { errorCode } : {}),
    }),
  );
  action('clear-rejections', () => control.clearRejections());
  route('capacity', ControlSchemas.capacity, ({ perSecond }) => control.setCapacity(perSecond ?? undefined));
  route('refuse-caller', ControlSchemas.refuseCaller, ({ on }) => control.refuseCaller(on));
  route('exists-answer', ExistsAnswerSchema, (how) => control.setExistsAnswer(how));
  action('reset', () => control.reset());
  action('clear', () => control.clear());
}
