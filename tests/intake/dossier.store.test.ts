/** The dossiers table through its one row builder, on a real migrated SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toData } from '../../src/intake/dossier.data.js';
import { fromDossierRow, toDossierRow } from '../../src/intake/dossier.row.js';
import {
  clearHold,
  findDossier,
  findDossierWithOwnCode,
  findLiveDossier,
  insertDossier,
  listDossiers,
  markMerged,
  updateDossier,
} from '../../src/intake/dossier.store.js';
import { findCodeHolder } from '../../src/intake/find-code-holder.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  input,
  NOW,
  openTestStore,
  record,
  rows,
  type TestStore,
} from './intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const DERIVED =
  'SELECT agency_code, procedure_code, applicant_id_number, received_at_ms, applicant_name_key, applicant_phone, received_day, held, merged_into FROM dossiers WHERE id = ?';

describe('the row builder', () => {
  it('sets every derived column from the dossier data', () => {
    const d = record({ id: 'd-1' });
    const row = toDossierRow(d);
    expect(row).toMatchObject({
      id: 'd-1',
      agency_code: AGENCY,
      procedure_code: '1.004227',
      applicant_id_number: d.data.applicant.idNumber,
      received_at_ms: Date.parse('2026-11-28T08:30:00+07:00'),
      applicant_name_key: 'an nguyen van',
      applicant_phone: '+84912345678',
      received_day: '2026-11-28',
      held: 0,
      merged_into: null,
    });
    expect(JSON.parse(row.data)).toEqual(d.data);
  });

  it('counts the receipt day in Vietnam, not in UTC', () => {
    const d = record({}, { receivedAt: '2026-11-29T01:00:00+07:00' });
    expect(toDossierRow(d).received_day).toBe('2026-11-29');
  });

  it('leaves the identifier and phone columns empty when the applicant has none', () => {
    const base = record();
    const { idNumber: _id, idKind: _kind, phone: _phone, ...applicant } = base.data.applicant;
    const row = toDossierRow({ ...base, data: { ...base.data, applicant } });
    expect(row.applicant_id_number).toBeNull();
    expect(row.applicant_phone).toBeNull();
  });

  it('answers the record it was given when a row goes out and comes back', () => {
    const d = record({ held: true, mergedInto: 'd-0', version: 7, statusAtMs: 123 });
    expect(fromDossierRow(toDossierRow(d))).toEqual(d);
  });

  it('refuses a row whose data does not match the stored schema', () => {
    const row = { ...toDossierRow(record()), data: JSON.stringify({ procedure: { code: 'P' } }) };
    expect(() => fromDossierRow(row)).toThrow(/stored dossier data does not match its schema/);
  });
});

describe('dossier store', () => {
  it('writes every derived column to the table and reads the same record back', async () => {
    const d = record({ id: 'd-1' });
    await insertDossier(s.db, d);
    expect(rows(s, DERIVED, 'd-1')).toEqual([
      {
        agency_code: AGENCY,
        procedure_code: '1.004227',
        applicant_id_number: d.data.applicant.idNumber,
        received_at_ms: Date.parse('2026-11-28T08:30:00+07:00'),
        applicant_name_key: 'an nguyen van',
        applicant_phone: '+84912345678',
        received_day: '2026-11-28',
        held: 0,
        merged_into: null,
      },
    ]);
    expect(await findDossier(s.db, 'd-1')).toEqual(d);
  });

  it('recomputes every derived column on update when the data changes', async () => {
    const d = record({ id: 'd-1' });
    await insertDossier(s.db, d);
    const changed = toData(
      input({
        agency: { code: AGENCY_2, name: 'Sở khác' },
        procedure: { code: '1.000001', name: 'Thủ tục khác' },
        applicant: { type: 'citizen', fullName: 'Trần Thị Bình' },
        receivedAt: '2026-11-20T09:00:00+07:00',
        resultReturn: { method: 'counter' },
      }),
    );
    await updateDossier(s.db, { ...d, data: changed, version: 2, held: true, status: 'processing' });
    expect(rows(s, DERIVED, 'd-1')).toEqual([
      {
        agency_code: AGENCY_2,
        procedure_code: '1.000001',
        applicant_id_number: null,
        received_at_ms: Date.parse('2026-11-20T09:00:00+07:00'),
        applicant_name_key: 'binh thi tran',
        applicant_phone: null,
        received_day: '2026-11-20',
        held: 1,
        merged_into: null,
      },
    ]);
    expect(await findDossier(s.db, 'd-1')).toMatchObject({ version: 2, status: 'processing', data: changed });
  });

  it('refuses loudly, on every read, a stored row whose JSON does not match its schema', async () => {
    await insertDossier(s.db, record({ id: 'd-1' }));
    s.sqlite
      .prepare('UPDATE dossiers SET data = ? WHERE id = ?')
      .run(JSON.stringify({ procedure: { code: '1.004227' }, channel: 'fax' }), 'd-1');
    await expect(findDossier(s.db, 'd-1')).rejects.toThrow(/does not match its schema/);
    await expect(findDossierWithOwnCode(s.db, `${AGENCY}-261128-0001`)).rejects.toThrow(/schema/);
    await expect(listDossiers(s.db, { limit: 10 })).rejects.toThrow(/schema/);
  });

  it('refuses a stored row whose data is not JSON at all', async () => {
    await insertDossier(s.db, record({ id: 'd-1' }));
    s.sqlite.prepare('UPDATE dossiers SET data = ? WHERE id = ?').run('{not json', 'd-1');
    await expect(findDossier(s.db, 'd-1')).rejects.toThrow();
  });

  it('answers nothing for an id or a code it does not hold', async () => {
    expect(await findDossier(s.db, 'nope')).toBeUndefined();
    expect(await findLiveDossier(s.db, 'nope')).toBeUndefined();
    expect(await findDossierWithOwnCode(s.db, 'nope')).toBeUndefined();
  });

  it('follows merge tombstones to the live dossier, over several hops', async () => {
    await insertDossier(s.db, record({ id: 'a', code: 'A' }));
    await insertDossier(s.db, record({ id: 'b', code: 'B' }));
    await insertDossier(s.db, record({ id: 'c', code: 'C', held: true }));
    await markMerged(s.db, 'c', 'b', NOW + 1);
    await markMerged(s.db, 'b', 'a', NOW + 2);
    expect((await findLiveDossier(s.db, 'c'))?.id).toBe('a');
    const tomb = await findDossier(s.db, 'c');
    expect(tomb).toMatchObject({ mergedInto: 'b', held: false, updatedAtMs: NOW + 1 });
    expect((await findDossierWithOwnCode(s.db, 'C'))?.id).toBe('c');
    expect((await findCodeHolder(s.db, 'C'))?.id).toBe('a');
  });

  it('clears a hold without touching the version', async () => {
    await insertDossier(s.db, record({ id: 'd-1', held: true, version: 3 }));
    await clearHold(s.db, 'd-1', NOW + 5);
    expect(await findDossier(s.db, 'd-1')).toMatchObject({ held: false, updatedAtMs: NOW + 5, version: 3 });
  });
});

describe('listing dossiers', () => {
  beforeEach(async () => {
    await insertDossier(s.db, record({ id: 'a', code: 'A', updatedAtMs: 10 }));
    await insertDossier(s.db, record({ id: 'b', code: 'B', updatedAtMs: 20 }));
    await insertDossier(s.db, record({ id: 'c', code: 'C', updatedAtMs: 20, status: 'processing' }));
    await insertDossier(
      s.db,
      record({ id: 'd', code: 'D', updatedAtMs: 30 }, { agency: { code: AGENCY_2, name: 'x' } }),
    );
    await insertDossier(s.db, record({ id: 'm', code: 'M', updatedAtMs: 15, mergedInto: 'a' }));
  });
  const ids = async (f: Parameters<typeof listDossiers>[1]) => (await listDossiers(s.db, f)).map((d) => d.id);

  it('lists live dossiers by (last change, id), never the merged-away ones', async () => {
    expect(await ids({ limit: 10 })).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids({ limit: 2 })).toEqual(['a', 'b']);
  });

  it('continues after a (last change, id) position without skipping rows of the same instant', async () => {
    expect(await ids({ limit: 10, after: { updatedAtMs: 20, id: 'b' } })).toEqual(['c', 'd']);
    expect(await ids({ limit: 10, after: { updatedAtMs: 10, id: 'a' } })).toEqual(['b', 'c', 'd']);
  });

  it('filters by code, agencies, status and change time; an empty agency list sees nothing', async () => {
    expect(await ids({ limit: 10, code: 'C' })).toEqual(['c']);
    expect(await ids({ limit: 10, code: 'M' })).toEqual([]);
    expect(await ids({ limit: 10, agencies: [AGENCY_2] })).toEqual(['d']);
    expect(await ids({ limit: 10, agencies: [] })).toEqual([]);
    expect(await ids({ limit: 10, status: 'processing' })).toEqual(['c']);
    expect(await ids({ limit: 10, updatedSinceMs: 20 })).toEqual(['b', 'c', 'd']);
  });
});
