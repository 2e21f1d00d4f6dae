/**
 * Pull from a system that cannot push (docs/departments.md, Pull), on real SQLite files against the
 * land-registry simulator's change feed on 127.0.0.1: each change goes into the same intake as a REST
 * push by that system and the cursor moves in the same transaction, so a restart in the middle of a
 * round or an outage of the feed neither loses nor repeats a change; a bad change is recorded and
 * skipped; a dossier pulled from the land registry joins the same dossier pushed over REST by the
 * one-stop software; the health answer shows the poller.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedClient } from '../../adapters/departments/feed-client.js';
import {
  type LandRegistrySimulator,
  startLandRegistrySimulator,
} from '../../adapters/departments/land-registry.simulator.js';
import type { ForwardedDossier } from '../../schemas/departments.js';
import { findCursor } from '../../src/departments/cursor.store.js';
import { listDestinations } from '../../src/departments/destination.store.js';
import { type PollDeps, pollDepartment } from '../../src/departments/poll-department.js';
import { DepartmentPoller } from '../../src/departments/poll-worker.js';
import type { Store } from '../../src/store/store.js';
import { FAST } from '../helpers/delivery.js';
import {
  AGENCY_2,
  count,
  createTestGateway,
  dossierBody,
  json,
  removeTempDb,
  type TestGateway,
  tempDbPath,
} from '../helpers/gateway.js';

const TOKEN = 'vbd-feed-token-5521';
const LAND = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai tỉnh Bắc Ninh' };
let dbPath: string;
let gw: TestGateway;
let sim: LandRegistrySimulator;

async function open(): Promise<TestGateway> {
  const g = await createTestGateway({ dbPath });
  const clients = await g.services.clients.list();
  if (!clients.some((c) => c.system === 'land-registry')) {
    await g.services.clients.add({
      name: 'land registry',
      role: 'department',
      system: 'land-registry',
      agencies: [AGENCY_2],
    });
    const res = await g.request('POST', '/v1/admin/destinations', {
      key: g.keys.admin,
      body: {
        system: 'land-registry',
        profile: 'land-registry',
        baseUrl: sim.url,
        credentials: TOKEN,
        agencies: [AGENCY_2],
        pull: true,
      },
    });
    expect(res.status).toBe(201);
  }
  return g;
}

beforeEach(async () => {
  dbPath = tempDbPath();
  sim = await startLandRegistrySimulator({ token: TOKEN });
  gw = await open();
});
afterEach(async () => {
  await gw.close();
  await sim.close();
  removeTempDb(dbPath);
});

function deps(g: TestGateway, store: Store = g.services.store): PollDeps {
  const s = g.services;
  return {
    store,
    clock: s.clock,
    logger: s.logger,
    intake: s.intake,
    feed: createFeedClient({ timeoutMs: 2_000 }),
    secrets: s.destinationSecrets,
  };
}

async function destination(g: TestGateway) {
  const [d] = await listDestinations(g.services.store.db);
  if (!d) throw new Error('no destination');
  return d;
}

let n = 0;
/** A dossier a clerk keys in at the land registry's own counter: a different applicant each time. */
function keyed(over: Partial<ForwardedDossier> = {}): ForwardedDossier {
  n += 1;
  const seq = String(9000 + n);
  return {
    code: `${AGENCY_2}-261201-${seq}`,
    agency: LAND,
    procedure: { code: '1.003010', name: 'Đăng ký biến động quyền sử dụng đất' },
    applicant: {
      type: 'citizen',
      fullName: `Trần Thị Bình ${['An', 'Bảo', 'Chi', 'Dung', 'Giang', 'Hà', 'Khánh', 'Lan'][n % 8]} ${n}`,
      idNumber: `0271900${String(10000 + n).slice(-5)}`,
      phone: '0987 654 321',
      address: `Thôn Đông ${n}, xã Tiên Du`,
    },
    summary: 'Đăng ký biến động đất đai',
    channel: 'counter',
    receivedAt: '2026-12-01T08:00:00+07:00',
    dueAt: '2026-12-20T17:00:00+07:00',
    status: 'received',
    ...over,
  };
}

/** Dossiers whose sources include the land registry, with their history lengths. */
function landDossiers(g: TestGateway) {
  return g.sqlite
    .prepare(
      `SELECT s.record_id AS recordId, d.id, d.status,
        (SELECT count(*) FROM status_history h WHERE h.dossier_id = d.id) AS steps
       FROM dossier_sources s JOIN dossiers d ON d.id = s.dossier_id
       WHERE s.system = 'land-registry' ORDER BY s.record_id`,
    )
    .all() as { recordId: string; id: string; status: string; steps: number }[];
}

function logKinds(g: TestGateway, kind: string) {
  return g.sqlite.prepare('SELECT data FROM reconciliation_log WHERE kind = ?').all(kind) as {
    data: string;
  }[];
}

describe('pulling the land registry', () => {
  it('takes each keyed-in dossier and step once, as the land registry’s own records', async () => {
    const a = sim.feed.keyIn(keyed());
    const b = sim.feed.keyIn(keyed());
    sim.feed.step(a, `${AGENCY_2}-261201-0000`, { status: 'processing', at: '2026-12-02T09:00:00+07:00' });
    const round = await pollDepartment(deps(gw), await destination(gw));
    expect(round).toMatchObject({ taken: 3, bad: 0, moved: true, more: false });
    expect(round.failure).toBeUndefined();
    const held = landDossiers(gw);
    expect(held.map((d) => [d.recordId, d.status])).toEqual([
      [a, 'processing'],
      [b, 'received'],
    ]);
    expect((await findCursor(gw.services.store.db, 'land-registry'))?.cursor).toBe('3');
    // Nothing new: the next round takes nothing and repeats nothing.
    const again = await pollDepartment(deps(gw), await destination(gw));
    expect(again).toMatchObject({ taken: 0, bad: 0, moved: false });
    expect(landDossiers(gw)).toEqual(held);
    expect(logKinds(gw, 'intake.created')).toHaveLength(2);
  });

  it('a restart in the middle of a round neither loses nor repeats a change (cursor in the same transaction)', async () => {
    const ids = [1, 2, 3, 4].map(() => sim.feed.keyIn(keyed()));
    sim.feed.step(ids[0] as string, 'x', { status: 'processing', at: '2026-12-02T09:00:00+07:00' });
    // The process dies at the third change's unit of work: two are committed, with their cursor.
    let units = 0;
    const real = gw.services.store;
    const dying: Store = {
      db: real.db,
      close: () => real.close(),
      transaction: (fn) =>
        ++units === 3 ? Promise.reject(new Error('process killed')) : real.transaction(fn),
    };
    await expect(pollDepartment(deps(gw, dying), await destination(gw))).rejects.toThrow('process killed');
    expect(landDossiers(gw)).toHaveLength(2);
    expect((await findCursor(real.db, 'land-registry'))?.cursor).toBe('2');
    await gw.close();

    gw = await open(); // the same SQLite file, a new process
    const round = await pollDepartment(deps(gw), await destination(gw));
    expect(round).toMatchObject({ taken: 3, bad: 0 });
    const held = landDossiers(gw);
    expect(held.map((d) => d.recordId)).toEqual([...ids].sort());
    expect(held.find((d) => d.recordId === ids[0])).toMatchObject({ status: 'processing', steps: 2 });
    expect(logKinds(gw, 'intake.created')).toHaveLength(4);
    expect((await findCursor(gw.services.store.db, 'land-registry'))?.cursor).toBe('5');
  });

  it('two pollers of one system (two processes) never take a change twice: the cursor moves only from where a round found it', async () => {
    sim.feed.keyIn(keyed());
    sim.feed.keyIn(keyed());
    // Another poller takes the first change while this round is reading the page.
    const other = deps(gw);
    const racing: PollDeps = {
      ...deps(gw),
      feed: {
        async read(call) {
          const answer = await other.feed.read(call);
          const page = structuredClone(answer);
          if (page.kind === 'answered') {
            const first = (page.answer as { danhSach: Record<string, unknown>[] }).danhSach.slice(0, 1);
            const once = {
              read: async () => ({ kind: 'answered' as const, answer: { danhSach: first, conTro: '1' } }),
            };
            await pollDepartment({ ...other, feed: once }, await destination(gw));
          }
          return answer;
        },
      },
    };
    await expect(pollDepartment(racing, await destination(gw))).rejects.toThrow(/moved under this round/);
    expect(landDossiers(gw)).toHaveLength(1);
    expect(logKinds(gw, 'intake.created')).toHaveLength(1);
    // The next round goes on from where the other poller left it.
    expect(await pollDepartment(deps(gw), await destination(gw))).toMatchObject({ taken: 1, bad: 0 });
    expect(landDossiers(gw)).toHaveLength(2);
    expect(logKinds(gw, 'intake.created')).toHaveLength(2);
  });

  it('an outage of the feed loses nothing: the poller backs off, then takes every change once', async () => {
    const poller = new DepartmentPoller({
      ...deps(gw),
      config: FAST,
      intervalSeconds: 3600,
      random: () => 0.5,
    });
    sim.feed.keyIn(keyed());
    await sim.control.down(true);
    expect(await poller.tick()).toBe(0);
    sim.feed.keyIn(keyed());
    sim.control.fail(503, 1);
    await sim.control.down(false);
    // Still backing off: the first outage's wait is not over, or the 503 answers the next round.
    for (let i = 0; i < 50 && landDossiers(gw).length < 2; i++) {
      await poller.tick();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(landDossiers(gw)).toHaveLength(2);
    const cursor = await findCursor(gw.services.store.db, 'land-registry');
    expect(cursor).toMatchObject({ cursor: '2', changes: 2, badChanges: 0 });
    expect(cursor?.lastError).toMatch(/unreachable|503/);
    // After a round that moved, the next one waits the interval: nothing is read again meanwhile.
    const reads = sim.feed.reads;
    expect(await poller.tick()).toBe(0);
    expect(sim.feed.reads).toBe(reads);
    expect(gw.logs.join('\n')).not.toContain(TOKEN);
  });

  it('a change that does not map or fails validation is recorded without personal data and skipped', async () => {
    const secretName = 'Lê Văn Bítriệt';
    // An unknown status code: it does not map through the profile.
    sim.feed.keyIn(keyed({ applicant: { type: 'citizen', fullName: secretName } }));
    const bad = sim.feed.changes.at(-1) as Record<string, string>;
    bad.maTrangThai = 'KHONG_RO';
    // A procedure code off the national format: the intake's validation refuses it.
    sim.feed.keyIn(keyed({ procedure: { code: '1.4227', name: 'Thủ tục sai mã' }, summary: secretName }));
    // A step for a record the gateway never saw.
    sim.feed.step('VBD-2026-999999', 'x', { status: 'processing', at: '2026-12-02T09:00:00+07:00' });
    const good = sim.feed.keyIn(keyed());
    const round = await pollDepartment(deps(gw), await destination(gw));
    expect(round).toMatchObject({ taken: 1, bad: 3, moved: true });
    expect(landDossiers(gw).map((d) => d.recordId)).toEqual([good]);
    const refused = logKinds(gw, 'department.change_refused').map((r) => JSON.parse(r.data));
    expect(refused.map((r) => r.position)).toEqual(['1', '2', '3']);
    expect(refused[0].errors).toEqual([{ path: 'change', rule: 'unmappable' }]);
    expect(refused[1].errors).toContainEqual({ path: 'procedure.code', rule: 'procedure_code_format' });
    expect(refused[2]).toMatchObject({ recordId: 'VBD-2026-999999', errors: [{ rule: 'not_found' }] });
    const everything = JSON.stringify(refused) + gw.logs.join('\n');
    expect(everything).not.toContain(secretName);
    expect(everything).not.toContain('0987');
    expect(await findCursor(gw.services.store.db, 'land-registry')).toMatchObject({
      cursor: '4',
      changes: 1,
      badChanges: 3,
    });
  });

  it('a dossier pulled from the land registry joins the same dossier the one-stop software pushed over REST', async () => {
    const pushed = await json(
      await gw.request('POST', '/v1/dossiers', { body: dossierBody({ agency: LAND, status: 'received' }) }),
    );
    expect(pushed.outcome).toBe('created');
    const body = dossierBody();
    const recordId = sim.feed.keyIn(
      keyed({
        code: pushed.code,
        applicant: {
          type: 'citizen',
          fullName: pushed.applicant.fullName,
          idNumber: pushed.applicant.idNumber,
        },
        receivedAt: '2026-11-28T08:30:00+07:00',
        procedure: { code: '1.004227', name: (body.procedure as { name: string }).name },
      }),
    );
    const round = await pollDepartment(deps(gw), await destination(gw));
    expect(round).toMatchObject({ taken: 1, bad: 0 });
    const joined = await json(
      await gw.request('GET', `/v1/dossiers/${pushed.id}`, { key: gw.keys.operator }),
    );
    expect(joined.sources.map((s: { system: string; recordId: string }) => [s.system, s.recordId])).toEqual(
      expect.arrayContaining([
        ['motcua', pushed.sources[0].recordId],
        ['land-registry', recordId],
      ]),
    );
    expect(count(gw, 'dossiers')).toBe(1);
    expect(logKinds(gw, 'dedup.merged')).toHaveLength(1);
  });

  it('GET /v1/ops/health lists the destination: backlog, oldest pending age, circuit and its poller', async () => {
    await gw.request('POST', '/v1/dossiers', { body: dossierBody({ agency: LAND }) });
    sim.feed.keyIn(keyed());
    await pollDepartment(deps(gw), await destination(gw));
    const health = await json(await gw.request('GET', '/v1/ops/health', { key: gw.keys.operator }));
    expect(health.departments).toEqual([
      expect.objectContaining({
        name: 'land-registry',
        circuit: 'closed',
        pending: 1,
        dead: 0,
        oldestPendingAgeMs: expect.any(Number),
        pull: expect.objectContaining({ changes: 1, badChanges: 0, lastError: null }),
      }),
    ]);
    expect(JSON.stringify(health)).not.toContain(TOKEN);
  });
});
