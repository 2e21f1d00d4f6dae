/**
 * `TraCuuHoSo`: a dossier by its code or by the caller's record id, scoped as `GET /v1/dossiers/{id}`:
 * a dossier the caller may not see answers not_found, exactly like one that does not exist (docs/soap.md).
 */

import { toLookupAnswer } from '../../mappings/soap/lienthong.js';
import { type TraCuuHoSoAnswer, TraCuuHoSoSchema } from '../../schemas/soap/lienthong.js';
import { findCodeHolder } from '../intake/find-code-holder.js';
import { getDossier } from '../intake/get-dossier.js';
import { findDossierIdBySource } from '../intake/source.store.js';
import { NotFound, Validation } from '../lib/errors.js';
import type { Db } from '../store/store.js';
import { requireRole } from './soap.auth.js';
import { type SoapCall, validate } from './soap.call.js';

async function dossierIdOf(db: Db, call: SoapCall, code?: string, recordId?: string) {
  if (code !== undefined) return (await findCodeHolder(db, code))?.id;
  const system = call.principal.system;
  if (recordId === undefined || call.principal.role !== 'department' || !system) return undefined;
  return findDossierIdBySource(db, system, recordId);
}

export async function lookUpDossier(call: SoapCall, body: unknown): Promise<TraCuuHoSoAnswer> {
  const { principal, services } = call;
  requireRole(principal, 'TraCuuHoSo', 'department', 'operator');
  const { MaHoSo, MaHoSoNguon } = validate(TraCuuHoSoSchema, body);
  if ((MaHoSo === undefined) === (MaHoSoNguon === undefined)) {
    throw new Validation([
      { path: 'MaHoSo', rule: 'one_of', message: 'give exactly one of MaHoSo and MaHoSoNguon' },
    ]);
  }
  const db = services.store.db;
  const id = await dossierIdOf(db, call, MaHoSo, MaHoSoNguon);
  if (!id) throw new NotFound('no such dossier');
  try {
    return toLookupAnswer((await getDossier(db, principal, id)).dossier);
  } catch (error) {
    // The same answer as for a dossier that does not exist: nothing tells the two apart.
    if (error instanceof NotFound) throw new NotFound('no such dossier');
    throw error;
  }
}
