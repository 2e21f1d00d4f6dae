/** Reading dossiers: one by id (following merges) and the paged list, each in the caller's scope. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAlias } from '../../src/intake/alias.store.js';
import { insertConflict } from '../../src/intake/conflict.store.js';
import { insertDossier } from '../../src/intake/dossier.store.js';
import { getDossier } from '../../src/intake/get-dossier.js';
import { insertStep } from '../../src/intake/history.store.js';
import { listDossiers } from '../../src/intake/list-dossiers.js';
import { insertSource } from '../../src/intake/source.store.js';
import { Forbidden, NotFound, Validation } from '../../src/lib/errors.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  motcua,
  OTHER_AGENCY,
  openTestStore,
  operator,
  record,
  rejectionOf,
  type TestStore,
  tuphap,
  xaydung,
} from './intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const agency = (code: string) => ({ agency: { code, name: `Cơ quan ${code}` } });

describe('getDossier', () => {
  beforeEach(async () => {
    const a = record({ id: 'a', code: 'A' });
    await insertDossier(s.db, a);
    await insertSource(s.db, {
      dossierId: 'a',
      system: 'motcua',
      recordId: 'MC-1',
      code: null,
      firstSeenAtMs: 1,
      lastSeenAtMs: 2,
      lastInput: { data: a.data, status: 'received' },
    });
    await insertStep(s.db, {
      dossierId: 'a',
      status: 'received',
      atMs: a.statusAtMs,
      note: undefined,
      officer: undefined,
      system: 'motcua',
      recordId: 'MC-1',
      applied: true,
      now: 3,
    });
    await insertAlias(s.db, { code: 'ALIAS-1', dossierId: 'a', system: 'xaydung' }, 4);
    await insertConflict(s.db, 'a', {
      field: 'summary',
      kept: 'x',
      keptSystem: 'motcua',
      other: 'y',
      otherSystem: 'xaydung',
      detectedAtMs: 5,
    });
    await insertDossier(s.db, record({ id: 'b', code: 'B', mergedInto: 'a' }));
    await insertDossier(s.db, record({ id: 'c', code: 'C', mergedInto: 'b' }));
    await insertDossier(s.db, record({ id: 'o', code: 'O' }, agency(OTHER_AGENCY)));
  });

  it('answers the full view: summary, sources, history, aliases and conflicts', async () => {
    const read = await getDossier(s.db, motcua, 'a');
    expect(read.mergedInto).toBeUndefined();
    expect(read.dossier).toMatchObject({
      id: 'a',
      code: 'A',
      links: { self: '/v1/dossiers/a' },
      sources: [{ system: 'motcua', recordId: 'MC-1' }],
      history: [{ status: 'received', applied: true, source: { system: 'motcua', recordId: 'MC-1' } }],
      aliases: [{ code: 'ALIAS-1', system: 'xaydung' }],
      conflicts: [{ field: 'summary', kept: 'x', other: 'y' }],
    });
  });

  it('answers the live dossier for an id merged away, and says which', async () => {
    const once = await getDossier(s.db, xaydung, 'b');
    expect(once.mergedInto).toBe('a');
    expect(once.dossier.id).toBe('a');
    expect(once.dossier.sources).toHaveLength(1);
    const twice = await getDossier(s.db, operator, 'c');
    expect(twice).toMatchObject({ mergedInto: 'a', dossier: { id: 'a', code: 'A' } });
  });

  it('throws NotFound for an unknown id and, alike, for a dossier the department may not see', async () => {
    expect(await rejectionOf(getDossier(s.db, motcua, 'nope'))).toBeInstanceOf(NotFound);
    expect(await rejectionOf(getDossier(s.db, motcua, 'o'))).toBeInstanceOf(NotFound);
    expect(await rejectionOf(getDossier(s.db, tuphap, 'b'))).toBeInstanceOf(NotFound);
    expect((await getDossier(s.db, tuphap, 'o')).dossier.id).toBe('o');
  });
});

describe('listDossiers', () => {
  beforeEach(async () => {
    const at = (n: number) => Date.parse('2027-01-10T00:00:00Z') + n * 1000;
    await insertDossier(s.db, record({ id: 'a1', code: 'A1', updatedAtMs: at(1) }));
    await insertDossier(s.db, record({ id: 'a2', code: 'A2', updatedAtMs: at(2) }));
    await insertDossier(s.db, record({ id: 'a3', code: 'A3', updatedAtMs: at(2), status: 'processing' }));
    await insertDossier(s.db, record({ id: 'b1', code: 'B1', updatedAtMs: at(3) }, agency(AGENCY_2)));
    await insertDossier(s.db, record({ id: 'o1', code: 'O1', updatedAtMs: at(4) }, agency(OTHER_AGENCY)));
    await insertDossier(s.db, record({ id: 'm1', code: 'M1', updatedAtMs: at(5), mergedInto: 'a1' }));
  });

  it('pages through every live dossier with the cursor, and ends with a null cursor', async () => {
    const seen: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await listDossiers(s.db, operator, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(res.items.map((d) => d.id));
      if (res.nextCursor === null) break;
      cursor = res.nextCursor;
    }
    expect(seen).toEqual([['a1', 'a2'], ['a3', 'b1'], ['o1']]);
  });

  it('answers summaries with times in +07:00 and links', async () => {
    const { items } = await listDossiers(s.db, operator, { limit: 1 });
    expect(items[0]).toMatchObject({
      id: 'a1',
      code: 'A1',
      status: 'received',
      statusAt: '2026-11-28T08:30:00+07:00',
      updatedAt: '2027-01-10T07:00:01+07:00',
      links: { self: '/v1/dossiers/a1', events: '/v1/dossiers/a1/events' },
    });
  });

  it('shows a department only its own agencies, and the agency it asks for if it is one', async () => {
    const ids = async (p: typeof motcua, q: { agency?: string } = {}) =>
      (await listDossiers(s.db, p, { limit: 50, ...q })).items.map((d) => d.id);
    expect(await ids(motcua)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(await ids(xaydung)).toEqual(['a1', 'a2', 'a3']);
    expect(await ids(tuphap)).toEqual(['o1']);
    expect(await ids(motcua, { agency: AGENCY_2 })).toEqual(['b1']);
    expect(await ids(operator, { agency: OTHER_AGENCY })).toEqual(['o1']);
    const error = await rejectionOf(listDossiers(s.db, xaydung, { limit: 50, agency: AGENCY_2 }));
    expect(error).toBeInstanceOf(Forbidden);
  });

  it('filters by code, status and change time', async () => {
    const ids = async (q: Record<string, string>) =>
      (await listDossiers(s.db, operator, { limit: 50, ...q })).items.map((d) => d.id);
    expect(await ids({ code: 'A2' })).toEqual(['a2']);
    expect(await ids({ status: 'processing' })).toEqual(['a3']);
    expect(await ids({ updatedSince: '2027-01-10T07:00:03+07:00' })).toEqual(['b1', 'o1']);
    expect(await ids({ agency: AGENCY })).toEqual(['a1', 'a2', 'a3']);
  });

  it('throws Validation (cursor_format) for a cursor it did not issue', async () => {
    for (const cursor of ['not-a-cursor', btoa('{"a":1}'), btoa('["x", 1]')]) {
      const error = await rejectionOf(listDossiers(s.db, operator, { limit: 2, cursor }));
      expect(error).toBeInstanceOf(Validation);
      expect((error as Validation).errors[0]?.rule).toBe('cursor_format');
    }
  });
});
