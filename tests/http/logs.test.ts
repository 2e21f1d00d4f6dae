import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskText } from '../../src/log/mask.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

describe('masking', () => {
  const cases: [string, string][] = [
    ['CCCD 027090001234', 'CCCD ***234'],
    ['CMND 123456789 here', 'CMND ***789 here'],
    ['MST 0100233488', 'MST ***488'],
    ['MST 0100233488-001 branch', 'MST ***001 branch'],
    ['call 0912 345 678 now', 'call ***678 now'],
    ['call +84912345678', 'call ***678'],
    ['call 0912.345.678', 'call ***678'],
    ['call (091) 234 5678', 'call ***678'],
    ['landline 0222 3821 234', 'landline ***234'],
    ['record HS-027090001234 sent', 'record HS-***234 sent'],
    ['row 027090001234-01', 'row ***234-01'],
    ['id=027090001234.', 'id=***234.'],
    ['passport C1234567 seen', 'passport ***567 seen'],
    ['mail an.nguyen@example.vn now', 'mail ***@example.vn now'],
  ];
  for (const [input, expected] of cases) {
    it(`masks "${input}"`, () => expect(maskText(input)).toBe(expected));
  }

  it('leaves request ids (UUIDs) readable even when a group is all digits', () => {
    const id = 'a3f1c2d4-1234-4321-8899-123456789012';
    expect(maskText(`requestId ${id}`)).toBe(`requestId ${id}`);
  });

  it('leaves log hashes readable', () => {
    const hash = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    expect(maskText(`hash ${hash}`)).toBe(`hash ${hash}`);
  });

  it('masks a CCCD, a CMND or a phone whatever surrounds it', () => {
    const glue = fc.constantFrom('', ' ', '-', '.', '_', ':', '/', '=', '"', '(', ')', 'HS', 'x', 'Ab', '#');
    fc.assert(
      fc.property(
        fc.stringMatching(/^(\d{12}|\d{9}|0[35789]\d{8})$/),
        fc.array(glue, { maxLength: 3 }),
        fc.array(glue, { maxLength: 3 }),
        (id, before, after) => {
          const masked = maskText(`${before.join('')}${id}${after.join('')}`);
          expect(masked).not.toContain(id);
          expect(masked).toContain(`***${id.slice(-3)}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves dossier codes, procedure codes, agency ids and timestamps readable', () => {
    const text = '000.00.15.H24-261128-0001 1.004227 000.00.15.H24 2026-11-28T08:30:00+07:00 durationMs 12.5';
    expect(maskText(text)).toBe(text);
  });
});

describe('request logs', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('writes one JSON line per request with request id, client, route, status and duration', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody(),
      headers: { 'X-Request-Id': 'log-test-1' },
    });
    const id = (await json(res)).id;
    await gw.request('GET', `/v1/dossiers/${id}`, { headers: { 'X-Request-Id': 'log-test-2' } });
    const lines = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    const push = lines.find((l) => l.requestId === 'log-test-1');
    expect(push).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/v1/dossiers',
      status: 201,
      client: { name: 'one-stop', role: 'department' },
    });
    expect(typeof push.durationMs).toBe('number');
    expect(lines.find((l) => l.requestId === 'log-test-2')).toMatchObject({
      route: '/v1/dossiers/:id',
      status: 200,
    });
  });

  it('never writes an id number or phone number into the logs, even in error details', async () => {
    const body = dossierBody();
    (body.applicant as Record<string, unknown>).idNumber = '079203001234';
    gw.services.logger.warn('applicant detail', {
      idNumber: '079203001234',
      phone: '0912 345 678',
      mst: '0314409058',
    });
    await gw.request('POST', '/v1/dossiers', { body: { ...body, channel: 'fax' } });
    const all = gw.logs.join('\n');
    expect(all).not.toContain('079203001234');
    expect(all).not.toContain('0912 345 678');
    expect(all).not.toContain('0314409058');
    expect(all).toContain('***234');
  });
});
