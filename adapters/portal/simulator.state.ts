/**
 * The simulated portal's memory and rules (docs/portal-contract.md), without any transport: sessions,
 * the dossiers it holds, each dossier's progress in arrival order, and what it counted.
 *
 * Invariants:
 * - A call is applied whole or not at all: "đã tồn tại", "không tìm thấy" and every refusal change nothing.
 * - Checks run in this order: caller refused on command → session → madonvi (when configured) → envelope
 *   → per-call limit → each item against the contract (first bad item in data order) → dossiers refused
 *   on command → existence → apply.
 * - Answers use the contract's codes where it has one (`00` applied, `-3`/`3` "đã tồn tại", `-1` "không
 *   tìm thấy"). Where it has none, the codes are the simulator's own, spelled `SIM_…` so nobody takes them
 *   for the portal's; a refusal names the dossier to blame in its message, or `*` for the whole call.
 * - A progress record equal to one held (same MaHoSo, ThoiDiemXuLy, TrangThai) is ignored, counted apart.
 */
import type { z } from 'zod';
import {
  SIM_LIMITS,
  SIM_SERVICES,
  type SimDossier,
  SimDossierSchema,
  SimEnvelopeSchema,
  SimLookupBodySchema,
  type SimProgress,
  SimProgressBodySchema,
  SimProgressSchema,
  type SimService,
  SimSyncBodySchema,
} from './simulator.contract.js';

/** An application answer as the simulator writes it. */
export interface SimAnswer {
  error_code: number | string;
  message: string;
  session?: string;
  result?: SimDossier[];
}

export const SUCCESS: SimAnswer = { error_code: '00', message: 'Thành công' };
export const LOGIN_REFUSED: SimAnswer = {
  error_code: 'SIM_LOGIN_REFUSED',
  message: 'simulator: username or password not accepted',
};
export const SESSION_UNKNOWN: SimAnswer = {
  error_code: 'SIM_SESSION_UNKNOWN',
  message: 'simulator: session unknown or expired',
};
export const CALLER_REFUSED: SimAnswer = {
  error_code: 'SIM_CALLER_REFUSED',
  message: 'simulator: every call refused on command',
};
export const MADONVI_UNKNOWN: SimAnswer = {
  error_code: 'SIM_MADONVI_UNKNOWN',
  message: 'simulator: madonvi is not the one of this account',
};

/** `SIM_INVALID` naming the dossier to blame (`*` for the whole call), the field and the reason. */
export function invalid(code: string, field: string, reason: string): SimAnswer {
  return { error_code: 'SIM_INVALID', message: `simulator: ${code}: ${field}: ${reason}` };
}

/** How the simulator words "đã tồn tại": the code (`-3` or `3`) and whether the codes are listed. */
export interface ExistsAnswer {
  code: '-3' | '3' | -3 | 3;
  named: boolean;
}

export function alreadyExists(
  codes: readonly string[],
  how: ExistsAnswer = { code: '-3', named: true },
): SimAnswer {
  return {
    error_code: how.code,
    message: how.named ? `Hồ sơ đã tồn tại: ${codes.join(', ')}` : 'Hồ sơ đã tồn tại',
  };
}
export function notFound(codes: readonly string[]): SimAnswer {
  return { error_code: '-1', message: `Không tìm thấy hồ sơ: ${codes.join(', ')}` };
}

export interface PortalStateOptions {
  username: string;
  password: string;
  /** When set, integration calls with another `madonvi` are refused. */
  madonvi?: string | undefined;
  sessionTtlMs: number;
  now: () => number;
}

/** A dossier refused on command: the answer's code and its words. */
export interface Rejection {
  errorCode: string | number;
  field: string;
  reason: string;
}

/** How many integration requests `requests` keeps, newest last. */
const REQUESTS_KEPT = 50;

function codeOf(item: unknown): string {
  return typeof item === 'object' &&
    item !== null &&
    'MaHoSo' in item &&
    typeof item.MaHoSo === 'string' &&
    item.MaHoSo !== ''
    ? item.MaHoSo
    : '*';
}

function fieldOf(issue: z.core.$ZodIssue | undefined, fallback: string): string {
  return issue?.path.map(String).join('.') || fallback;
}

type Checked<T> = { ok: true; items: T[] } | { ok: false; answer: SimAnswer };

/** Validates every item; the first bad one (in data order) names the refusal. */
function checkItems<T>(schema: z.ZodType<T>, data: readonly unknown[]): Checked<T> {
  const items: T[] = [];
  for (const item of data) {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        answer: invalid(codeOf(item), fieldOf(issue, '(object)'), issue?.message ?? 'invalid'),
      };
    }
    items.push(parsed.data);
  }
  return { ok: true, items };
}

/** The service's own part of the request, or the refusal of the whole call. */
function readBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; body: T } | { ok: false; answer: SimAnswer } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, answer: invalid('*', fieldOf(issue, 'body'), issue?.message ?? 'invalid') };
}

function overLimit(service: keyof typeof SIM_LIMITS, n: number): SimAnswer | undefined {
  const limit = SIM_LIMITS[service];
  const noun = service === 'DongBoHoSoMC' ? 'dossiers' : 'progress records';
  return n > limit ? invalid('*', 'data', `at most ${limit} ${noun} per call, got ${n}`) : undefined;
}

export class PortalState {
  private readonly sessions = new Map<string, number>();
  readonly dossiers = new Map<string, SimDossier>();
  readonly progress = new Map<string, SimProgress[]>();
  readonly inserts = new Map<string, number>();
  readonly updates = new Map<string, number>();
  readonly rejections = new Map<string, Rejection>();
  /** The last integration requests as received (raw JSON), newest last. */
  readonly requests: unknown[] = [];
  duplicateProgressIgnored = 0;
  callerRefused = false;
  existsAnswer: ExistsAnswer = { code: '-3', named: true };

  constructor(private readonly options: PortalStateOptions) {}

  /** The login. */
  auth(body: unknown): SimAnswer {
    if (this.callerRefused) return CALLER_REFUSED;
    const ok =
      typeof body === 'object' &&
      body !== null &&
      'username' in body &&
      'password' in body &&
      body.username === this.options.username &&
      body.password === this.options.password;
    if (!ok) return LOGIN_REFUSED;
    const session = crypto.randomUUID();
    this.sessions.set(session, this.options.now() + this.options.sessionTtlMs);
    return { error_code: 0, message: 'Thành công', session };
  }

  /** Forgets every session: the next call of every client is refused as SIM_SESSION_UNKNOWN. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** Forgets dossiers, progress, sessions, requests and counts (not the misbehaviour settings). */
  clear(): void {
    this.sessions.clear();
    this.dossiers.clear();
    this.progress.clear();
    this.inserts.clear();
    this.updates.clear();
    this.requests.length = 0;
    this.duplicateProgressIgnored = 0;
  }

  private sessionValid(session: unknown): boolean {
    if (typeof session !== 'string') return false;
    const expiresAt = this.sessions.get(session);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.options.now()) {
      this.sessions.delete(session);
      return false;
    }
    return true;
  }

  /** An integration call. */
  integrate(body: unknown): SimAnswer {
    this.requests.push(structuredClone(body));
    if (this.requests.length > REQUESTS_KEPT) this.requests.shift();
    if (this.callerRefused) return CALLER_REFUSED;
    const session = typeof body === 'object' && body !== null && 'session' in body ? body.session : undefined;
    if (!this.sessionValid(session)) return SESSION_UNKNOWN;
    const envelope = readBody(SimEnvelopeSchema, body);
    if (!envelope.ok) return envelope.answer;
    const { madonvi, service } = envelope.body;
    if (this.options.madonvi !== undefined && madonvi !== this.options.madonvi) return MADONVI_UNKNOWN;
    if (!(SIM_SERVICES as readonly string[]).includes(service)) {
      return invalid('*', 'service', `unknown service "${service}" (${SIM_SERVICES.join(', ')})`);
    }
    return this.serve(service as SimService, body);
  }

  private serve(service: SimService, body: unknown): SimAnswer {
    switch (service) {
      case 'DongBoHoSoMC': {
        const read = readBody(SimSyncBodySchema, body);
        if (!read.ok) return read.answer;
        const { data, isUpdating } = read.body;
        return overLimit(service, data.length) ?? this.syncDossiers(data, isUpdating);
      }
      case 'CapNhatTienDoHoSoMC': {
        const read = readBody(SimProgressBodySchema, body);
        if (!read.ok) return read.answer;
        return overLimit(service, read.body.data.length) ?? this.appendProgress(read.body.data);
      }
      case 'TraCuuHoSo': {
        const read = readBody(SimLookupBodySchema, body);
        return read.ok ? this.lookup(read.body.mahoso) : read.answer;
      }
    }
  }

  private rejected(codes: readonly string[]): SimAnswer | undefined {
    for (const code of codes) {
      const r = this.rejections.get(code);
      if (r)
        return { error_code: r.errorCode, message: `simulator: refused ${code}: ${r.field}: ${r.reason}` };
    }
    return undefined;
  }

  private syncDossiers(data: readonly unknown[], isUpdating: boolean): SimAnswer {
    const checked = checkItems(SimDossierSchema, data);
    if (!checked.ok) return checked.answer;
    const codes = checked.items.map((d) => d.MaHoSo);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice !== undefined) return invalid(twice, 'MaHoSo', 'appears more than once in this call');
    const rejected = this.rejected(codes);
    if (rejected) return rejected;
    if (isUpdating) {
      const missing = codes.filter((c) => !this.dossiers.has(c));
      if (missing.length > 0) return notFound(missing);
    } else {
      const existing = codes.filter((c) => this.dossiers.has(c));
      if (existing.length > 0) return alreadyExists(existing, this.existsAnswer);
    }
    const counts = isUpdating ? this.updates : this.inserts;
    for (const dossier of checked.items) {
      this.dossiers.set(dossier.MaHoSo, structuredClone(dossier));
      counts.set(dossier.MaHoSo, (counts.get(dossier.MaHoSo) ?? 0) + 1);
    }
    return SUCCESS;
  }

  private appendProgress(data: readonly unknown[]): SimAnswer {
    const checked = checkItems(SimProgressSchema, data);
    if (!checked.ok) return checked.answer;
    const codes = checked.items.map((r) => r.MaHoSo);
    const rejected = this.rejected(codes);
    if (rejected) return rejected;
    const missing = [...new Set(codes.filter((c) => !this.dossiers.has(c)))];
    if (missing.length > 0) return notFound(missing);
    for (const record of checked.items) {
      const held = this.progress.get(record.MaHoSo) ?? [];
      const duplicate = held.some(
        (r) => r.ThoiDiemXuLy === record.ThoiDiemXuLy && r.TrangThai === record.TrangThai,
      );
      if (duplicate) {
        this.duplicateProgressIgnored++;
        continue;
      }
      held.push(structuredClone(record));
      this.progress.set(record.MaHoSo, held);
    }
    return SUCCESS;
  }

  /** TraCuuHoSo: the held object in `result`, or an empty `result`. */
  private lookup(code: string): SimAnswer {
    const dossier = this.dossiers.get(code);
    return { ...SUCCESS, result: dossier ? [structuredClone(dossier)] : [] };
  }
}
