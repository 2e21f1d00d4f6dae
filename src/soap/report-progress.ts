/**
 * `CapNhatTienDo`: a legacy system reports a status event for its own record id. Validated by the same
 * schema as `POST /v1/records/{recordId}/events` and recorded by the same use case (docs/soap.md).
 */
import { z } from 'zod';
import { progressFromCaller } from '../../mappings/soap/caller-profile.js';
import { eventPathToSoap, portalStatus, toEventInput } from '../../mappings/soap/lienthong.js';
import { StatusEventInputSchema } from '../../schemas/dossier.js';
import { zToken } from '../../schemas/identifiers.js';
import { CapNhatTienDoSchema, type WriteAnswer } from '../../schemas/soap/lienthong.js';
import { writeContext } from '../intake/intake.context.js';
import { recordEvent } from '../intake/record-event.js';
import { Validation } from '../lib/errors.js';
import { callerProfile } from './caller-profile.js';
import { requireRole } from './soap.auth.js';
import { check, inSoapTerms, type SoapCall, validate } from './soap.call.js';
import { soapWrite } from './soap.unit.js';

const RecordIdSchema = z.object({ MaHoSoNguon: zToken('record_id_format', 200) });

export async function reportProgress(call: SoapCall, body: unknown): Promise<WriteAnswer> {
  const { principal, services } = call;
  requireRole(principal, 'CapNhatTienDo', 'department');
  const soap = validate(CapNhatTienDoSchema, body);
  const profile = await callerProfile(services.store.db, principal);
  const own = profile ? progressFromCaller(profile, soap) : soap;
  // Both checks run, so one fault lists every failing field.
  const record = check(RecordIdSchema, { MaHoSoNguon: soap.MaHoSoNguon });
  const event = check(StatusEventInputSchema, toEventInput(own), eventPathToSoap);
  if (!record.ok || !event.ok) {
    throw new Validation([...(record.ok ? [] : record.errors), ...(event.ok ? [] : event.errors)]);
  }
  const recordId = record.value.MaHoSoNguon;
  const write = { services, principal, operation: 'CapNhatTienDo', body: soap, messageId: call.messageId };
  return soapWrite(write, async (trx) => {
    const result = await inSoapTerms(eventPathToSoap, () =>
      recordEvent(writeContext(trx, services.intake), principal, { recordId }, event.value),
    );
    return {
      KetQua: result.outcome,
      IdHoSo: result.dossier.id,
      MaHoSo: result.dossier.code,
      TrangThai: portalStatus(result.dossier.status),
    };
  });
}
