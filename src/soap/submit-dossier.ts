/**
 * `TiepNhanHoSo`: a legacy system submits or updates a dossier. The SOAP body is mapped to the canonical
 * input, validated by the same schema as `POST /v1/dossiers`, and pushed through the same use case in
 * one unit of work; a second push of the same record id is an update (docs/soap.md).
 */

import { submissionFromCaller } from '../../mappings/soap/caller-profile.js';
import { dossierPathToSoap, portalStatus, toDossierInput } from '../../mappings/soap/lienthong.js';
import { DossierInputSchema } from '../../schemas/dossier.js';
import { TiepNhanHoSoSchema, type WriteAnswer } from '../../schemas/soap/lienthong.js';
import { findDossier } from '../intake/dossier.store.js';
import { writeContext } from '../intake/intake.context.js';
import { push } from '../intake/push.js';
import { callerProfile } from './caller-profile.js';
import { requireRole } from './soap.auth.js';
import { inSoapTerms, type SoapCall, validate } from './soap.call.js';
import { soapWrite } from './soap.unit.js';

export async function submitDossier(call: SoapCall, body: unknown): Promise<WriteAnswer> {
  const { principal, services } = call;
  requireRole(principal, 'TiepNhanHoSo', 'department');
  const soap = validate(TiepNhanHoSoSchema, body);
  const profile = await callerProfile(services.store.db, principal);
  const own = profile ? submissionFromCaller(profile, soap) : soap;
  const input = validate(DossierInputSchema, toDossierInput(own), dossierPathToSoap);
  const write = { services, principal, operation: 'TiepNhanHoSo', body: soap, messageId: call.messageId };
  return soapWrite(write, async (trx) => {
    const result = await inSoapTerms(dossierPathToSoap, () =>
      push(writeContext(trx, services.intake), principal, input),
    );
    const dossier = await findDossier(trx, result.dossierId);
    if (!dossier) throw new Error('dossier vanished inside its own transaction');
    return {
      KetQua: result.outcome,
      IdHoSo: dossier.id,
      MaHoSo: dossier.code,
      TrangThai: portalStatus(dossier.status),
    };
  });
}
