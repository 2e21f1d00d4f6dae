/**
 * The SOAP client of departmental software against the civil-status simulator on 127.0.0.1
 * (docs/departments.md, Transports): answers, faults, outages, credentials, the client cache, and an
 * answer declaring a DTD.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CivilStatusSimulator,
  startCivilStatusSimulator,
} from '../../adapters/departments/civil-status.simulator.js';
import { dispatchByTransport } from '../../adapters/departments/dispatcher.js';
import { createSoapDepartmentClient } from '../../adapters/departments/soap-client.js';
import { civilStatusProfile as p } from '../../mappings/departments/civil-status.js';
import { recordIdFromAnswer } from '../../mappings/departments/index.js';
import type { DepartmentCall } from '../../schemas/departments.js';
import { dossierCall, eventCall } from '../../src/departments/department-call.js';

const CREDENTIALS = 'lienthong:hotich-secret-01';
const FIXTURES = join(import.meta.dirname, '../fixtures/departments/civil-status');
const birth = JSON.parse(readFileSync(join(FIXTURES, 'dossier-birth.json'), 'utf8')).canonical;

let sim: CivilStatusSimulator;
beforeEach(async () => {
  sim = await startCivilStatusSimulator({ credentials: CREDENTIALS });
});
afterEach(async () => {
  await sim.close();
});

const client = () => createSoapDepartmentClient({ timeoutMs: 1_000 });
const submit = (credentials = CREDENTIALS): DepartmentCall =>
  dossierCall(p, { baseUrl: sim.url, credentials }, birth);

describe('the SOAP client of departmental software', () => {
  it('submits a dossier, reads the record id, and sends a step by that id', async () => {
    const c = client();
    const first = await c.send(submit());
    expect(first.kind).toBe('accepted');
    if (first.kind !== 'accepted') return;
    const recordId = recordIdFromAnswer(p, first.answer);
    expect(recordId).toMatch(/^HTX-2026-\d{6}$/);
    // The same receipt number again: the same record, no duplicate.
    const again = await c.send(submit());
    expect(again.kind === 'accepted' && recordIdFromAnswer(p, again.answer)).toBe(recordId);
    expect(sim.records.size).toBe(1);

    const event = { status: 'processing' as const, at: '2026-12-01T15:00:00+07:00', note: 'Đang xử lý' };
    const step = eventCall(
      p,
      { baseUrl: sim.url, credentials: CREDENTIALS },
      {
        recordId,
        code: birth.code,
        event,
      },
    );
    expect(step.body).toMatchObject({ SoHoSoHoTich: recordId, TrangThai: '2', ThoiDiem: '20261201150000' });
    expect((await c.send(step)).kind).toBe('accepted');
    expect(sim.records.get(recordId)?.steps).toEqual([event]);
    expect(c.cached).toBe(1);
  });

  it('a fault blaming the caller or wrong credentials is a refusal; a Server fault and 5xx are outages', async () => {
    const c = client();
    const wrong = await c.send(submit('lienthong:wrong'));
    expect(wrong).toMatchObject({ kind: 'refused', status: 401 });
    sim.control.fault('Client', 1);
    expect(await c.send(submit())).toMatchObject({ kind: 'refused', status: 500 });
    sim.control.fault('Server', 1);
    const server = await c.send(submit());
    expect(server).toMatchObject({ kind: 'outage', status: 500 });
    expect(c.cached).toBe(0); // dropped after a failure
    sim.control.fail(503, 1);
    expect(await c.send(submit())).toMatchObject({ kind: 'outage', status: 503 });
    // An unknown record is the caller's mistake.
    const unknown = eventCall(
      p,
      { baseUrl: sim.url, credentials: CREDENTIALS },
      {
        recordId: 'HTX-2026-999999',
        code: birth.code,
        event: { status: 'processing', at: '2026-12-01T15:00:00+07:00' },
      },
    );
    expect(await c.send(unknown)).toMatchObject({ kind: 'refused' });
    expect(await c.send(submit())).toMatchObject({ kind: 'accepted' });
  });

  it('down, slow past the timeout, or an unknown operation: outages, then a dead letter', async () => {
    const c = client();
    await sim.control.down(true);
    expect(await c.send(submit())).toMatchObject({ kind: 'outage' });
    await sim.control.down(false);
    expect(await c.send(submit())).toMatchObject({ kind: 'accepted' });
    sim.control.slow(1_500);
    const slow = await c.send(submit());
    expect(slow).toMatchObject({ kind: 'outage' });
    expect(slow.kind === 'outage' && slow.message).toMatch(/did not answer within 1000 ms/);
    sim.control.reset();
    const call = { ...submit(), path: 'KhongCoThaoTacNay' };
    expect(await c.send(call)).toMatchObject({ kind: 'refused', code: 'unknown_operation' });
  });

  it('never parses an answer declaring a DTD: a dead letter (bad answer)', async () => {
    const wsdl = await (await fetch(`${sim.url}?wsdl`)).text();
    const hostile: Server = createServer((req, res) => {
      if (req.method === 'GET') return res.end(wsdl);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "HTX-2026-000001">]>' +
          '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
          '<TiepNhanHoSoLienThongResponse xmlns="urn:hotich:lienthong:v1"><SoHoSoHoTich>&a;</SoHoSoHoTich>' +
          '<KetQua>1</KetQua></TiepNhanHoSoLienThongResponse></soap:Body></soap:Envelope>',
      );
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/soap/hotich`;
      const outcome = await client().send(dossierCall(p, { baseUrl: url, credentials: CREDENTIALS }, birth));
      expect(outcome).toMatchObject({ kind: 'refused', code: 'bad_answer' });
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });

  it('the dispatcher sends each call by its transport', async () => {
    const seen: string[] = [];
    const port = (name: string) => ({
      send: async () => {
        seen.push(name);
        return { kind: 'accepted' as const, answer: {} };
      },
    });
    const d = dispatchByTransport({ rest: port('rest'), soap: port('soap') });
    await d.send(submit());
    await d.send({ ...submit(), transport: 'rest-xml' });
    await d.send({ ...submit(), transport: 'rest-json' });
    expect(seen).toEqual(['soap', 'rest', 'rest']);
  });
});
