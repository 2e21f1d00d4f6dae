/** The SOAP body ↔ canonical input mapping (mappings/soap/lienthong.ts) round-trips without loss. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dossierPathToSoap,
  eventPathToSoap,
  fromDossierInput,
  soapDateIn,
  toDossierInput,
  toEventInput,
  toLookupAnswer,
} from '../../mappings/soap/lienthong.js';
import { CHANNELS, DossierInputSchema, STATUSES } from '../../schemas/dossier.js';
import { TiepNhanHoSoSchema } from '../../schemas/soap/lienthong.js';
import { dossierBody } from '../helpers/gateway.js';

const instant = fc
  .integer({ min: Date.parse('2020-01-01T00:00:00Z') / 1000, max: Date.parse('2026-12-01T00:00:00Z') / 1000 })
  .map((s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z'));

describe('TiepNhanHoSo ↔ canonical input', () => {
  it('a canonical input survives the trip through the SOAP body (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.constantFrom(...CHANNELS),
        fc.constantFrom('citizen', 'business', 'agency', 'organization'),
        fc.constantFrom('counter', 'postal'),
        instant,
        fc.integer({ min: 0, max: 60 * 24 * 3600 }),
        fc.array(fc.record({ amount: fc.integer({ min: 0, max: 10_000_000 }), digitized: fc.boolean() }), {
          maxLength: 4,
        }),
        (status, channel, type, method, received, dueAfter, items) => {
          const base = dossierBody();
          const due = new Date(Date.parse(received) + dueAfter * 1000).toISOString().replace('.000Z', 'Z');
          const input = DossierInputSchema.parse({
            ...base,
            status,
            channel,
            receivedAt: received,
            dueAt: due,
            resultReturn: { method },
            applicant: { ...(base.applicant as object), type },
            documents: items.map((d, i) => ({
              name: `Giấy tờ ${i}`,
              componentCode: `TP${i}`,
              digitized: d.digitized,
            })),
            fees: items.map((f, i) => ({ code: `P${i}`, name: `Phí ${i}`, amount: f.amount })),
          });
          const soap = TiepNhanHoSoSchema.parse(fromDossierInput(input));
          const back = DossierInputSchema.parse(toDossierInput(soap));
          // Dates come back in Vietnam time at whole seconds: the same instants.
          expect(Date.parse(back.receivedAt)).toBe(Date.parse(input.receivedAt));
          expect(Date.parse(back.dueAt ?? '')).toBe(Date.parse(input.dueAt ?? ''));
          expect({ ...back, receivedAt: 0, dueAt: 0 }).toEqual({ ...input, receivedAt: 0, dueAt: 0 });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts dates as yyyyMMddHHmmss in Vietnam time or ISO with an offset', () => {
    expect(soapDateIn('20261128083000')).toBe('2026-11-28T08:30:00+07:00');
    expect(soapDateIn('2026-11-28T01:30:00Z')).toBe('2026-11-28T01:30:00Z');
    expect(soapDateIn('20261332000000')).toBe('20261332000000'); // left for the canonical rule to refuse
  });

  it('accepts portal code numbers and canonical names alike', () => {
    const soap = TiepNhanHoSoSchema.parse({
      TrangThai: '4',
      KenhNop: 'online',
      ChuHoSo: { LoaiDoiTuong: '2' },
    });
    expect(toDossierInput(soap)).toMatchObject({
      status: 'processing',
      channel: 'online',
      applicant: { type: 'business' },
    });
    expect(toEventInput({ TrangThai: 'resolved', ThoiDiem: '20261201080000' } as never)).toEqual({
      status: 'resolved',
      at: '2026-12-01T08:00:00+07:00',
    });
  });

  it('names failing fields by their SOAP elements', () => {
    expect(dossierPathToSoap('applicant.idNumber')).toBe('ChuHoSo.SoGiayTo');
    expect(dossierPathToSoap('documents.3.name')).toBe('ThanhPhanHoSo.GiayTo.3.TenGiayTo');
    expect(dossierPathToSoap('fees.1.amount')).toBe('LePhi.KhoanPhi.1.SoTien');
    expect(eventPathToSoap('officer.name')).toBe('CanBo.HoTen');
    expect(eventPathToSoap('at')).toBe('ThoiDiem');
  });

  it('answers a lookup with the portal status number and yyyyMMddHHmmss dates', () => {
    expect(
      toLookupAnswer({
        id: 'd1',
        code: '000.00.15.H24-261128-0001',
        status: 'resolved',
        procedure: { code: '1.004227' },
        agency: { code: '000.00.15.H24' },
        receivedAt: '2026-11-28T01:30:00Z',
      }),
    ).toEqual({
      IdHoSo: 'd1',
      MaHoSo: '000.00.15.H24-261128-0001',
      TrangThai: '9',
      MaThuTuc: '1.004227',
      MaDonVi: '000.00.15.H24',
      NgayTiepNhan: '20261128083000',
    });
  });
});
