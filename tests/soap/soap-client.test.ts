/** A real SOAP client, built from the served WSDL, submits, updates and looks up a dossier (docs/soap.md). */
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDossierInput } from '../../mappings/soap/lienthong.js';
import { DossierInputSchema } from '../../schemas/dossier.js';
import { count, dossierBody } from '../helpers/gateway.js';
import { type SoapGateway, startSoapGateway, tiepNhan } from './soap-gateway.js';

let sg: SoapGateway;
beforeAll(async () => {
  sg = await startSoapGateway();
});
afterAll(async () => {
  await sg.close();
});

async function clientFor(key: string, how: 'wsse' | 'bearer' = 'wsse') {
  const client = await soap.createClientAsync(sg.wsdlUrl);
  if (how === 'wsse')
    client.setSecurity(new soap.WSSecurity(await sg.idOf(key), key, { hasTimeStamp: false }));
  else client.setSecurity(new soap.BearerSecurity(key));
  return client;
}

describe('LienThongService through a real SOAP client', () => {
  it('serves the WSDL with the address it was fetched from', async () => {
    const res = await fetch(sg.wsdlUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`location="${sg.url}"`);
    expect(text).toContain('name="LienThongService"');
  });

  it('submits, updates and looks up a dossier with a WS-Security UsernameToken', async () => {
    const client = await clientFor(sg.gw.keys.motcua);
    const body = tiepNhan();
    const [created] = await client.TiepNhanHoSoAsync(body);
    expect(created).toMatchObject({ KetQua: 'created', TrangThai: '2' });
    expect(created.MaHoSo).toMatch(/^000\.00\.15\.H24-/);

    const [updated] = await client.TiepNhanHoSoAsync({
      ...body,
      TrichYeu: 'Xin cấp phép xây dựng nhà ở 3 tầng',
    });
    expect(updated).toMatchObject({ KetQua: 'updated', IdHoSo: created.IdHoSo, MaHoSo: created.MaHoSo });
    expect(count(sg.gw, 'dossiers')).toBe(1);

    const [event] = await client.CapNhatTienDoAsync({
      MaHoSoNguon: body.MaHoSoNguon,
      TrangThai: '4',
      ThoiDiem: '20261129090000',
      NoiDung: 'Chuyển phòng chuyên môn',
      CanBo: { HoTen: 'Lê Văn Cường', ChucVu: 'Chuyên viên' },
    });
    expect(event).toMatchObject({ KetQua: 'applied', IdHoSo: created.IdHoSo, TrangThai: '4' });

    const [byCode] = await client.TraCuuHoSoAsync({ MaHoSo: created.MaHoSo });
    expect(byCode).toMatchObject({
      IdHoSo: created.IdHoSo,
      MaHoSo: created.MaHoSo,
      TrangThai: '4',
      NgayHenTra: '20261212170000',
      NgayTiepNhan: '20261128083000',
      MaThuTuc: '1.004227',
    });
    const [byRecord] = await client.TraCuuHoSoAsync({ MaHoSoNguon: body.MaHoSoNguon });
    expect(byRecord).toEqual(byCode);

    // What SOAP wrote is what REST reads: the same dossier, the same history.
    const rest = await sg.gw.request('GET', `/v1/dossiers/${created.IdHoSo}`);
    const dossier = (await rest.json()) as Record<string, any>;
    expect(dossier.summary).toBe('Xin cấp phép xây dựng nhà ở 3 tầng');
    expect(dossier.applicant.fullName).toBe('Trần Thị Bình');
    expect(dossier.history.map((h: { status: string }) => h.status)).toEqual(['received', 'processing']);
  });

  it('joins a dossier another system pushed over REST, as REST would (dual entry → merged)', async () => {
    const rest = dossierBody();
    const pushed = await sg.gw.request('POST', '/v1/dossiers', { body: rest });
    const dossier = (await pushed.json()) as { id: string; code: string };
    const input = DossierInputSchema.parse({ ...rest, code: dossier.code, source: { recordId: 'XD-77' } });
    const client = await clientFor(sg.gw.keys.xaydung);
    const [joined] = await client.TiepNhanHoSoAsync(fromDossierInput(input));
    expect(joined).toMatchObject({ KetQua: 'merged', IdHoSo: dossier.id, MaHoSo: dossier.code });
  });

  it('writes an access-log line per SOAP request, naming the client', async () => {
    const client = await clientFor(sg.gw.keys.xaydung);
    const requestId = `soap-log-${crypto.randomUUID()}`;
    await client
      .TraCuuHoSoAsync({ MaHoSoNguon: 'NONE' }, { headers: { 'X-Request-Id': requestId } })
      .catch(() => {});
    const line = sg.gw.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ msg: 'request', route: '/soap/lienthong', status: 404 });
    expect(line.client.id).toBe(await sg.idOf(sg.gw.keys.xaydung));
  });

  it('does the same through Authorization: Bearer', async () => {
    const client = await clientFor(sg.gw.keys.motcua, 'bearer');
    const body = tiepNhan();
    const [created] = await client.TiepNhanHoSoAsync(body);
    expect(created.KetQua).toBe('created');
    const [again] = await client.TiepNhanHoSoAsync(body);
    expect(again).toMatchObject({ KetQua: 'updated', IdHoSo: created.IdHoSo });
    const [found] = await client.TraCuuHoSoAsync({ MaHoSoNguon: body.MaHoSoNguon });
    expect(found).toMatchObject({ MaHoSo: created.MaHoSo, TrangThai: '2', NgayHenTra: '20261212170000' });
  });
});
