/**
 * The REST client speaking XML for a `rest-xml` profile (docs/departments.md, Transports), against a
 * cadastre office's software stood in by msw: bodies built with xml2js under the profile's root elements,
 * answers read with xml2js, the record id found by the profile, and an answer declaring a DTD or an
 * entity refused before parsing (a dead letter: bad answer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { createDepartmentClient } from '../../adapters/departments/rest-client.js';
import { dossierFromSystem, eventFromSystem, recordIdFromAnswer } from '../../mappings/departments/index.js';
import { DepartmentProfileSchema } from '../../mappings/departments/profile.js';
import { dossierCall, eventCall } from '../../src/departments/department-call.js';
import { cadastreXmlProfile as p } from '../fixtures/departments/rest-xml.profile.js';

const BASE = 'http://dia-chinh.test';
const CREDENTIALS = 'lienthong:dc-secret';
const target = { baseUrl: BASE, credentials: CREDENTIALS };
const transfer = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../fixtures/departments/land-registry/dossier-transfer.json'),
    'utf8',
  ),
).canonical;

const XML = { 'content-type': 'application/xml; charset=utf-8' };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** What the fake software received: the root element and its children. */
const received: { root: string; fields: Record<string, string>; headers: Headers }[] = [];
async function take(request: Request) {
  const doc = await parseStringPromise(await request.text(), { explicitArray: false });
  const [root] = Object.keys(doc);
  if (!root) throw new Error('no root element');
  received.push({ root, fields: doc[root], headers: request.headers });
}

const client = () => createDepartmentClient({ timeoutMs: 1_000 });

describe('the REST client with a REST + XML profile', () => {
  it('posts the dossier as XML, reads the record id from an XML answer, and sends a step with it', async () => {
    received.length = 0;
    server.use(
      http.post(`${BASE}/api/hoso/tiepnhan`, async ({ request }) => {
        await take(request);
        return new HttpResponse(
          '<?xml version="1.0"?><KetQua><MaHoSoDiaChinh>DC00000042</MaHoSoDiaChinh></KetQua>',
          {
            headers: XML,
          },
        );
      }),
      http.post(`${BASE}/api/hoso/capnhat`, async ({ request }) => {
        await take(request);
        return new HttpResponse('<KetQua><ThongBao>OK</ThongBao></KetQua>', { headers: XML });
      }),
    );
    const submitted = await client().send(dossierCall(p, target, transfer));
    expect(submitted.kind).toBe('accepted');
    if (submitted.kind !== 'accepted') return;
    const recordId = recordIdFromAnswer(p, submitted.answer);
    expect(recordId).toBe('DC00000042');

    const [dossier] = received;
    expect(dossier?.root).toBe('HoSoLienThong');
    expect(dossier?.headers.get('content-type')).toContain('application/xml');
    expect(dossier?.headers.get('authorization')).toBe(`Basic ${btoa(CREDENTIALS)}`);
    expect(dossier?.fields).toMatchObject({
      MaThuTuc: 'DC-01',
      NgayNhan: '28/11/2026 08:30:00',
      TinhTrang: 'S1',
    });
    // What went over the wire maps back to the dossier, for every field the profile names.
    expect(dossierFromSystem(p, dossier?.fields ?? {})).toMatchObject({
      code: transfer.code,
      procedure: { code: '1.003010' },
      receivedAt: transfer.receivedAt,
      dueAt: transfer.dueAt,
    });

    const event = {
      status: 'processing' as const,
      at: '2026-11-29T09:00:00+07:00',
      note: 'Đo đạc <thửa> & kiểm tra',
    };
    const step = await client().send(eventCall(p, target, { recordId, code: transfer.code, event }));
    expect(step.kind).toBe('accepted');
    const sent = received[1];
    expect(sent?.root).toBe('TienDoHoSo');
    expect(sent?.fields.MaHoSoDiaChinh).toBe(recordId);
    expect(eventFromSystem(p, sent?.fields ?? {})).toEqual({ code: transfer.code, event });
  });

  it('refuses an answer declaring a DTD or an entity, before parsing: a dead letter', async () => {
    const billionLaughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<KetQua><MaHoSoDiaChinh>&lol2;</MaHoSoDiaChinh></KetQua>';
    const xxe =
      '<?xml version="1.0"?><!doctype KetQua [<!entity x SYSTEM "file:///etc/hostname">]>' +
      '<KetQua><MaHoSoDiaChinh>&x;</MaHoSoDiaChinh></KetQua>';
    for (const body of [billionLaughs, xxe]) {
      server.use(http.post(`${BASE}/api/hoso/tiepnhan`, () => new HttpResponse(body, { headers: XML })));
      const outcome = await client().send(dossierCall(p, target, transfer));
      expect(outcome).toMatchObject({ kind: 'refused', code: 'bad_answer' });
      expect(outcome.kind === 'refused' && outcome.message).toMatch(/DTD or an entity/);
    }
  });

  it('a malformed answer is a bad answer; 5xx an outage; 4xx a refusal', async () => {
    server.use(
      http.post(
        `${BASE}/api/hoso/tiepnhan`,
        () => new HttpResponse('<KetQua><a></KetQua>', { headers: XML }),
      ),
    );
    expect(await client().send(dossierCall(p, target, transfer))).toMatchObject({
      kind: 'refused',
      code: 'bad_answer',
    });
    server.use(
      http.post(`${BASE}/api/hoso/tiepnhan`, () => new HttpResponse('<Loi/>', { status: 503, headers: XML })),
    );
    expect(await client().send(dossierCall(p, target, transfer))).toMatchObject({
      kind: 'outage',
      status: 503,
    });
    server.use(
      http.post(`${BASE}/api/hoso/tiepnhan`, () => new HttpResponse('<Loi/>', { status: 422, headers: XML })),
    );
    expect(await client().send(dossierCall(p, target, transfer))).toMatchObject({
      kind: 'refused',
      status: 422,
    });
  });

  it('a REST + XML profile must name its root elements', () => {
    const { xml: _xml, ...withoutXml } = p;
    expect(DepartmentProfileSchema.safeParse(withoutXml).success).toBe(false);
    expect(DepartmentProfileSchema.safeParse(p).success).toBe(true);
  });
});
