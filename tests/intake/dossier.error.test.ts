import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/transfers/outbox.js';
import { sqlOutbox } from '../../src/transfers/outbox.js';
import { count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({ env: { BODY_LIMIT_BYTES: '20000' } });
});
afterAll(async () => {
  await gw.close();
});

function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toContain('application/problem+json');
  expect(res.headers.get('X-Request-Id')).toBeTruthy();
}

const tables = ['dossiers', 'dossier_sources', 'status_history', 'transfers', 'reconciliation_log'];
const snapshot = () => Object.fromEntries(tables.map((t) => [t, count(gw, t)]));

describe('validation', () => {
  it('names every failing field with its path and the rule it broke, and writes nothing', async () => {
    const before = snapshot();
    const body = dossierBody({
      agency: { code: '000.00.15.X2', name: 'x' },
      procedure: { code: '1.00422', name: 'x' },
      dueAt: '2026-11-27T08:00:00+07:00',
    });
    (body.applicant as Record<string, unknown>).idNumber = '027990001234'; // born 2099: implausible
    (body.applicant as Record<string, unknown>).phone = '0112 345 678';
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expectProblem(res, 400);
    const p = await json(res);
    expect(p.code).toBe('validation_failed');
    const byPath = Object.fromEntries(p.errors.map((e: { path: string; rule: string }) => [e.path, e.rule]));
    expect(byPath).toMatchObject({
      'agency.code': 'agency_id_format',
      'procedure.code': 'procedure_code_format',
      'applicant.phone': expect.stringMatching(/^phone_/),
      'applicant.idNumber': 'cccd_birth_year',
      dueAt: 'due_after_received',
    });
    expect(snapshot()).toEqual(before);
  });

  it('says which required fields are missing', async () => {
    const res = await gw.request('POST', '/v1/dossiers', { body: { source: { recordId: 'x' } } });
    expectProblem(res, 400);
    const rules = (await json(res)).errors.map((e: { path: string; rule: string }) => `${e.path}:${e.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'procedure:required',
        'agency:required',
        'channel:required',
        'receivedAt:required',
      ]),
    );
  });

  it('refuses a tax code with a wrong check digit for a business applicant', async () => {
    const body = dossierBody();
    body.applicant = { type: 'business', fullName: 'Công ty TNHH An Bình', idNumber: '0100233489' };
    const res = await gw.request('POST', '/v1/dossiers', {
      body: { ...body, resultReturn: { method: 'counter' } },
    });
    expectProblem(res, 400);
    expect((await json(res)).errors).toEqual([
      expect.objectContaining({ path: 'applicant.idNumber', rule: 'mst_check_digit' }),
    ]);
  });

  it('accepts a dossier without a due date at every status (some procedures have none)', async () => {
    const { dueAt: _due, ...withoutDue } = dossierBody();
    const received = await gw.request('POST', '/v1/dossiers', { body: withoutDue });
    expect(received.status).toBe(201);
    expect(await json(received)).not.toHaveProperty('dueAt');
    const { dueAt: _d, ...submittedBody } = dossierBody({ status: 'submitted' });
    const submitted = await gw.request('POST', '/v1/dossiers', { body: submittedBody });
    expect(submitted.status).toBe(201);
    const id = (await json(submitted)).id;
    const receive = await gw.request('POST', `/v1/dossiers/${id}/events`, {
      body: { status: 'received', at: '2026-11-28T09:00:00+07:00' },
    });
    expect(receive.status).toBe(201);
    expect((await json(receive)).status).toBe('received');
  });

  it('refuses postal return without any address', async () => {
    const body = dossierBody();
    (body.applicant as Record<string, unknown>).address = undefined;
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expectProblem(res, 400);
    expect((await json(res)).errors[0]).toMatchObject({
      path: 'resultReturn.address',
      rule: 'postal_return_address',
    });
  });

  it('refuses an event dated in the future', async () => {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const res = await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: { status: 'processing', at: '2099-01-01T00:00:00+07:00' },
    });
    expectProblem(res, 400);
    expect((await json(res)).errors[0]).toMatchObject({ path: 'at', rule: 'not_in_future' });
  });

  it('refuses a bad query parameter and a forged cursor', async () => {
    const bad = await gw.request('GET', '/v1/dossiers?status=flying&limit=5000', { key: gw.keys.operator });
    expectProblem(bad, 400);
    const paths = (await json(bad)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['query.status', 'query.limit']));
    const forged = await gw.request('GET', '/v1/dossiers?cursor=bm9wZQ', { key: gw.keys.operator });
    expectProblem(forged, 400);
    expect((await json(forged)).errors[0].rule).toBe('cursor_format');
  });
});

describe('dates outside 2000–2100', () => {
  it('refuses them in a push, naming each field and the rule, and writes nothing', async () => {
    const before = count(gw, 'dossiers');
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ receivedAt: '9999-12-31T23:59:59+07:00', dueAt: '1999-12-31T17:00:00+07:00' }),
    });
    expectProblem(res, 400);
    const problem = await json(res);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'receivedAt', rule: 'date_range' }),
        expect.objectContaining({ path: 'dueAt', rule: 'date_range' }),
      ]),
    );
    expect(count(gw, 'dossiers')).toBe(before);
  });

  it('refuses them in an event and in the list filter', async () => {
    const created = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const event = await gw.request('POST', `/v1/dossiers/${created.id}/events`, {
      body: { status: 'processing', at: '1970-01-01T00:00:00+07:00' },
    });
    expectProblem(event, 400);
    expect((await json(event)).errors[0]).toMatchObject({ path: 'at', rule: 'date_range' });
    const list = await gw.request('GET', '/v1/dossiers?updatedSince=9999-01-01T00:00:00%2B07:00', {
      key: gw.keys.operator,
    });
    expectProblem(list, 400);
    expect((await json(list)).errors[0]).toMatchObject({ rule: 'date_range' });
  });
});

describe('clean text', () => {
  it('refuses control characters, bidirectional controls and invisible-only names, naming field and rule', async () => {
    const cases: [string, string][] = [
      ['Nguyễn\u0007 Văn An', 'control_character'],
      ['Nguyễn Văn An\u202e', 'bidi_control'],
      ['\u200b\u200b\u2060', 'invisible_only'],
    ];
    for (const [fullName, rule] of cases) {
      const body = dossierBody();
      const res = await gw.request('POST', '/v1/dossiers', {
        body: { ...body, applicant: { ...(body.applicant as object), fullName } },
      });
      expectProblem(res, 400);
      expect((await json(res)).errors).toEqual([
        expect.objectContaining({ path: 'applicant.fullName', rule }),
      ]);
    }
    const multiline = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ summary: 'Dòng một\nDòng hai', note: 'a\u0000b' }),
    });
    expectProblem(multiline, 400);
    expect((await json(multiline)).errors).toEqual([
      expect.objectContaining({ path: 'note', rule: 'control_character' }),
    ]);
  });

  it('stores text in NFC, so a name typed decomposed on one system equals the composed one', async () => {
    const body = dossierBody();
    const nfd = 'Nguyễn Thị Ánh'.normalize('NFD');
    const first = await json(
      await gw.request('POST', '/v1/dossiers', {
        body: { ...body, applicant: { ...(body.applicant as object), fullName: nfd } },
      }),
    );
    expect(first.applicant.fullName).toBe('Nguyễn Thị Ánh'.normalize('NFC'));
    const again = await gw.request('POST', '/v1/dossiers', {
      body: { ...body, applicant: { ...(body.applicant as object), fullName: nfd.normalize('NFC') } },
    });
    expect(again.status).toBe(200);
    const after = await json(again);
    expect(after.version).toBe(first.version);
    expect(after.conflicts).toEqual([]);
  });
});

describe('unknown query parameters', () => {
  it('are refused by name on every list route, so a typo does not look like a result', async () => {
    for (const path of [
      '/v1/dossiers?limt=5',
      '/v1/ops/transfers?stat=dead',
      '/v1/ops/reviews?sate=merged',
    ]) {
      const res = await gw.request('GET', path, { key: gw.keys.operator });
      expectProblem(res, 400);
      const name = path.split('?')[1]?.split('=')[0];
      expect((await json(res)).errors).toEqual([
        expect.objectContaining({ path: `query.${name}`, rule: 'unknown_parameter' }),
      ]);
    }
    expect((await gw.request('GET', '/v1/dossiers?limit=5', { key: gw.keys.operator })).status).toBe(200);
  });
});

describe('re-pushing an unchanged record', () => {
  it('after its status moved adds no conflict, however often it is pushed again', async () => {
    const body = dossierBody();
    const created = await json(await gw.request('POST', '/v1/dossiers', { body }));
    const moved = await gw.request('POST', `/v1/dossiers/${created.id}/events`, {
      body: { status: 'processing', at: '2026-11-28T09:00:00+07:00' },
    });
    expect(moved.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const again = await gw.request('POST', '/v1/dossiers', { body });
      expect(again.status).toBe(200);
      const dossier = await json(again);
      expect(dossier.status).toBe('processing');
      expect(dossier.conflicts).toEqual([]);
    }
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with a 400 problem', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      raw: '{"source": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(res, 400);
    expect((await json(res)).code).toBe('malformed_json');
  });

  it('answers JSON that is not an object with a 400 validation problem, never a 500', async () => {
    for (const raw of ['null', '[]', '"text"', '42', 'true', '{"source": null, "applicant": []}']) {
      const res = await gw.request('POST', '/v1/dossiers', {
        raw,
        headers: { 'Content-Type': 'application/json' },
      });
      expectProblem(res, 400);
      const d = await gw.request('POST', '/v1/records/R-1/events', {
        raw,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(d.status, raw).toBe(400);
    }
  });

  it('answers a wrong content type with 415', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      raw: 'source=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectProblem(res, 415);
    expect((await json(res)).code).toBe('unsupported_media_type');
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    const before = count(gw, 'dossiers');
    const body = dossierBody({ summary: 'x'.repeat(30_000) });
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expectProblem(res, 413);
    expect((await json(res)).code).toBe('payload_too_large');
    expect(count(gw, 'dossiers')).toBe(before);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await gw.request('GET', '/v1/nothing-here');
    expectProblem(res, 404);
    expect((await json(res)).code).toBe('route_not_found');
  });

  it('answers an unknown dossier with a 404 problem', async () => {
    const res = await gw.request('GET', '/v1/dossiers/00000000-0000-0000-0000-000000000000');
    expectProblem(res, 404);
    const byRecord = await gw.request('POST', '/v1/records/NO-SUCH-RECORD/events', {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    expectProblem(byRecord, 404);
  });

  it('carries the caller’s X-Request-Id into the answer and the problem', async () => {
    const res = await gw.request('GET', '/v1/nothing', { headers: { 'X-Request-Id': 'caller-req-42' } });
    expect(res.headers.get('X-Request-Id')).toBe('caller-req-42');
    expect((await json(res)).requestId).toBe('caller-req-42');
  });
});

describe('state machine', () => {
  const cases: [string[], string, number][] = [
    [['processing', 'resolved'], 'processing', 409],
    [[], 'resolved', 409],
    [['processing', 'suspended'], 'processing', 409],
    [['processing', 'supplement_requested'], 'processing', 201],
    [['processing', 'payment_requested'], 'processing', 201],
    [['processing', 'resolved'], 'returned', 201],
    [['processing', 'withdrawn'], 'returned', 409],
  ];
  for (const [path, next, expected] of cases) {
    it(`received → ${[...path, next].join(' → ')} answers ${expected}`, async () => {
      const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
      let hour = 9;
      for (const status of path) {
        const r = await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
          body: { status, at: `2026-11-29T${String(hour++).padStart(2, '0')}:00:00+07:00` },
        });
        expect(r.status).toBe(201);
      }
      const res = await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
        body: { status: next, at: `2026-11-29T${String(hour).padStart(2, '0')}:00:00+07:00` },
      });
      expect(res.status).toBe(expected);
      if (expected === 409) {
        const p = await json(res);
        const from = path.at(-1) ?? 'received';
        expect(p).toMatchObject({ code: 'illegal_transition', from, to: next });
        expect(p.detail).toContain(from);
        expect(p.detail).toContain(next);
      }
    });
  }

  it('refuses a re-push that would move the state illegally, naming both states', async () => {
    const body = dossierBody();
    await gw.request('POST', '/v1/dossiers', { body });
    const res = await gw.request('POST', '/v1/dossiers', { body: { ...body, status: 'returned' } });
    expectProblem(res, 409);
    expect(await json(res)).toMatchObject({ from: 'received', to: 'returned' });
  });

  it('refuses to change a dossier code once issued', async () => {
    const body = dossierBody();
    const d = await json(await gw.request('POST', '/v1/dossiers', { body }));
    const res = await gw.request('POST', '/v1/dossiers', {
      body: { ...body, code: '000.00.15.H24-261128-9999' },
    });
    expectProblem(res, 409);
    expect((await json(await gw.request('GET', `/v1/dossiers/${d.id}`))).code).toBe(d.code);
  });

  it('refuses a new record that claims a code another dossier holds', async () => {
    const first = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody({ code: first.code }) });
    expectProblem(res, 409);
  });
});

describe('Idempotency-Key errors', () => {
  it('answers 422 when the same key comes with a different body', async () => {
    const headers = { 'Idempotency-Key': 'reused-key' };
    expect((await gw.request('POST', '/v1/dossiers', { body: dossierBody(), headers })).status).toBe(201);
    const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody(), headers });
    expectProblem(res, 422);
    expect((await json(res)).code).toBe('idempotency_key_reused');
  });

  it('answers 409 while the first request with the key is still being processed', async () => {
    const client = gw.sqlite.prepare("SELECT id FROM clients WHERE name = 'one-stop'").get() as {
      id: string;
    };
    gw.sqlite
      .prepare(
        "INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at_ms, locked_until_ms) VALUES (?, 'in-flight', 'other-hash-ignored', 'in_progress', ?, ?)",
      )
      .run(client.id, gw.services.clock.now(), gw.services.clock.now() + 60_000);
    // Same hash as the in-flight request, so it is a concurrent duplicate rather than a reuse:
    const body = dossierBody();
    const raw = JSON.stringify(body);
    const { sha256Hex } = await import('../../src/lib/crypto.js');
    gw.sqlite
      .prepare("UPDATE idempotency_keys SET request_hash = ? WHERE key = 'in-flight'")
      .run(await sha256Hex(`POST /v1/dossiers\n${raw}`));
    const res = await gw.request('POST', '/v1/dossiers', {
      raw,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'in-flight' },
    });
    expectProblem(res, 409);
    expect((await json(res)).code).toBe('idempotency_in_progress');
  });

  it('creates exactly one dossier when many identical keyed requests arrive at once', async () => {
    const body = dossierBody();
    const headers = { 'Idempotency-Key': 'burst' };
    const before = count(gw, 'dossiers');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => gw.request('POST', '/v1/dossiers', { body, headers })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    const ids = new Set(
      await Promise.all(
        answers.filter((r) => r.status === 201).map(async (r) => (await json(r)).id as string),
      ),
    );
    expect(ids.size).toBe(1);
    expect(count(gw, 'dossiers')).toBe(before + 1);
  });

  it('frees the key after an error, so a corrected retry can use it', async () => {
    const headers = { 'Idempotency-Key': 'fix-and-retry' };
    const bad = await gw.request('POST', '/v1/dossiers', { body: dossierBody({ channel: 'fax' }), headers });
    expect(bad.status).toBe(400);
    expect((await gw.request('POST', '/v1/dossiers', { body: dossierBody(), headers })).status).toBe(201);
  });

  it('refuses a malformed key', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody(),
      headers: { 'Idempotency-Key': 'x'.repeat(300) },
    });
    expectProblem(res, 400);
    expect((await json(res)).errors[0].rule).toBe('idempotency_key_format');
  });
});

describe('atomic writes', () => {
  it('writes neither the dossier nor its outbox rows when the outbox write fails', async () => {
    let calls = 0;
    const failing: Outbox = {
      ...sqlOutbox,
      async enqueue(trx, request, now) {
        calls += 1;
        await sqlOutbox.enqueue(trx, request, now); // the row is written…
        throw new Error('disk full between the two writes'); // …then the unit of work fails
      },
    };
    const broken = await createTestGateway({ outbox: failing });
    try {
      const res = await broken.request('POST', '/v1/dossiers', { body: dossierBody() });
      expectProblem(res, 500);
      const p = await json(res);
      expect(p.code).toBe('internal');
      expect(JSON.stringify(p)).not.toContain('disk full');
      expect(calls).toBe(1);
      for (const table of [
        'dossiers',
        'dossier_sources',
        'status_history',
        'transfers',
        'reconciliation_log',
        'dossier_code_sequences',
      ]) {
        expect(count(broken, table)).toBe(0);
      }
      expect(broken.logs.some((l) => l.includes('disk full'))).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('hides internals of unexpected errors behind a 500 problem', async () => {
    const broken = await createTestGateway();
    try {
      broken.services.intake = {
        ...broken.services.intake,
        outbox: {
          ...sqlOutbox,
          enqueue: () => {
            throw new Error('SQLITE_CORRUPT at page 42');
          },
        },
      };
      const res = await broken.request('POST', '/v1/dossiers', { body: dossierBody() });
      expectProblem(res, 500);
      expect(JSON.stringify(await json(res))).not.toContain('SQLITE');
    } finally {
      await broken.close();
    }
  });
});

describe('keys allow only their own character set', () => {
  it('refuses record ids, codes and system names outside their sets, naming field and rule, and writes nothing', async () => {
    const before = snapshot();
    const body = dossierBody({
      source: { system: 'MotCua', recordId: 'HS 2026\u0000/1' },
      sector: { code: 'X D', name: 'Xây dựng' },
      documents: [{ name: 'Đơn', componentCode: 'TP\u200b1' }],
      fees: [{ code: '=1+1', name: 'Lệ phí', amount: 1000 }],
    });
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expectProblem(res, 400);
    const byPath = Object.fromEntries(
      (await json(res)).errors.map((e: { path: string; rule: string }) => [e.path, e.rule]),
    );
    expect(byPath).toEqual({
      'source.system': 'system_name_format',
      'source.recordId': 'record_id_format',
      'sector.code': 'code_format',
      'documents.0.componentCode': 'code_format',
      'fees.0.code': 'code_format',
    });
    expect(snapshot()).toEqual(before);
  });

  it('refuses a record id that only looks like one (a Cyrillic letter) and accepts the usual forms', async () => {
    const lookalike = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ source: { recordId: 'VBD-2026-0001\u0430' } }),
    });
    expectProblem(lookalike, 400);
    for (const recordId of ['VBD-2026-000123', 'HS/2026/123', '000.00.15.H24-261128-0009', 'a_b:c~d']) {
      const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody({ source: { recordId } }) });
      expect(res.status, recordId).toBe(201);
    }
  });

  it('refuses a path record id or dossier id outside its set', async () => {
    const byRecord = await gw.request('POST', `/v1/records/${encodeURIComponent('a b')}/events`, {
      body: { status: 'processing', at: '2026-11-28T09:00:00+07:00' },
    });
    expectProblem(byRecord, 400);
    expect((await json(byRecord)).errors).toEqual([
      expect.objectContaining({ path: 'param.recordId', rule: 'record_id_format' }),
    ]);
    const byId = await gw.request('GET', `/v1/dossiers/${encodeURIComponent('x\u202ey')}`);
    expectProblem(byId, 400);
  });

  it('refuses a client name with control characters', async () => {
    const res = await gw.request('POST', '/v1/clients', {
      key: gw.keys.admin,
      body: { name: 'evil\u001b[31m', role: 'operator' },
    });
    expectProblem(res, 400);
    expect((await json(res)).errors).toEqual([
      expect.objectContaining({ path: 'name', rule: 'control_character' }),
    ]);
  });
});
