/**
 * What a portal call can come to, classified once here so the retry layer decides in one place.
 *
 * `retryable` says whether the SAME call may succeed later unchanged:
 * - ok: nothing to retry;
 * - exists (-3): never as is; the caller resends those codes as updates and the rest as an insert;
 * - not_found (-1): yes, once the dossier sync has gone first;
 * - data_incorrect (500): never; the named dossier is dead-lettered, the others resent;
 * - config_fault (101, 106, AUTHEN_ERROR twice, HTTP 4xx): never by itself; an operator must act;
 * - outage (network, timeout, HTTP 408, 429 or 5xx, unparseable body, unknown error_code): yes, after
 *   a backoff or `retryAfterMs`.
 */
import type { PortalAnswer, PortalStoredDossier } from '../../schemas/portal.js';

export type PortalFailure =
  | { kind: 'exists'; retryable: false; codes: string[]; message: string }
  | { kind: 'not_found'; retryable: true; codes: string[]; message: string }
  | {
      kind: 'data_incorrect';
      retryable: false;
      /** MaHoSo named by the portal; undefined when the whole call was refused. */
      code: string | undefined;
      field: string | undefined;
      reason: string;
      message: string;
      /** `client`: refused by our own validation before sending; nothing went out. */
      origin: 'portal' | 'client';
    }
  | { kind: 'config_fault'; retryable: false; errorCode: string; message: string }
  | {
      kind: 'outage';
      retryable: true;
      status?: number | undefined;
      retryAfterMs?: number | undefined;
      message: string;
    };

/** The result of DongBoHoSoMC and CapNhatTienDoHoSoMC. */
export type PortalCallResult = { kind: 'ok'; retryable: false } | PortalFailure;

/** The result of TraCuuHoSo: the dossiers the portal holds, and the codes it does not know. */
export type PortalLookupResult =
  | { kind: 'ok'; retryable: false; found: PortalStoredDossier[]; missing: string[] }
  | PortalFailure;

export const OK: { kind: 'ok'; retryable: false } = { kind: 'ok', retryable: false };

/** `0`, `"0"`, `"00"` → `"00"`; any other code as a trimmed string (`-3` → `"-3"`). */
export function normalizeErrorCode(code: number | string): string {
  const s = String(code).trim();
  return /^0+$/.test(s) ? '00' : s;
}

/** `Hồ sơ đã tồn tại: A, B` → `['A', 'B']`; no list → `[]`. */
export function parseCodeList(message: string): string[] {
  const colon = message.indexOf(':');
  if (colon < 0) return [];
  return message
    .slice(colon + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * `DATA_INCORRECT: <MaHoSo>: <field>: <reason>` into its parts (the reason may itself contain ": ").
 * A MaHoSo of `*` or empty means "the whole call" (the simulator uses it for call-level problems such as
 * the per-call limit). With fewer parts, what is there is kept: `<field>: <reason>` or just a reason.
 */
export function parseDataIncorrect(message: string): { code?: string; field?: string; reason: string } {
  const m = /^\s*DATA_INCORRECT\s*:?\s*/i.exec(message);
  const rest = m ? message.slice(m[0].length) : message;
  const parts = rest.split(': ');
  if (parts.length >= 3) {
    const [code = '', field = '', ...reason] = parts;
    const c = code.trim();
    return {
      ...(c === '' || c === '*' ? {} : { code: c }),
      field: field.trim(),
      reason: reason.join(': ').trim(),
    };
  }
  if (parts.length === 2) return { field: (parts[0] ?? '').trim(), reason: (parts[1] ?? '').trim() };
  return { reason: rest.trim() || message };
}

/** `Retry-After` as delta-seconds or an HTTP-date, in milliseconds from `now` (never negative). */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Classifies an application answer (HTTP 200). AUTHEN_ERROR (100) is the caller's business (re-login
 * once) and comes back here only as the second one in a row.
 */
export function classifyAnswer(answer: PortalAnswer): PortalCallResult {
  const code = normalizeErrorCode(answer.error_code);
  const message = answer.message ?? '';
  switch (code) {
    case '00':
      return OK;
    case '-3':
      return { kind: 'exists', retryable: false, codes: parseCodeList(message), message };
    case '-1':
      return { kind: 'not_found', retryable: true, codes: parseCodeList(message), message };
    case '100':
      return {
        kind: 'config_fault',
        retryable: false,
        errorCode: code,
        message: `AUTHEN_ERROR twice in a row (a fresh session was refused too): ${message}`,
      };
    case '101':
    case '106':
      return { kind: 'config_fault', retryable: false, errorCode: code, message: message || code };
    case '500': {
      const parts = parseDataIncorrect(message);
      return {
        kind: 'data_incorrect',
        retryable: false,
        code: parts.code,
        field: parts.field,
        reason: parts.reason,
        message,
        origin: 'portal',
      };
    }
    default:
      return {
        kind: 'outage',
        retryable: true,
        message: `unexpected error_code ${JSON.stringify(answer.error_code)}: ${message}`,
      };
  }
}
