/**
 * The simulated portal's memory and rules (docs/portal.md), without any transport: sessions,
 * the dossiers it holds, each dossier's progress in arrival order, and what it counted.
 *
 * Invariants:
 * - A call is applied whole or not at all: -3, -1, 500 DATA_INCORRECT and every refusal change nothing.
 * - Checks run in this order: IP allowed (101) → session (100) → madonvi (106, when configured) → envelope
 *   → per-call limit → each item's schema (first bad item in data order) → dossiers rejected on command
 *   → existence (-3 / -1) → apply.
 * - Call-level data problems (envelope, unknown service, over the per-call limit, a code twice in one
 *   insert) answer `500 DATA_INCORRECT: *: <field>: <reason>`: nothing is applied, `*` says no single
 *   dossier is to blame, and a caller that splits batches on DATA_INCORRECT ends up under the limit.
 * - A progress record equal to one held (same MaHoSo, ThoiDiemXuLy, TrangThai) is ignored, counted apart.
 */

import type { z } from 'zod';
import {
  PORTAL_SERVICE_LIMITS,
  PORTAL_SERVICES,
  type PortalDossier,
  PortalDossierSchema,
  PortalEnvelopeSchema,
  type PortalLookupItem,
  PortalLookupItemSchema,
  type PortalProgress,
  PortalProgressSchema,
  type PortalService,
} from '../../schemas/portal.js';

/** An application answer as the simulator writes it (codes typed as in the contract's table). */
export interface SimAnswer {
  error_code: number | string;
  message: string;
  session?: string;
  result?: PortalDossier[];
}

export const SUCCESS: SimAnswer = { error_code: '00', message: 'Thành công' };
export const AUTHEN_ERROR: SimAnswer = { error_code: 100, message: 'AUTHEN_ERROR' };
export const IP_DISALLOWED: SimAnswer = { error_code: 101, message: 'IP_DISALLOWED' };
export const AGENCY_ID_INCORRECT: SimAnswer = { error_code: 106, message: 'AGENCY_ID_INCORRECT' };

/** `500 DATA_INCORRECT: <MaHoSo>: <field>: <reason>`; `*` when the whole call is refused. */
export function dataIncorrect(code: string, field: string, reason: string): SimAnswer {
  return { error_code: 500, message: `DATA_INCORRECT: ${code}: ${field}: ${reason}` };
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
  /** When set, integration calls with another `madonvi` answer 106. */
  madonvi?: string | undefined;
  sessionTtlMs: number;
  now: () => number;
}

export interface Rejection {
  field: string;
  reason: string;
}

const ITEM_NAMES: Record<PortalService, string> = {
  DongBoHoSoMC: 'dossiers',
  CapNhatTienDoHoSoMC: 'progress records',
  TraCuuHoSo: 'lookups',
};

function isService(s: string): s is PortalService {
  return (PORTAL_SERVICES as readonly string[]).includes(s);
}

function codeOf(item: unknown): string {
  return typeof item === 'object' &&
    item !== null &&
    'MaHoSo' in item &&
    typeof item.MaHoSo === 'string' &&
    item.MaHoSo !== ''
    ? item.MaHoSo
    : '*';
}

function unique(codes: readonly string[]): string[] {
  return [...new Set(codes)];
}

type Checked<T> = { ok: true; items: T[] } | { ok: false; answer: SimAnswer };

/** Validates every item; the first bad one (in data order) names the refusal. */
function checkItems<T>(schema: z.ZodType<T>, data: readonly unknown[]): Checked<T> {
  const items: T[] = [];
  for (const item of data) {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(object)';
      return { ok: false, answer: dataIncorrect(codeOf(item), field, issue?.message ?? 'invalid') };
    }
    items.push(parsed.data);
  }
  return { ok: true, items };
}

export class PortalState {
  private readonly sessions = new Map<string, number>();
  readonly dossiers = new Map<string, PortalDossier>();
  readonly progress = new Map<string, PortalProgress[]>();
  readonly inserts = new Map<string, number>();
  readonly updates = new Map<string, number>();
  readonly rejections = new Map<string, Rejection>();
  duplicateProgressIgnored = 0;
  ipDisallowed = false;
  existsAnswer: ExistsAnswer = { code: '-3', named: true };

  constructor(private readonly options: PortalStateOptions) {}

  /** `POST /auth`. */
  auth(body: unknown): SimAnswer {
    if (this.ipDisallowed) return IP_DISALLOWED;
    const ok =
      typeof body === 'object' &&
      body !== null &&
      'username' in body &&
      'password' in body &&
      body.username === this.options.username &&
      body.password === this.options.password;
    if (!ok) return AUTHEN_ERROR;
    const session = crypto.randomUUID();
    this.sessions.set(session, this.options.now() + this.options.sessionTtlMs);
    return { error_code: 0, message: 'Thành công', session };
  }

  /** Forgets every session: the next call of every client answers AUTHEN_ERROR. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** Forgets dossiers, progress, sessions and counts (not the misbehaviour settings). */
  clear(): void {
    this.sessions.clear();
    this.dossiers.clear();
    this.progress.clear();
    this.inserts.clear();
    this.updates.clear();
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

  /** `POST /integration`. */
  integrate(body: unknown): SimAnswer {
    if (this.ipDisallowed) return IP_DISALLOWED;
    const session = typeof body === 'object' && body !== null && 'session' in body ? body.session : undefined;
    if (!this.sessionValid(session)) return AUTHEN_ERROR;
    const madonvi = typeof body === 'object' && body !== null && 'madonvi' in body ? body.madonvi : undefined;
    if (this.options.madonvi !== undefined && madonvi !== this.options.madonvi) return AGENCY_ID_INCORRECT;
    const envelope = PortalEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      return dataIncorrect('*', issue?.path.map(String).join('.') || 'body', issue?.message ?? 'invalid');
    }
    const { service, data, isUpdating } = envelope.data;
    if (!isService(service)) {
      return dataIncorrect('*', 'service', `unknown service "${service}" (${PORTAL_SERVICES.join(', ')})`);
    }
    const limit = PORTAL_SERVICE_LIMITS[service];
    if (data.length > limit) {
      return dataIncorrect(
        '*',
        'data',
        `at most ${limit} ${ITEM_NAMES[service]} per call, got ${data.length}`,
      );
    }
    switch (service) {
      case 'DongBoHoSoMC':
        return this.syncDossiers(data, isUpdating);
      case 'CapNhatTienDoHoSoMC':
        return this.appendProgress(data);
      case 'TraCuuHoSo':
        return this.lookup(data);
    }
  }

  private rejected(codes: readonly string[]): SimAnswer | undefined {
    for (const code of codes) {
      const rejection = this.rejections.get(code);
      if (rejection) return dataIncorrect(code, rejection.field, rejection.reason);
    }
    return undefined;
  }

  private syncDossiers(data: readonly unknown[], isUpdating: boolean): SimAnswer {
    const checked = checkItems(PortalDossierSchema, data);
    if (!checked.ok) return checked.answer;
    const codes = checked.items.map((d) => d.MaHoSo);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice !== undefined) return dataIncorrect(twice, 'MaHoSo', 'appears more than once in this call');
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
    const checked = checkItems(PortalProgressSchema, data);
    if (!checked.ok) return checked.answer;
    const codes = checked.items.map((r) => r.MaHoSo);
    const rejected = this.rejected(codes);
    if (rejected) return rejected;
    const missing = unique(codes.filter((c) => !this.dossiers.has(c)));
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

  private lookup(data: readonly unknown[]): SimAnswer {
    const checked = checkItems<PortalLookupItem>(PortalLookupItemSchema, data);
    if (!checked.ok) return checked.answer;
    const result: PortalDossier[] = [];
    for (const { MaHoSo } of checked.items) {
      const dossier = this.dossiers.get(MaHoSo);
      if (dossier) result.push(structuredClone(dossier));
    }
    return { ...SUCCESS, result };
  }
}
