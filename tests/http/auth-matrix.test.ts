/**
 * Who may call what, generated from the OpenAPI document: every route × every role × every kind of
 * target (own agency, another agency, merged away into another agency, merged away into its own,
 * held). A route the table below does not name fails the test, so a new route cannot be forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  createTestGateway,
  dossierBody,
  json,
  OTHER_AGENCY,
  type TestGateway,
} from '../helpers/gateway.js';

type Role = 'department' | 'operator' | 'admin' | 'postal';
type TargetKind = 'own' | 'other' | 'mergedAway' | 'mergedOwn' | 'held';
interface Target {
  id: string;
  system: string;
  recordId: string;
  agency: { code: string; name: string };
}

/** Allowed roles and a request body per route. Routes without an `{id}` of a dossier get no target. */
const RULES: Record<string, { roles: Role[]; body?: (t: Target | undefined) => unknown }> = {
  'GET /v1/dossiers': { roles: ['department', 'operator'] },
  'POST /v1/dossiers': { roles: ['department'], body: () => dossierBody() },
  'GET /v1/dossiers/{id}': { roles: ['department', 'operator'] },
  'GET /v1/dossiers/{id}/events': { roles: ['department', 'operator'] },
  'POST /v1/dossiers/{id}/events': {
    roles: ['department'],
    body: () => ({ status: 'processing', at: '2026-11-29T09:00:00+07:00' }),
  },
  'POST /v1/records/{recordId}/events': {
    roles: ['department'],
    body: () => ({ status: 'processing', at: '2026-11-29T09:00:00+07:00' }),
  },
  'GET /v1/ops/reviews': { roles: ['operator'] },
  'POST /v1/ops/reviews/{id}/merge': { roles: ['operator'], body: () => ({}) },
  'POST /v1/ops/reviews/{id}/keep-apart': { roles: ['operator'] },
  'POST /v1/ops/dossiers/{id}/split': {
    roles: ['operator'],
    body: (t) => ({ system: t?.system ?? 'nosuchsystem', recordId: t?.recordId ?? 'NO-1' }),
  },
  // The target's own agency: allowed callers change nothing, so the matrix can go on.
  'POST /v1/ops/dossiers/{id}/agency': { roles: ['operator'], body: (t) => ({ agency: t?.agency }) },
  'GET /v1/ops/transfers': { roles: ['operator'] },
  'POST /v1/ops/transfers/replay': { roles: ['operator'], body: () => ({ ids: [999_999] }) },
  'GET /v1/ops/health': { roles: ['operator'] },
  'GET /v1/ops/deadlines': { roles: ['operator'] },
  'GET /v1/ops/deadlines.csv': { roles: ['operator'] },
  'GET /v1/ops/reports/agencies': { roles: ['operator'] },
  'GET /v1/ops/reports/agencies.csv': { roles: ['operator'] },
  'POST /v1/ops/reconciliation/runs': { roles: ['operator'] },
  'GET /v1/ops/reconciliation/runs/{id}': { roles: ['operator'] },
  'GET /v1/ops/findings': { roles: ['operator'] },
  'GET /v1/ops/log': { roles: ['operator'] },
  'POST /v1/ops/log/verify': { roles: ['operator'] },
  'GET /v1/ops/log/verify': { roles: ['operator'] },
  'GET /v1/ops/sms/optouts': { roles: ['operator'] },
  'POST /v1/ops/sms/optouts': { roles: ['operator'], body: () => ({ phone: '0912 345 678' }) },
  'DELETE /v1/ops/sms/optouts/{id}': { roles: ['operator'] },
  'GET /v1/clients': { roles: ['admin'] },
  'POST /v1/clients': { roles: ['admin'], body: () => ({ name: 'matrix client', role: 'operator' }) },
  'POST /v1/clients/{id}/revoke': { roles: ['admin'] },
  'GET /v1/admin/destinations': { roles: ['admin'] },
  'POST /v1/admin/destinations': {
    roles: ['admin'],
    body: () => ({
      system: 'matrix-land',
      profile: 'land-registry',
      baseUrl: 'http://127.0.0.1:9/',
      credentials: 'matrix-secret',
      agencies: ['000.00.16.H24'],
    }),
  },
  'DELETE /v1/admin/destinations/{system}': { roles: ['admin'] },
  'POST /v1/postal/jobs/claim': { roles: ['postal'], body: () => ({ limit: 1, kinds: ['collect'] }) },
  'POST /v1/postal/jobs/{id}/accept': {
    roles: ['postal'],
    body: () => ({ leaseToken: 'no-lease', trackingNumber: 'EB123456785VN' }),
  },
  'POST /v1/postal/jobs/{id}/release': { roles: ['postal'], body: () => ({ leaseToken: 'no-lease' }) },
  'POST /v1/postal/jobs/{id}/events': {
    roles: ['postal'],
    body: () => ({ type: 'picked_up', at: '2026-11-29T09:00:00+07:00' }),
  },
  'GET /v1/postal/jobs/{id}': { roles: ['postal'] },
  'GET /v1/ops/postal/jobs': { roles: ['operator'] },
};

let gw: TestGateway;
let routes: { method: string; path: string }[];
const targets = {} as Record<TargetKind, Target>;
let otherKey: string;
/** The source system of each department key. */
const SYSTEMS: Record<string, string> = {};

async function push(key: string, body: Record<string, unknown>, status: number): Promise<Target> {
  const system = SYSTEMS[key] ?? 'unknown';
  const res = await gw.request('POST', '/v1/dossiers', { key, body });
  const answer = await json(res);
  expect(res.status, JSON.stringify(answer)).toBe(status);
  return {
    id: answer.id,
    system,
    recordId: (body.source as { recordId: string }).recordId,
    agency: body.agency as Target['agency'],
  };
}

/** A held record of `second` beside a dossier of `first` (the same applicant keyed without an id). */
async function heldPair(
  first: string,
  second: string,
  agency: { code: string; name: string },
  tag: string,
  phone: string,
) {
  const applicant = {
    type: 'citizen',
    fullName: `Trần Thị ${tag}`,
    phone,
    address: { line: 'Số 3 đường Ngô Gia Tự', communeCode: '09187', provinceCode: '24' },
  };
  const live = await push(first, dossierBody({ agency, applicant }), 201);
  const res = await gw.request('POST', '/v1/dossiers', {
    key: second,
    body: dossierBody({ agency, applicant }),
  });
  const held = await json(res);
  expect(res.status, JSON.stringify(held)).toBe(202);
  const heldTarget = {
    id: held.id as string,
    system: SYSTEMS[second] ?? 'hotich',
    recordId: held.sources[0].recordId,
    agency,
  };
  return { live, held: heldTarget, reviewId: held.review.id as string };
}

beforeAll(async () => {
  gw = await createTestGateway();
  const other = { code: OTHER_AGENCY, name: 'Sở Tư pháp' };
  const own = { code: AGENCY, name: 'Sở Xây dựng' };
  otherKey = gw.keys.other;
  Object.assign(SYSTEMS, { [gw.keys.motcua]: 'motcua', [gw.keys.xaydung]: 'xaydung', [otherKey]: 'tuphap' });
  const secondOther = (
    await gw.services.clients.add({
      name: 'civil status',
      role: 'department',
      system: 'hotich',
      agencies: [OTHER_AGENCY],
    })
  ).key;
  targets.own = await push(gw.keys.motcua, dossierBody({ agency: own }), 201);
  targets.other = await push(otherKey, dossierBody({ agency: other }), 201);
  const away = await heldPair(otherKey, secondOther, other, 'Lan', '0987 654 301');
  const merge = (reviewId: string) =>
    gw.request('POST', `/v1/ops/reviews/${reviewId}/merge`, { key: gw.keys.operator, body: {} });
  expect((await merge(away.reviewId)).status).toBe(200);
  targets.mergedAway = away.held;
  const ownAway = await heldPair(gw.keys.xaydung, gw.keys.motcua, own, 'Mai', '0987 654 302');
  expect((await merge(ownAway.reviewId)).status).toBe(200);
  targets.mergedOwn = ownAway.held;
  const pending = await heldPair(gw.keys.xaydung, gw.keys.motcua, own, 'Hoa', '0987 654 303');
  targets.held = pending.held;
  const doc = await json(await gw.request('GET', '/openapi.json', { key: null }));
  routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  await gw.close();
});

const KEYS: Record<Role, () => string> = {
  department: () => gw.keys.motcua,
  operator: () => gw.keys.operator,
  admin: () => gw.keys.admin,
  postal: () => gw.keys.postal,
};

function call(route: { method: string; path: string }, key: string | null, target?: Target) {
  const rule = RULES[`${route.method} ${route.path}`];
  const path = route.path
    .replace('{recordId}', target?.recordId ?? 'NO-SUCH-RECORD')
    .replace('{id}', target?.id ?? 'no-such-id')
    .replace('{system}', 'no-such-system');
  const body = rule?.body?.(target);
  return gw.request(route.method, path, { key, ...(body !== undefined ? { body } : {}) });
}

const dossierRoute = (path: string) => /^\/v1\/(ops\/)?dossiers\/\{id\}/.test(path);

describe('the auth matrix', () => {
  it('names every route of the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((r) => !(r in RULES))).toEqual([]);
  });

  it('answers 401 to a request without a key, on every route', async () => {
    for (const route of routes) {
      const res = await call(route, null);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('answers 403 to every role a route is not for, whatever it names', async () => {
    for (const route of routes) {
      const { roles } = RULES[`${route.method} ${route.path}`] ?? { roles: [] };
      for (const role of Object.keys(KEYS) as Role[]) {
        if (roles.includes(role)) continue;
        for (const kind of dossierRoute(route.path) ? (Object.keys(targets) as TargetKind[]) : ['none']) {
          const res = await call(route, KEYS[role](), targets[kind as TargetKind]);
          expect(res.status, `${role} ${route.method} ${route.path} ${kind}`).toBe(403);
        }
      }
    }
  });

  it('lets every allowed role through, and hides other agencies’ dossiers from a department (404)', async () => {
    const hidden: Record<TargetKind, boolean> = {
      own: false,
      other: true,
      mergedAway: true,
      mergedOwn: false,
      held: false,
    };
    for (const route of routes) {
      const { roles } = RULES[`${route.method} ${route.path}`] ?? { roles: [] };
      for (const role of roles) {
        const kinds = dossierRoute(route.path) ? (Object.keys(targets) as TargetKind[]) : [undefined];
        for (const kind of kinds) {
          const res = await call(route, KEYS[role](), kind ? targets[kind] : undefined);
          const where = `${role} ${route.method} ${route.path} ${kind ?? ''}: ${res.status}`;
          expect([401, 403, 500], where).not.toContain(res.status);
          if (kind && role === 'department') expect(res.status === 404, where).toBe(hidden[kind]);
          if (kind && role === 'operator') expect(res.status, where).not.toBe(404);
        }
      }
    }
  });

  it('addresses record ids within the calling system only', async () => {
    const route = { method: 'POST', path: '/v1/records/{recordId}/events' };
    expect((await call(route, gw.keys.motcua, targets.other)).status).toBe(404);
    expect((await call(route, otherKey, targets.own)).status).toBe(404);
    expect([200, 201]).toContain((await call(route, gw.keys.motcua, targets.own)).status);
  });
});
