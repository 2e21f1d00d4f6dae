/**
 * Bad-input fuzzing against the running gateway (loopback): fast-check generates intake and event
 * bodies (mutated valid ones and arbitrary JSON), raw bytes, headers and query strings. Checks: never a
 * 5xx, every error is problem+json, nothing half-written (store invariants hold), the server stays up.
 *
 *   npm run --silent fuzz [-- --runs 100000]
 */
import { parseArgs } from 'node:util';
import type SQLite from 'better-sqlite3';
import fc from 'fast-check';
import { ClientService } from '../../src/clients/client.service.js';
import { systemClock } from '../../src/lib/time.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { dossierBody, removeTempDb, tempDbPath } from '../../tests/helpers/gateway.js';
import { startNode } from './processes.js';

const ROOT = new URL('../..', import.meta.url).pathname;

type Case = { method: string; path: string; headers: Record<string, string>; body?: string };

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const oddString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'null',
    '2026-13-45T99:99:99+07:00',
    '000.00.15.H24',
    '027090001234',
    '\u0000',
    'NaN',
  ),
);

/** A valid body with one field replaced, deleted or retyped. */
function mutated(base: () => Record<string, unknown>) {
  const paths = [
    'source',
    'source.recordId',
    'code',
    'procedure.code',
    'agency.code',
    'applicant',
    'applicant.type',
    'applicant.idNumber',
    'applicant.phone',
    'applicant.email',
    'applicant.address.communeCode',
    'channel',
    'receivedAt',
    'dueAt',
    'status',
    'resultReturn',
    'documents',
    'fees',
    'fees.0.amount',
    'documents.0.sha256',
  ];
  return fc
    .tuple(fc.constantFrom(...paths), fc.oneof(jsonValue, oddString, fc.constant(undefined)))
    .map(([path, value]) => {
      const body = base();
      const keys = path.split('.');
      let node: Record<string, unknown> = body;
      for (const k of keys.slice(0, -1)) {
        const next = node[k];
        if (next === null || typeof next !== 'object') return body;
        node = next as Record<string, unknown>;
      }
      const last = keys[keys.length - 1] ?? '';
      if (value === undefined) delete node[last];
      else node[last] = value;
      return body;
    });
}

/** The keys and records the generated requests aim at. */
export interface FuzzTargets {
  keys: { department: string; operator: string; admin: string; postal: string };
  dossierId: string;
  /** A postal job the postal key holds a lease on, so its routes reach the code behind the lookups. */
  postalJob?: { id: string; leaseToken: string };
  /** A pending review (a held dual entry), so decisions reach the code behind the lookups. */
  reviewId?: string;
}

/** A path segment: a real id, or an odd string (escaped, as a client would send it). */
const segment = (real: string[]) =>
  fc.oneof(
    fc.constantFrom(...real),
    oddString.map((s) => encodeURIComponent(s) || '%20'),
  );

/** A query string from generated values for the given names (some left out). */
const query = (names: string[], values: fc.Arbitrary<string> = oddString) =>
  fc
    .dictionary(fc.constantFrom(...names), values, { maxKeys: names.length })
    .map((q) => new URLSearchParams(q).toString());

/** Bodies for any endpoint: arbitrary JSON, a near-miss object, or raw text. */
const anyBody = (shape: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof(
    jsonValue.map((v) => JSON.stringify(v)),
    fc.record(shape, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 100 }),
  );

export function cases(targets: FuzzTargets): fc.Arbitrary<Case> {
  const { keys, dossierId } = targets;
  const key = keys.department;
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const intake = fc.oneof(
    mutated(() => dossierBody()).map((b) => ({
      method: 'POST',
      path: '/v1/dossiers',
      headers: auth,
      body: JSON.stringify(b),
    })),
    jsonValue.map((b) => ({ method: 'POST', path: '/v1/dossiers', headers: auth, body: JSON.stringify(b) })),
    fc
      .string({ maxLength: 200 })
      .map((raw) => ({ method: 'POST', path: '/v1/dossiers', headers: auth, body: raw })),
  );
  const events = fc
    .record({
      status: fc.oneof(fc.constantFrom('processing', 'resolved', 'returned', 'nope'), oddString),
      at: oddString,
      note: fc.option(oddString),
    })
    .chain((e) =>
      fc
        .constantFrom(
          `/v1/dossiers/${dossierId}/events`,
          '/v1/records/FUZZ-1/events',
          `/v1/dossiers/${encodeURIComponent('../../x')}/events`,
        )
        .map((path) => ({
          method: 'POST',
          path,
          headers: auth,
          body: JSON.stringify(e),
        })),
    );
  const headers = fc
    .record({
      authorization: fc.oneof(
        fc.constant(`Bearer ${key}`),
        oddString.filter((s) => /^[\x21-\x7e]*$/.test(s)).map((s) => `Bearer ${s}`),
        fc.constant('Basic x'),
      ),
      'content-type': fc.oneof(
        fc.constant('application/json'),
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'application/json; charset=latin1',
          'multipart/form-data',
        ),
      ),
      'idempotency-key': fc.oneof(
        fc.constant('k'),
        fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      ),
      'x-request-id': fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    })
    .map((h) => ({ method: 'POST', path: '/v1/dossiers', headers: h, body: JSON.stringify(dossierBody()) }));
  const queries = fc
    .record({
      agency: oddString,
      status: oddString,
      cursor: oddString,
      limit: oddString,
      updatedSince: oddString,
      code: oddString,
    })
    .map((q) => ({
      method: 'GET',
      path: `/v1/dossiers?${new URLSearchParams(q as Record<string, string>).toString()}`,
      headers: { authorization: `Bearer ${key}` },
    }));
  const as = (role: 'operator' | 'admin' | 'department' | 'postal') => ({
    authorization: `Bearer ${role === 'department' ? key : keys[role]}`,
    'content-type': 'application/json',
  });
  const odd = fc.oneof(jsonValue, oddString);
  const reviews = targets.reviewId ? [targets.reviewId] : ['no-such-review'];
  const ops: fc.Arbitrary<Case> = fc.oneof(
    fc
      .tuple(segment([dossierId]), fc.constantFrom<'department' | 'operator'>('department', 'operator'))
      .map(([id, role]) => ({ method: 'GET', path: `/v1/dossiers/${id}`, headers: as(role) })),
    fc
      .tuple(segment([dossierId]), fc.constantFrom<'department' | 'operator'>('department', 'operator'))
      .map(([id, role]) => ({ method: 'GET', path: `/v1/dossiers/${id}/events`, headers: as(role) })),
    query(['state', 'limit']).map((q) => ({
      method: 'GET',
      path: `/v1/ops/reviews?${q}`,
      headers: as('operator'),
    })),
    fc
      .tuple(segment(reviews), anyBody({ into: fc.oneof(odd, fc.constant(dossierId)) }))
      .map(([id, body]) => ({
        method: 'POST',
        path: `/v1/ops/reviews/${id}/merge`,
        headers: as('operator'),
        body,
      })),
    fc.tuple(segment(['no-such-review']), fc.option(fc.string({ maxLength: 40 }))).map(([id, body]) => ({
      method: 'POST',
      path: `/v1/ops/reviews/${id}/keep-apart`,
      headers: as('operator'),
      ...(body === null ? {} : { body }),
    })),
    fc
      .tuple(segment([dossierId]), anyBody({ system: fc.oneof(odd, fc.constant('motcua')), recordId: odd }))
      .map(([id, body]) => ({
        method: 'POST',
        path: `/v1/ops/dossiers/${id}/split`,
        headers: as('operator'),
        body,
      })),
    fc
      .tuple(
        segment([dossierId]),
        anyBody({ agency: fc.oneof(odd, fc.record({ code: odd, name: odd }, { requiredKeys: [] })) }),
      )
      .map(([id, body]) => ({
        method: 'POST',
        path: `/v1/ops/dossiers/${id}/agency`,
        headers: as('operator'),
        body,
      })),
    query(['state', 'destination', 'agency', 'dossierId', 'from', 'to', 'limit', 'after']).map((q) => ({
      method: 'GET',
      path: `/v1/ops/transfers?${q}`,
      headers: as('operator'),
    })),
    anyBody({
      ids: fc.oneof(odd, fc.array(fc.integer({ min: -5, max: 1_000_000 }), { maxLength: 5 })),
      filter: fc.oneof(
        odd,
        fc.record({ destination: odd, agency: odd, from: odd, to: odd }, { requiredKeys: [] }),
      ),
    }).map((body) => ({ method: 'POST', path: '/v1/ops/transfers/replay', headers: as('operator'), body })),
    fc
      .constantFrom<'operator' | 'department'>('operator', 'department')
      .map((role) => ({ method: 'GET', path: '/v1/ops/health', headers: as(role) })),
    fc
      .tuple(
        fc.constantFrom('/v1/ops/deadlines', '/v1/ops/deadlines.csv'),
        query(['state', 'agency', 'withinWorkingDays', 'limit', 'cursor']),
      )
      .map(([path, q]) => ({ method: 'GET', path: `${path}?${q}`, headers: as('operator') })),
    fc
      .tuple(
        fc.constantFrom('/v1/ops/reports/agencies', '/v1/ops/reports/agencies.csv'),
        query(['month', 'quarter', 'agency']),
      )
      .map(([path, q]) => ({ method: 'GET', path: `${path}?${q}`, headers: as('operator') })),
    anyBody({
      name: odd,
      role: odd,
      system: odd,
      agencies: fc.oneof(odd, fc.array(oddString, { maxLength: 3 })),
    }).map((body) => ({ method: 'POST', path: '/v1/clients', headers: as('admin'), body })),
    fc
      .constantFrom<'admin' | 'operator'>('admin', 'operator')
      .map((role) => ({ method: 'GET', path: '/v1/clients', headers: as(role) })),
    segment(['no-such-client']).map((id) => ({
      method: 'POST',
      path: `/v1/clients/${id}/revoke`,
      headers: as('admin'),
    })),
    anyBody({
      system: odd,
      profile: fc.oneof(odd, fc.constant('land-registry')),
      baseUrl: odd,
      credentials: odd,
      agencies: fc.oneof(odd, fc.array(oddString, { maxLength: 3 })),
    }).map((body) => ({ method: 'POST', path: '/v1/admin/destinations', headers: as('admin'), body })),
    fc
      .constantFrom<'admin' | 'operator'>('admin', 'operator')
      .map((role) => ({ method: 'GET', path: '/v1/admin/destinations', headers: as(role) })),
    segment(['no-such-system']).map((id) => ({
      method: 'DELETE',
      path: `/v1/admin/destinations/${id}`,
      headers: as('admin'),
    })),
    query(['limit']).map((q) => ({
      method: 'GET',
      path: `/v1/ops/sms/optouts?${q}`,
      headers: as('operator'),
    })),
    anyBody({ phone: fc.oneof(odd, fc.constant('0912 345 678')), note: odd }).map((body) => ({
      method: 'POST',
      path: '/v1/ops/sms/optouts',
      headers: as('operator'),
      body,
    })),
    segment(['hmac-0000000000000000']).map((id) => ({
      method: 'DELETE',
      path: `/v1/ops/sms/optouts/${id}`,
      headers: as('operator'),
    })),
    postalCases(targets, as, odd),
  );
  return fc.oneof(
    { arbitrary: intake, weight: 4 },
    { arbitrary: events, weight: 2 },
    { arbitrary: headers, weight: 1 },
    { arbitrary: queries, weight: 1 },
    { arbitrary: ops, weight: 3 },
  );
}

/**
 * What is wrong with an error answer, or undefined: RFC 9457 members, the status repeated in the body,
 * and for validation failures the list of fields, each with its path and the rule it broke.
 */
export function problemFault(status: number, contentType: string | null, text: string): string | undefined {
  if (!contentType?.includes('application/problem+json')) return `${status} without problem+json`;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `${status} problem that is not JSON`;
  }
  for (const member of ['type', 'title', 'detail', 'code'])
    if (typeof p[member] !== 'string' || p[member] === '') return `${status} problem without ${member}`;
  if (p.status !== status) return `${status} problem whose status says ${String(p.status)}`;
  if (p.code === 'validation_failed') {
    const errors = p.errors;
    if (!Array.isArray(errors) || errors.length === 0) return 'validation problem without field errors';
    for (const e of errors as Record<string, unknown>[])
      if (typeof e.path !== 'string' || !e.path || typeof e.rule !== 'string' || !e.rule)
        return `validation error without path or rule: ${JSON.stringify(e)}`;
  }
  return undefined;
}

/** The postal pull API and the operators' job list (docs/postal.md). */
function postalCases(
  targets: FuzzTargets,
  as: (role: 'operator' | 'postal') => Record<string, string>,
  odd: fc.Arbitrary<unknown>,
): fc.Arbitrary<Case> {
  const job = targets.postalJob;
  const jobs = segment([job?.id ?? 'no-such-job']);
  const token = fc.oneof(odd, fc.constant(job?.leaseToken ?? 'no-token'));
  const tracking = fc.oneof(odd, fc.constantFrom('EB123456785VN', 'EB123456784VN'));
  return fc.oneof(
    anyBody({ limit: odd, kinds: odd, leaseSeconds: odd }).map((body) => ({
      method: 'POST',
      path: '/v1/postal/jobs/claim',
      headers: as('postal'),
      body,
    })),
    fc.tuple(jobs, anyBody({ leaseToken: token, trackingNumber: tracking })).map(([id, body]) => ({
      method: 'POST',
      path: `/v1/postal/jobs/${id}/accept`,
      headers: as('postal'),
      body,
    })),
    fc.tuple(jobs, anyBody({ leaseToken: token })).map(([id, body]) => ({
      method: 'POST',
      path: `/v1/postal/jobs/${id}/release`,
      headers: as('postal'),
      body,
    })),
    fc.tuple(jobs, anyBody({ type: odd, at: odd, recipientName: odd, reason: odd })).map(([id, body]) => ({
      method: 'POST',
      path: `/v1/postal/jobs/${id}/events`,
      headers: as('postal'),
      body,
    })),
    jobs.map((id) => ({ method: 'GET', path: `/v1/postal/jobs/${id}`, headers: as('postal') })),
    query(['state', 'kind', 'agency', 'limit', 'cursor']).map((q) => ({
      method: 'GET',
      path: `/v1/ops/postal/jobs?${q}`,
      headers: as('operator'),
    })),
  );
}

type Post = (path: string, key: string, body: unknown) => Promise<unknown>;

/**
 * A dossier to aim at, and a pending review: the same applicant pushed again by a second system
 * without an identifier, which dedup holds for an operator.
 */
export async function seedTargets(
  post: Post,
  keys: FuzzTargets['keys'] & { second: string },
): Promise<FuzzTargets> {
  const first = (await post('/v1/dossiers', keys.department, dossierBody())) as { id: string };
  const again = dossierBody();
  const { idNumber: _id, ...applicant } = again.applicant as Record<string, unknown>;
  const held = (await post('/v1/dossiers', keys.second, { ...again, applicant })) as {
    outcome?: string;
    review?: { id: string };
  };
  // Resolved with a postal return (the default body's), the dossier gets a job the postal key leases.
  for (const [status, at] of [
    ['processing', '2026-11-30T09:00:00+07:00'],
    ['resolved', '2026-12-01T10:00:00+07:00'],
  ])
    await post(`/v1/dossiers/${first.id}/events`, keys.department, { status, at });
  const claimed = (await post('/v1/postal/jobs/claim', keys.postal, { limit: 1 })) as {
    jobs?: { id: string; lease: { token: string } }[];
  };
  const job = claimed.jobs?.[0];
  return {
    keys,
    dossierId: first.id,
    ...(job ? { postalJob: { id: job.id, leaseToken: job.lease.token } } : {}),
    ...(held.outcome === 'held_for_review' && held.review ? { reviewId: held.review.id } : {}),
  };
}

/**
 * Store invariants that a half-written record would break. A merged dossier is a pointer: its sources
 * and history moved to the dossier it was merged into.
 */
export function storeInvariants(sqlite: SQLite.Database): string[] {
  const q = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
  const broken: string[] = [];
  if (
    q(
      'SELECT count(*) AS n FROM dossiers d WHERE merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM dossier_sources s WHERE s.dossier_id = d.id)',
    ) > 0
  )
    broken.push('a dossier without a source');
  if (
    q(
      'SELECT count(*) AS n FROM dossiers d WHERE merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM status_history h WHERE h.dossier_id = d.id)',
    ) > 0
  )
    broken.push('a dossier without history');
  if (
    q(
      "SELECT count(*) AS n FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.dossier_id = d.id AND t.kind = 'dossier_sync')",
    ) > 0
  )
    broken.push('a dossier without its portal sync');
  if (
    q(
      'SELECT count(*) AS n FROM dossier_sources s WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = s.dossier_id)',
    ) > 0
  )
    broken.push('a source without a dossier');
  if (
    q(
      "SELECT count(*) AS n FROM dedup_reviews r WHERE r.state = 'pending' AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = r.dossier_id AND d.held = 1 AND d.merged_into IS NULL)",
    ) > 0
  )
    broken.push('a pending review whose dossier is not held');
  return broken;
}

async function invariants(dbPath: string): Promise<string[]> {
  const store = openSqliteStore(dbPath, { groupCommit: false });
  const broken = storeInvariants(store.sqlite);
  await store.close();
  return broken;
}

export async function fuzz(runs: number, concurrency = 16) {
  const dbPath = tempDbPath();
  const store = openSqliteStore(dbPath, { groupCommit: false });
  await migrateToLatest(store.db);
  const clients = new ClientService(store.db, systemClock);
  const agencies = ['000.00.15.H24', '000.00.16.H24'];
  const keys = {
    department: (await clients.add({ name: 'fuzz', role: 'department', system: 'motcua', agencies })).key,
    second: (await clients.add({ name: 'fuzz-xd', role: 'department', system: 'xaydung', agencies })).key,
    operator: (await clients.add({ name: 'fuzz-ops', role: 'operator', agencies: [] })).key,
    admin: (await clients.add({ name: 'fuzz-admin', role: 'admin', agencies: [] })).key,
    postal: (await clients.add({ name: 'fuzz-postal', role: 'postal', agencies: [] })).key,
  };
  await store.close();
  const gateway = await startNode(
    'src/runtime/node/main.ts',
    {
      DB_PATH: dbPath,
      PORT: '0',
      LOG_LEVEL: 'error',
      SANDBOX_DEMO_CLIENTS: 'false',
      WORKER_ENABLED: 'false',
      BODY_LIMIT_BYTES: '65536',
    },
    ROOT,
  );
  const targets = await seedTargets(async (path, key, body) => {
    const res = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  }, keys);
  const samples = fc.sample(cases(targets), { numRuns: runs, seed: 42 });
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const c = samples[next++];
      if (!c) continue;
      let res: Response;
      try {
        res = await fetch(`${gateway.url}${c.path}`, {
          method: c.method,
          headers: c.headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        });
      } catch (error) {
        if (failures.length < 20)
          failures.push(`transport: ${(error as Error).message} for ${c.method} ${c.path}`);
        continue;
      }
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && failures.length < 20)
        failures.push(
          `${res.status} for ${c.method} ${c.path}: ${c.body?.slice(0, 200)} → ${text.slice(0, 200)}`,
        );
      const fault =
        res.status >= 400 ? problemFault(res.status, res.headers.get('content-type'), text) : undefined;
      if (fault && failures.length < 20) failures.push(`${fault} for ${c.method} ${c.path}`);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const up = (await fetch(`${gateway.url}/healthz`)).status === 200;
  await gateway.stop();
  const broken = await invariants(dbPath);
  removeTempDb(dbPath);
  return {
    inputs: samples.length,
    seconds,
    statuses: Object.fromEntries(statuses),
    serverUp: up,
    failures,
    brokenInvariants: broken,
    ok: failures.length === 0 && broken.length === 0 && up,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '100000' } } });
  const result = await fuzz(Number(values.runs));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `fuzz: ${result.inputs} inputs in ${result.seconds.toFixed(1)} s, ${result.failures.length} failures, invariants ${result.brokenInvariants.length === 0 ? 'hold' : 'BROKEN'}\n`,
  );
  process.exitCode = result.ok ? 0 : 1;
}
