/** The source, history, alias, conflict and code-sequence stores, each on a real migrated SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteAlias,
  findAliasTarget,
  insertAlias,
  listAliases,
  moveAliases,
} from '../../src/intake/alias.store.js';
import { nextDailySequence } from '../../src/intake/code.store.js';
import { insertConflict, listConflicts } from '../../src/intake/conflict.store.js';
import { insertDossier } from '../../src/intake/dossier.store.js';
import {
  deleteStep,
  findSameStep,
  findStep,
  insertStep,
  latestAppliedStep,
  listSteps,
  moveStep,
  moveStepsOfSource,
  type NewStep,
} from '../../src/intake/history.store.js';
import {
  findDossierIdBySource,
  findSource,
  insertSource,
  listSources,
  moveAllSources,
  moveSource,
  recordIdOf,
  type SourceRecord,
  sourceSystems,
  sourceSystemsOf,
  touchSource,
} from '../../src/intake/source.store.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  openTestStore,
  record,
  rows,
  type TestStore,
} from './intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
  for (const id of ['a', 'b', 'c']) await insertDossier(s.db, record({ id, code: `CODE-${id}` }));
});
afterEach(async () => {
  await closeTestStore(s);
});

const T = (iso: string) => Date.parse(iso);

function source(over: Partial<SourceRecord> = {}): SourceRecord {
  const r = record();
  return {
    dossierId: 'a',
    system: 'motcua',
    recordId: 'MC-1',
    code: null,
    firstSeenAtMs: 100,
    lastSeenAtMs: 100,
    lastInput: { data: r.data, status: 'received' },
    ...over,
  };
}

describe('source store', () => {
  it('answers a source as it was written, its last input decoded', async () => {
    const src = source({ code: `${AGENCY}-261128-0001` });
    await insertSource(s.db, src);
    expect(await findSource(s.db, 'motcua', 'MC-1')).toEqual(src);
    expect(await findDossierIdBySource(s.db, 'motcua', 'MC-1')).toBe('a');
    expect(await findDossierIdBySource(s.db, 'xaydung', 'MC-1')).toBeUndefined();
    expect(await findSource(s.db, 'motcua', 'MC-2')).toBeUndefined();
  });

  it('keeps a source without a last input as one without', async () => {
    await insertSource(s.db, source({ lastInput: undefined }));
    expect((await findSource(s.db, 'motcua', 'MC-1'))?.lastInput).toBeUndefined();
  });

  it('refuses a stored last input that does not match its schema', async () => {
    await insertSource(s.db, source());
    s.sqlite
      .prepare('UPDATE dossier_sources SET last_input = ? WHERE record_id = ?')
      .run(JSON.stringify({ data: {}, status: 'received' }), 'MC-1');
    await expect(findSource(s.db, 'motcua', 'MC-1')).rejects.toThrow(
      /stored source last input does not match its schema/,
    );
    await expect(listSources(s.db, 'a')).rejects.toThrow(/schema/);
  });

  it('records what a known source pushed now, and when', async () => {
    await insertSource(s.db, source());
    const data = record({}, { summary: 'đổi nội dung' }).data;
    await touchSource(s.db, 'motcua', 'MC-1', { data, status: 'processing' }, 555);
    expect(await findSource(s.db, 'motcua', 'MC-1')).toMatchObject({
      firstSeenAtMs: 100,
      lastSeenAtMs: 555,
      lastInput: { data: { summary: 'đổi nội dung' }, status: 'processing' },
    });
  });

  it('lists the sources and systems of a dossier, first seen first', async () => {
    await insertSource(s.db, source({ system: 'xaydung', recordId: 'XD-1', firstSeenAtMs: 300 }));
    await insertSource(s.db, source({ system: 'motcua', recordId: 'MC-1', firstSeenAtMs: 200 }));
    await insertSource(s.db, source({ dossierId: 'b', system: 'tuphap', recordId: 'TP-1' }));
    expect((await listSources(s.db, 'a')).map((x) => x.recordId)).toEqual(['MC-1', 'XD-1']);
    expect((await sourceSystems(s.db, 'a')).sort()).toEqual(['motcua', 'xaydung']);
    expect(await sourceSystems(s.db, 'c')).toEqual([]);
    expect(await sourceSystemsOf(s.db, [])).toEqual([]);
    const of = await sourceSystemsOf(s.db, ['a', 'b']);
    expect(of.sort((x, y) => x.system.localeCompare(y.system))).toEqual([
      { dossierId: 'a', system: 'motcua' },
      { dossierId: 'b', system: 'tuphap' },
      { dossierId: 'a', system: 'xaydung' },
    ]);
    expect(await recordIdOf(s.db, 'a', 'xaydung')).toBe('XD-1');
    expect(await recordIdOf(s.db, 'b', 'xaydung')).toBeUndefined();
  });

  it('moves every source of a dossier, or just the one named', async () => {
    await insertSource(s.db, source({ system: 'motcua', recordId: 'MC-1' }));
    await insertSource(s.db, source({ system: 'xaydung', recordId: 'XD-1' }));
    await insertSource(s.db, source({ dossierId: 'c', system: 'tuphap', recordId: 'TP-1' }));
    await moveAllSources(s.db, 'a', 'b');
    expect(await sourceSystems(s.db, 'a')).toEqual([]);
    expect((await sourceSystems(s.db, 'b')).sort()).toEqual(['motcua', 'xaydung']);
    expect(await sourceSystems(s.db, 'c')).toEqual(['tuphap']);
    await moveSource(s.db, 'xaydung', 'XD-1', 'a');
    expect(await sourceSystems(s.db, 'a')).toEqual(['xaydung']);
    expect(await sourceSystems(s.db, 'b')).toEqual(['motcua']);
  });
});

describe('history store', () => {
  const step = (over: Partial<NewStep> = {}): NewStep => ({
    dossierId: 'a',
    status: 'received',
    atMs: T('2026-11-28T08:30:00+07:00'),
    note: undefined,
    officer: undefined,
    system: 'motcua',
    recordId: 'MC-1',
    applied: true,
    now: 999,
    ...over,
  });

  it('answers a step as stored: its time as +07:00 text, its officer decoded', async () => {
    const stored = await insertStep(
      s.db,
      step({
        atMs: T('2026-11-28T01:30:00Z'),
        note: 'ghi chú',
        officer: { name: 'Cán bộ A', unit: 'Một cửa' },
      }),
    );
    expect(stored).toEqual({
      id: expect.any(Number),
      dossierId: 'a',
      status: 'received',
      atMs: T('2026-11-28T08:30:00+07:00'),
      at: '2026-11-28T08:30:00+07:00',
      note: 'ghi chú',
      officer: { name: 'Cán bộ A', unit: 'Một cửa' },
      sourceSystem: 'motcua',
      sourceRecordId: 'MC-1',
      applied: true,
      recordedAtMs: 999,
    });
    expect(await findStep(s.db, stored.id)).toEqual(stored);
    const bare = await insertStep(s.db, step({ recordId: undefined, applied: false }));
    expect(bare).toMatchObject({ note: null, officer: null, sourceRecordId: null, applied: false });
    expect(await findStep(s.db, bare.id)).toEqual(bare);
  });

  it('refuses a stored officer that does not match its schema', async () => {
    const stored = await insertStep(s.db, step({ officer: { name: 'Cán bộ A' } }));
    s.sqlite.prepare('UPDATE status_history SET officer = ? WHERE id = ?').run('{"title":"x"}', stored.id);
    await expect(findStep(s.db, stored.id)).rejects.toThrow(/stored officer does not match its schema/);
  });

  it('finds the same status at the same time on the same dossier only', async () => {
    const at = T('2026-11-29T09:00:00+07:00');
    const stored = await insertStep(s.db, step({ status: 'processing', atMs: at }));
    expect(await findSameStep(s.db, 'a', 'processing', at)).toBe(stored.id);
    expect(await findSameStep(s.db, 'a', 'processing', at + 1)).toBeUndefined();
    expect(await findSameStep(s.db, 'a', 'resolved', at)).toBeUndefined();
    expect(await findSameStep(s.db, 'b', 'processing', at)).toBeUndefined();
  });

  it('lists steps in time order, and the latest applied step ignores steps only recorded', async () => {
    const r = await insertStep(s.db, step({ status: 'received', atMs: 1_000 }));
    const p = await insertStep(s.db, step({ status: 'processing', atMs: 3_000 }));
    await insertStep(s.db, step({ status: 'resolved', atMs: 9_000, applied: false }));
    await insertStep(s.db, step({ status: 'submitted', atMs: 500, applied: false }));
    expect((await listSteps(s.db, 'a')).map((h) => h.status)).toEqual([
      'submitted',
      'received',
      'processing',
      'resolved',
    ]);
    expect((await latestAppliedStep(s.db, 'a'))?.id).toBe(p.id);
    expect(await latestAppliedStep(s.db, 'b')).toBeUndefined();
    await moveStep(s.db, p.id, 'b', false);
    expect((await latestAppliedStep(s.db, 'a'))?.id).toBe(r.id);
    expect(await latestAppliedStep(s.db, 'b')).toBeUndefined();
    expect(await findStep(s.db, p.id)).toMatchObject({ dossierId: 'b', applied: false });
    await deleteStep(s.db, r.id);
    expect(await findStep(s.db, r.id)).toBeUndefined();
  });

  it('moves only the steps that one source reported on that dossier', async () => {
    const mine1 = await insertStep(s.db, step({ system: 'xaydung', recordId: 'XD-1', status: 'processing' }));
    const mine2 = await insertStep(s.db, step({ system: 'xaydung', recordId: 'XD-1', status: 'resolved' }));
    const otherRecord = await insertStep(s.db, step({ system: 'xaydung', recordId: 'XD-2' }));
    const otherSystem = await insertStep(s.db, step({ system: 'motcua', recordId: 'XD-1' }));
    const otherDossier = await insertStep(
      s.db,
      step({ dossierId: 'b', system: 'xaydung', recordId: 'XD-1' }),
    );
    const moved = await moveStepsOfSource(s.db, 'a', { system: 'xaydung', recordId: 'XD-1' }, 'c');
    expect(moved.map((h) => h.id).sort()).toEqual([mine1.id, mine2.id].sort());
    expect(moved.every((h) => h.dossierId === 'c')).toBe(true);
    expect((await listSteps(s.db, 'a')).map((h) => h.id).sort()).toEqual(
      [otherRecord.id, otherSystem.id].sort(),
    );
    expect((await listSteps(s.db, 'b')).map((h) => h.id)).toEqual([otherDossier.id]);
  });
});

describe('alias store', () => {
  it('keeps an alias where it is when the same code is added again', async () => {
    await insertAlias(s.db, { code: 'X-1', dossierId: 'a', system: 'xaydung' }, 1);
    await insertAlias(s.db, { code: 'X-1', dossierId: 'b', system: 'tuphap' }, 2);
    expect(await findAliasTarget(s.db, 'X-1')).toBe('a');
    expect(rows(s, 'SELECT code, dossier_id, system, created_at_ms FROM dossier_aliases')).toEqual([
      { code: 'X-1', dossier_id: 'a', system: 'xaydung', created_at_ms: 1 },
    ]);
  });

  it('lists a dossier’s aliases by code, moves them all, and deletes one', async () => {
    await insertAlias(s.db, { code: 'X-2', dossierId: 'a', system: 'xaydung' }, 1);
    await insertAlias(s.db, { code: 'X-1', dossierId: 'a', system: 'tuphap' }, 1);
    await insertAlias(s.db, { code: 'Y-1', dossierId: 'c', system: 'tuphap' }, 1);
    expect(await listAliases(s.db, 'a')).toEqual([
      { code: 'X-1', system: 'tuphap' },
      { code: 'X-2', system: 'xaydung' },
    ]);
    await moveAliases(s.db, 'a', 'b');
    expect(await listAliases(s.db, 'a')).toEqual([]);
    expect((await listAliases(s.db, 'b')).map((x) => x.code)).toEqual(['X-1', 'X-2']);
    expect(await findAliasTarget(s.db, 'Y-1')).toBe('c');
    await deleteAlias(s.db, 'X-1');
    expect(await findAliasTarget(s.db, 'X-1')).toBeUndefined();
    expect((await listAliases(s.db, 'b')).map((x) => x.code)).toEqual(['X-2']);
  });
});

describe('conflict store', () => {
  it('keeps any JSON value on both sides, oldest first, and only for its dossier', async () => {
    await insertConflict(s.db, 'a', {
      field: 'applicant',
      kept: { fullName: 'Nguyễn Văn An' },
      keptSystem: 'motcua',
      other: { fullName: 'NGUYEN VAN AN' },
      otherSystem: 'xaydung',
      detectedAtMs: 7,
    });
    await insertConflict(s.db, 'a', {
      field: 'dueAt',
      kept: undefined,
      keptSystem: null,
      other: '2026-12-12T17:00:00+07:00',
      otherSystem: 'xaydung',
      detectedAtMs: 8,
    });
    await insertConflict(s.db, 'b', {
      field: 'status',
      kept: 'received',
      keptSystem: null,
      other: 'resolved',
      otherSystem: 'x',
      detectedAtMs: 9,
    });
    expect(await listConflicts(s.db, 'a')).toEqual([
      {
        field: 'applicant',
        kept: { fullName: 'Nguyễn Văn An' },
        keptSystem: 'motcua',
        other: { fullName: 'NGUYEN VAN AN' },
        otherSystem: 'xaydung',
        detectedAtMs: 7,
      },
      {
        field: 'dueAt',
        kept: null,
        keptSystem: null,
        other: '2026-12-12T17:00:00+07:00',
        otherSystem: 'xaydung',
        detectedAtMs: 8,
      },
    ]);
    expect(await listConflicts(s.db, 'c')).toEqual([]);
  });
});

describe('code sequence store', () => {
  it('moves forward per agency and day, each counter on its own', async () => {
    expect(await nextDailySequence(s.db, AGENCY, '261128')).toBe(1);
    expect(await nextDailySequence(s.db, AGENCY, '261128')).toBe(2);
    expect(await nextDailySequence(s.db, AGENCY, '261129')).toBe(1);
    expect(await nextDailySequence(s.db, AGENCY_2, '261128')).toBe(1);
    expect(await nextDailySequence(s.db, AGENCY, '261128')).toBe(3);
    expect(
      rows(s, 'SELECT agency_code, day, last_seq FROM dossier_code_sequences ORDER BY agency_code, day'),
    ).toEqual([
      { agency_code: AGENCY, day: '261128', last_seq: 3 },
      { agency_code: AGENCY, day: '261129', last_seq: 1 },
      { agency_code: AGENCY_2, day: '261128', last_seq: 1 },
    ]);
  });
});
