/**
 * What a TraCuuHoSo answer says about a dossier's status (docs/portal-contract.md: a non-empty `result`
 * holds the dossier object, whose `TrangThaiHoSo` is the portal's status code), and the code the
 * gateway's status maps to.
 */
import { STATUS_TO_PORTAL } from '../../mappings/portal/codes.js';

/** The portal's status code in a look-up's `result` (the object, or the first of an array). */
export function portalStatusOf(result: unknown): string | undefined {
  const item = Array.isArray(result) ? result[0] : result;
  if (item === null || typeof item !== 'object' || !('TrangThaiHoSo' in item)) return undefined;
  const code = item.TrangThaiHoSo;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** The portal's code for a gateway status, if it has one. */
export function expectedPortalStatus(status: string): string | undefined {
  return (STATUS_TO_PORTAL as Record<string, string>)[status];
}
