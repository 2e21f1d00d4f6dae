/**
 * What a portal call can come to, classified once here so the retry layer decides in one place. The rules
 * and their public sources are in docs/portal-contract.md; the portal publishes no list of error codes, so
 * only the codes a public client relies on are named here (`0`, `-3`/`3`, `-1`), each together with the
 * words of its message.
 *
 * `retryable` says whether the SAME call may succeed later unchanged:
 * - ok: nothing to retry;
 * - exists ("đã tồn tại"): never as is; the caller resends as updates the named dossiers, or every dossier
 *   of the call when none is named;
 * - not_found ("không tìm thấy"): yes, once the dossier sync has gone first;
 * - refused (any other failure that names a dossier of the call): never; that dossier is dead-lettered
 *   with the portal's message and the others are sent again;
 * - config_fault (the same unexplained failure again with a fresh session, HTTP 4xx, missing
 *   credentials): never by itself; an operator must act;
 * - outage (network, timeout, HTTP 408, 429 or 5xx, an unreadable body): yes, after a backoff or
 *   `retryAfterMs`.
 * A failure that names no dossier ("unexplained") is the client's business first: it logs in again once
 * and repeats the call, and only the second one in a row becomes a `config_fault`.
 */
import { z } from 'zod';

export type PortalFailure =
  | { kind: 'exists'; retryable: false; codes: string[]; errorCode: string; message: string }
  | { kind: 'not_found'; retryable: true; codes: string[]; errorCode: string; message: string }
  | {
      kind: 'refused';
      retryable: false;
      /** The dossiers of the call the portal named; empty only for a whole call refused by the client. */
      codes: string[];
      errorCode: string;
      message: string;
      /** `client`: refused by our own checks before sending; nothing went out. */
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

/** The result of TraCuuHoSo: whether the portal holds the dossier, and what it answered about it. */
export type PortalLookupResult =
  | { kind: 'ok'; retryable: false; held: boolean; result: unknown }
  | PortalFailure;

/** An application failure that names no dossier of the call: log in again once, then it is a fault. */
export interface Unexplained {
  kind: 'unexplained';
  errorCode: string;
  message: string;
}

export const OK: { kind: 'ok'; retryable: false } = { kind: 'ok', retryable: false };

/** `error_code` comes as a number or a string. */
export const PortalErrorCodeSchema = z.union([z.number(), z.string()]);

/** Every answer of the application: `{error_code, message?, session?, result?}`; other keys tolerated. */
export const PortalAnswerSchema = z.looseObject({
  error_code: PortalErrorCodeSchema,
  message: z.string().nullish(),
  session: z.string().nullish(),
  result: z.unknown().optional(),
});
export type PortalAnswer = z.output<typeof PortalAnswerSchema>;

/** `0`, `"0"`, `"00"` → `"00"`; any other code as a trimmed string (`-3` → `"-3"`). */
export function normalizeErrorCode(code: number | string): string {
  const s = String(code).trim();
  return /^0+$/.test(s) ? '00' : s;
}

/** Lower case, without diacritics, `đ` as `d`: `Hồ sơ ĐÃ TỒN TẠI` → `ho so da ton tai`. */
export function foldVietnamese(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

const EXISTS_WORDS = 'da ton tai';
const NOT_FOUND_WORDS = 'khong tim thay';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The codes of `callCodes` that `message` names, in call order. A code counts only as a whole word: not
 * inside a longer code (`…-0001` is not named by `…-00012`), though a sentence's full stop may follow it.
 */
export function namedCodes(message: string, callCodes: readonly string[]): string[] {
  const named: string[] = [];
  for (const code of new Set(callCodes)) {
    if (code === '') continue;
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}_.-])${escapeRegExp(code)}(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`,
      'u',
    );
    if (re.test(message)) named.push(code);
  }
  return named;
}

/**
 * Classifies an application answer (HTTP 200) to a call that carried `callCodes` (its MaHoSo values).
 * `insert` says the call was a DongBoHoSoMC insert: only there does a `0` saying "đã tồn tại" mean that
 * the insert was not applied.
 */
export function classifyAnswer(
  answer: PortalAnswer,
  callCodes: readonly string[],
  insert = false,
): PortalCallResult | Unexplained {
  const errorCode = normalizeErrorCode(answer.error_code);
  const message = answer.message ?? '';
  const words = foldVietnamese(message);
  const saysExists = words.includes(EXISTS_WORDS);
  // A success names no codes worth reading; the regexps below cost more than the rest of a call.
  if (errorCode === '00' && !saysExists) return OK;
  const codes = namedCodes(message, callCodes);
  // A provincial client reads "đã tồn tại" after a 0 too: the insert was not applied, an update is due.
  if (saysExists && (errorCode === '-3' || errorCode === '3' || (insert && errorCode === '00'))) {
    return { kind: 'exists', retryable: false, codes, errorCode, message };
  }
  if (errorCode === '00') return OK;
  if (errorCode === '-1' && words.includes(NOT_FOUND_WORDS)) {
    return { kind: 'not_found', retryable: true, codes, errorCode, message };
  }
  if (codes.length > 0) {
    return { kind: 'refused', retryable: false, codes, errorCode, message, origin: 'portal' };
  }
  return { kind: 'unexplained', errorCode, message };
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

/** True when a TraCuuHoSo `result` says the portal holds the dossier: anything but empty. */
export function isNonEmpty(result: unknown): boolean {
  if (result === undefined || result === null) return false;
  if (Array.isArray(result)) return result.length > 0;
  if (typeof result === 'string') return result.trim() !== '';
  if (typeof result === 'object') return Object.keys(result).length > 0;
  return true;
}
