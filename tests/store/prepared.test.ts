/** Statements built once (`prepared`): bound by name, and right on every database of the process. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromDossierRow } from '../../src/intake/dossier.row.js';
import { findDossier, insertDossier } from '../../src/intake/dossier.store.js';
import { prepared } from '../../src/store/prepared.js';
import type { Db } from '../../src/store/store.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  openTestStore,
  record,
  type TestStore,
} from '../intake/intake-fixture.js';

let one: TestStore;
let two: TestStore;
beforeEach(async () => {
  one = await openTestStore();
  two = await openTestStore();
  await insertDossier(one.db, record({ id: 'a', code: 'A' }));
  await insertDossier(one.db, record({ id: 'b', code: 'B' }, { agency: { code: AGENCY_2, name: 'x' } }));
  await insertDossier(one.db, record({ id: 'h', code: 'H', held: true }));
  await insertDossier(two.db, record({ id: 'x', code: 'X' }, { agency: { code: AGENCY_2, name: 'x' } }));
  await insertDossier(two.db, record({ id: 'y', code: 'Y', status: 'processing' }));
});
afterEach(async () => {
  await closeTestStore(one);
  await closeTestStore(two);
});

/** `key` twice, `agency` before it in the SQL but after it in the values, and a constant between them. */
const byKey = prepared<{ key: string; agency: string }>()((db, p) =>
  db
    .selectFrom('dossiers')
    .select(['id', 'code', 'status'])
    .where('agency_code', '=', p.agency)
    .where('held', '=', 0)
    .where((eb) => eb.or([eb('code', '=', p.key), eb('id', '=', p.key)]))
    .orderBy('id'),
);

/** The same statement through Kysely's builder, compiled on each run. */
const builder = (db: Db, key: string, agency: string) =>
  db
    .selectFrom('dossiers')
    .select(['id', 'code', 'status'])
    .where('agency_code', '=', agency)
    .where('held', '=', 0)
    .where((eb) => eb.or([eb('code', '=', key), eb('id', '=', key)]))
    .orderBy('id')
    .execute();

describe('prepared statements', () => {
  it('bind each value by its name, wherever and however often the placeholder appears', async () => {
    expect(await byKey.all(one.db, { key: 'a', agency: AGENCY })).toEqual([
      { id: 'a', code: 'A', status: 'received' },
    ]);
    expect(await byKey.all(one.db, { key: 'A', agency: AGENCY })).toEqual([
      { id: 'a', code: 'A', status: 'received' },
    ]);
    expect(await byKey.all(one.db, { agency: AGENCY_2, key: 'B' })).toEqual([
      { id: 'b', code: 'B', status: 'received' },
    ]);
    // the constant of the statement stays bound: a held dossier never matches
    expect(await byKey.all(one.db, { key: 'h', agency: AGENCY })).toEqual([]);
    expect(await byKey.all(one.db, { key: 'b', agency: AGENCY })).toEqual([]);
  });

  it('answer what the builder answers, on two databases open in one process, in either order', async () => {
    const cases: [TestStore, string, string][] = [
      [one, 'a', AGENCY],
      [two, 'x', AGENCY_2],
      [one, 'B', AGENCY_2],
      [two, 'Y', AGENCY],
      [two, 'a', AGENCY],
      [one, 'x', AGENCY_2],
    ];
    for (const [store, key, agency] of cases) {
      expect(await byKey.all(store.db, { key, agency })).toEqual(await builder(store.db, key, agency));
    }
    expect(await byKey.first(two.db, { key: 'y', agency: AGENCY })).toEqual({
      id: 'y',
      code: 'Y',
      status: 'processing',
    });
    expect(await byKey.first(one.db, { key: 'y', agency: AGENCY })).toBeUndefined();
  });

  it('run inside a unit of work as on the database handle', async () => {
    const inside = await one.transaction((trx) => byKey.all(trx, { key: 'a', agency: AGENCY }));
    expect(inside).toEqual(await builder(one.db, 'a', AGENCY));
  });

  it('read the dossier the builder reads, on each database', async () => {
    for (const [store, id] of [
      [one, 'a'],
      [two, 'x'],
      [one, 'b'],
      [two, 'y'],
    ] as const) {
      const row = await store.db
        .selectFrom('dossiers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(await findDossier(store.db, id)).toEqual(fromDossierRow(row));
    }
    expect(await findDossier(two.db, 'a')).toBeUndefined();
    expect(await findDossier(one.db, 'x')).toBeUndefined();
  });

  it('report the rows a write touched, and bind a value left out as null', async () => {
    const setNote = prepared<{ id: string; phone?: string }>()((db, p) =>
      db.updateTable('dossiers').set({ applicant_phone: p.phone }).where('id', '=', p.id),
    );
    const result = await setNote.run(one.db, { id: 'a' });
    expect(result.numAffectedRows).toBe(1n);
    expect(one.sqlite.prepare('SELECT applicant_phone FROM dossiers WHERE id = ?').get('a')).toEqual({
      applicant_phone: null,
    });
    expect((await setNote.run(two.db, { id: 'a', phone: '+84900000000' })).numAffectedRows).toBe(0n);
  });
});
