/** The MessageID header as an Idempotency-Key: a retry gets the stored answer, a reuse is refused (docs/soap.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from '../helpers/gateway.js';
import {
  envelope,
  readFault,
  type SoapGateway,
  startSoapGateway,
  tiepNhan,
  toXml,
  usernameToken,
} from './soap-gateway.js';

let sg: SoapGateway;
beforeAll(async () => {
  sg = await startSoapGateway();
});
afterAll(async () => {
  await sg.close();
});

async function send(operation: string, body: Record<string, unknown>, messageId: string, wsa = true) {
  const id = wsa
    ? `<wsa:MessageID xmlns:wsa="http://www.w3.org/2005/08/addressing">${messageId}</wsa:MessageID>`
    : `<lt:MessageID>${messageId}</lt:MessageID>`;
  const creds = usernameToken(await sg.idOf(sg.gw.keys.motcua), sg.gw.keys.motcua);
  return sg.post(envelope(toXml(operation, body), creds + id));
}

describe('MessageID', () => {
  it('a retried event with the same WS-Addressing MessageID is answered from the stored answer', async () => {
    const dossier = tiepNhan();
    expect((await send('TiepNhanHoSo', dossier, 'urn:uuid:push-1')).status).toBe(200);
    const event = { MaHoSoNguon: dossier.MaHoSoNguon, TrangThai: '4', ThoiDiem: '20261129090000' };
    const first = await send('CapNhatTienDo', event, 'urn:uuid:event-1');
    expect(first.text).toContain('applied');
    const history = count(sg.gw, 'status_history');
    const retry = await send('CapNhatTienDo', event, 'urn:uuid:event-1');
    // Without the stored answer the same event would answer "duplicate".
    expect(retry.text).toContain('applied');
    expect(retry.text).not.toContain('duplicate');
    expect(count(sg.gw, 'status_history')).toBe(history);
    const fresh = await send('CapNhatTienDo', event, 'urn:uuid:event-2');
    expect(fresh.text).toContain('duplicate');
  });

  it('a simple MessageID header works the same, and a reuse with another body is refused', async () => {
    const dossier = tiepNhan();
    const first = await send('TiepNhanHoSo', dossier, 'msg-42', false);
    expect(first.text).toContain('created');
    const retry = await send('TiepNhanHoSo', dossier, 'msg-42', false);
    expect(retry.text).toContain('created');
    expect(retry.text).not.toContain('updated');
    const before = count(sg.gw, 'dossiers');
    const fault = await readFault(await send('TiepNhanHoSo', tiepNhan(), 'msg-42', false));
    expect([fault.status, fault.code]).toEqual([422, 'idempotency_key_reused']);
    expect(count(sg.gw, 'dossiers')).toBe(before);
  });

  it('a MessageID that is not visible ASCII is a validation fault', async () => {
    const fault = await readFault(await send('TiepNhanHoSo', tiepNhan(), 'có dấu'));
    expect(fault.code).toBe('validation_failed');
    expect(fault.errors[0]?.path).toBe('Header.MessageID');
  });
});
