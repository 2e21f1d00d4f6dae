import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertReview } from '../../src/dedup/review.store.js';
import {
  AGENCY,
  AGENCY_2,
  count,
  createTestGateway,
  dossierBody,
  json,
  OTHER_AGENCY,
  type TestGateway,
} from '../helpers/gateway.js';

let gw: TestGateway;
let dossierId: string;
beforeAll(async () => {
  gw = await createTestGateway();
  dossierId = (await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }))).id;
});
afterAll(async () => {
  await gw.close();
});

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toContain('application/problem+json');
  expect((await json(res)).code).toBe(code);
}

describe('authentication', () => {
  it('refuses a request without a key with 401 and a WWW-Authenticate challenge', async () => {
    const res = await gw.request('GET', `/v1/dossiers/${dossierId}`, { key: null });
    expect(res.headers.get('WWW-Authenticate')).toContain('Bearer');
    await expectProblem(res, 401, 'unauthorized');
  });

  it('refuses an unknown key and a malformed Authorization header with 401', async () => {
    await expectProblem(
      await gw.request('GET', '/v1/dossiers', { key: 'lt_not-a-real-key' }),
      401,
      'unauthorized',
    );
    const basic = await gw.request('GET', '/v1/dossiers', {
      key: null,
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    });
    await expectProblem(basic, 401, 'unauthorized');
  });

  it('refuses a revoked key at once', async () => {
    const created = await gw.services.clients.add({ name: 'temp', role: 'operator', agencies: [] });
    expect((await gw.request('GET', '/v1/dossiers', { key: created.key })).status).toBe(200);
    const revoke = await gw.request('POST', `/v1/clients/${created.id}/revoke`, { key: gw.keys.admin });
    expect(revoke.status).toBe(200);
    expect((await json(revoke)).revokedAt).toBeTruthy();
    await expectProblem(await gw.request('GET', '/v1/dossiers', { key: created.key }), 401, 'unauthorized');
  });

  it('stores keys only as hashes', async () => {
    const rows = gw.sqlite.prepare('SELECT key_hash, key_prefix FROM clients').all() as {
      key_hash: string;
      key_prefix: string;
    }[];
    for (const key of Object.values(gw.keys)) {
      expect(rows.some((r) => r.key_hash === key)).toBe(false);
      expect(rows.some((r) => r.key_hash.length === 64 && key.startsWith(r.key_prefix))).toBe(true);
    }
  });

  it('guards every /v1 route, the docs are public', async () => {
    for (const path of ['/v1/dossiers', '/v1/clients', '/v1/anything']) {
      expect((await gw.request('GET', path, { key: null })).status).toBe(401);
    }
    expect((await gw.request('GET', '/openapi.json', { key: null })).status).toBe(200);
  });
});

describe('department scope', () => {
  it('refuses a push for an agency outside the client’s list, and writes nothing', async () => {
    const before = count(gw, 'dossiers');
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp tỉnh khác' } }),
    });
    await expectProblem(res, 403, 'forbidden');
    expect(count(gw, 'dossiers')).toBe(before);
  });

  it('refuses a body whose source.system differs from the client’s system', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ source: { system: 'xaydung', recordId: 'X-1' } }),
    });
    await expectProblem(res, 403, 'forbidden');
  });

  it('accepts a body whose source.system matches the client', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ source: { system: 'motcua', recordId: 'MC-SYS-1' } }),
    });
    expect(res.status).toBe(201);
  });

  it('answers another agency’s dossier as if it did not exist, and hides it from lists', async () => {
    const res = await gw.request('GET', `/v1/dossiers/${dossierId}`, { key: gw.keys.other });
    const unknown = await gw.request('GET', '/v1/dossiers/no-such-dossier', { key: gw.keys.other });
    await expectProblem(res, 404, 'not_found');
    expect(unknown.status).toBe(404);
    const list = await json(await gw.request('GET', '/v1/dossiers', { key: gw.keys.other }));
    expect(list.items).toEqual([]);
    await expectProblem(
      await gw.request('GET', `/v1/dossiers?agency=${AGENCY}`, { key: gw.keys.other }),
      403,
      'forbidden',
    );
  });

  it('answers events on another agency’s dossier as if the dossier did not exist', async () => {
    const res = await gw.request('POST', `/v1/dossiers/${dossierId}/events`, {
      key: gw.keys.other,
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    await expectProblem(res, 404, 'not_found');
  });

  it('answers the events link (GET) with the history for those who may see the dossier, 404 for others', async () => {
    const dossier = await json(await gw.request('GET', `/v1/dossiers/${dossierId}`));
    const events = await gw.request('GET', dossier.links.events);
    expect(events.status).toBe(200);
    expect(await json(events)).toEqual({ dossierId, items: dossier.history });
    await expectProblem(
      await gw.request('GET', dossier.links.events, { key: gw.keys.other }),
      404,
      'not_found',
    );
  });

  it('does not lead a department through a merged-away id to a dossier it may not see', async () => {
    const applicant = {
      type: 'citizen',
      fullName: 'Lê Thị Hồng',
      phone: '0987 654 321',
      address: { line: 'Số 3 đường Ngô Gia Tự', communeCode: '09187', provinceCode: '24' },
    };
    const live = await json(
      await gw.request('POST', '/v1/dossiers', {
        key: gw.keys.motcua,
        body: dossierBody({ agency: { code: AGENCY_2, name: 'Sở Tư pháp' }, applicant }),
      }),
    );
    // Dedup candidates stay within the dossier's agency (docs/dedup.md): the look-alike is a dossier of
    // its own. A review written before that rule could still name the other agency's dossier.
    const held = await gw.request('POST', '/v1/dossiers', {
      key: gw.keys.xaydung,
      body: dossierBody({ source: { recordId: 'XD-SCOPE-1' }, applicant }),
    });
    const heldBody = await json(held);
    expect(held.status, JSON.stringify(heldBody)).toBe(201);
    const reviewId = 'review-across-agencies';
    await insertReview(
      gw.services.store.db,
      {
        id: reviewId,
        dossierId: heldBody.id,
        candidates: [{ dossierId: live.id, code: live.code, score: 0.7, autoMergeable: false, reasons: [] }],
      },
      Date.now(),
    );
    const merged = await gw.request('POST', `/v1/ops/reviews/${reviewId}/merge`, {
      key: gw.keys.operator,
      body: { into: live.id },
    });
    expect(merged.status).toBe(200);
    const sameAgency = (
      await gw.services.clients.add({
        name: 'env dept',
        role: 'department',
        system: 'tnmt',
        agencies: [AGENCY],
      })
    ).key;
    // A client of the merged-away dossier's agency that is no source of the live one: nothing there.
    await expectProblem(
      await gw.request('GET', `/v1/dossiers/${heldBody.id}`, { key: sameAgency }),
      404,
      'not_found',
    );
    // Its source (now a source of the live dossier) and the live dossier's agency follow the merge.
    for (const key of [gw.keys.xaydung, gw.keys.motcua, gw.keys.operator]) {
      const res = await gw.request('GET', `/v1/dossiers/${heldBody.id}`, { key });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Location')).toBe(`/v1/dossiers/${live.id}`);
    }
  });

  it('addresses record ids within the caller’s own system only', async () => {
    const body = dossierBody();
    await gw.request('POST', '/v1/dossiers', { body });
    const recordId = (body.source as { recordId: string }).recordId;
    const res = await gw.request('POST', `/v1/records/${recordId}/events`, {
      key: gw.keys.xaydung,
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    await expectProblem(res, 404, 'not_found');
  });
});

describe('roles', () => {
  it('lets an operator read everything but not push', async () => {
    expect((await gw.request('GET', `/v1/dossiers/${dossierId}`, { key: gw.keys.operator })).status).toBe(
      200,
    );
    await expectProblem(
      await gw.request('POST', '/v1/dossiers', { key: gw.keys.operator, body: dossierBody() }),
      403,
      'forbidden',
    );
  });

  it('keeps the postal client off dossier and client routes', async () => {
    await expectProblem(await gw.request('GET', '/v1/dossiers', { key: gw.keys.postal }), 403, 'forbidden');
    await expectProblem(await gw.request('GET', '/v1/clients', { key: gw.keys.postal }), 403, 'forbidden');
  });

  it('lets only admins manage clients, and never shows keys in lists', async () => {
    await expectProblem(await gw.request('GET', '/v1/clients', { key: gw.keys.operator }), 403, 'forbidden');
    const created = await gw.request('POST', '/v1/clients', {
      key: gw.keys.admin,
      body: { name: 'Phần mềm một cửa', role: 'department', system: 'igate', agencies: [AGENCY] },
    });
    expect(created.status).toBe(201);
    const client = await json(created);
    expect(client.key).toMatch(/^lt_/);
    expect((await gw.request('GET', '/v1/dossiers', { key: client.key })).status).toBe(200);
    const list = await json(await gw.request('GET', '/v1/clients', { key: gw.keys.admin }));
    expect(JSON.stringify(list)).not.toContain(client.key);
  });

  it('refuses a department client without a system or agencies', async () => {
    const res = await gw.request('POST', '/v1/clients', {
      key: gw.keys.admin,
      body: { name: 'x', role: 'department' },
    });
    expect(res.status).toBe(400);
    const rules = (await json(res)).errors.map((e: { rule: string }) => e.rule);
    expect(rules).toEqual(expect.arrayContaining(['department_needs_system', 'department_needs_agency']));
  });
});
