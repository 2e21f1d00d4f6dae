/** The dual-entry candidate probes, on a real migrated SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findByIdNumber, findBySameDay, MAX_CANDIDATES } from '../../src/dedup/candidate.store.js';
import { insertDossier } from '../../src/intake/dossier.store.js';
import { closeTestStore, openTestStore, record, type TestStore } from '../intake/intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const ID = '001190123456';
const PROCEDURE = '1.004227';
const RECEIVED = '2026-11-28T08:30:00+07:00';
const T = Date.parse(RECEIVED);

async function add(id: string, body: Record<string, unknown> = {}, over: { mergedInto?: string } = {}) {
  await insertDossier(
    s.db,
    record(
      { id, code: `CODE-${id}`, mergedInto: over.mergedInto ?? null },
      {
        applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: ID, phone: '0912 345 678' },
        resultReturn: { method: 'counter' },
        ...body,
      },
    ),
  );
}

const ids = (found: { id: string }[]) => found.map((d) => d.id).sort();

describe('findByIdNumber', () => {
  const q = { idNumber: ID, procedure: PROCEDURE, from: T - 1000, to: T + 1000 };

  it('finds live dossiers of the identifier and procedure received within the window, bounds included', async () => {
    await add('at', { receivedAt: RECEIVED });
    await add('from', { receivedAt: new Date(T - 1000).toISOString() });
    await add('to', { receivedAt: new Date(T + 1000).toISOString() });
    await add('before', { receivedAt: new Date(T - 1001).toISOString() });
    await add('after', { receivedAt: new Date(T + 1001).toISOString() });
    const found = await findByIdNumber(s.db, q);
    expect(ids(found)).toEqual(['at', 'from', 'to']);
    expect(found.find((d) => d.id === 'at')?.data.applicant.idNumber).toBe(ID);
  });

  it('leaves out dossiers merged away, of another procedure, or of another identifier', async () => {
    await add('live');
    await add('merged', {}, { mergedInto: 'live' });
    await add('procedure', { procedure: { code: '1.000001', name: 'Khác' } });
    await add('person', {
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: '001190654321' },
    });
    expect(ids(await findByIdNumber(s.db, q))).toEqual(['live']);
  });

  it(`answers at most ${MAX_CANDIDATES} dossiers`, async () => {
    for (let i = 0; i < MAX_CANDIDATES + 5; i++) await add(`d${i}`);
    expect(MAX_CANDIDATES).toBe(20);
    expect(await findByIdNumber(s.db, q)).toHaveLength(20);
  });
});

describe('findBySameDay', () => {
  const byName = {
    procedure: PROCEDURE,
    day: '2026-11-28',
    by: 'name' as const,
    key: 'an nguyen van',
    idless: false,
  };
  const byPhone = {
    procedure: PROCEDURE,
    day: '2026-11-28',
    by: 'phone' as const,
    key: '+84912345678',
    idless: false,
  };

  it('finds live dossiers of the procedure and receipt day in Vietnam with the same name key', async () => {
    await add('same', { applicant: { type: 'citizen', fullName: 'NGUYEN VAN AN' } });
    await add('late', { receivedAt: '2026-11-28T23:59:00+07:00' });
    await add('nextDay', { receivedAt: '2026-11-29T00:10:00+07:00' });
    await add('other', {
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn Bình', phone: '0912 345 678' },
    });
    await add('merged', {}, { mergedInto: 'same' });
    await add('procedure', { procedure: { code: '1.000001', name: 'Khác' } });
    expect(ids(await findBySameDay(s.db, byName))).toEqual(['late', 'same']);
  });

  it('finds them by the same phone, whatever the name', async () => {
    await add('same', { applicant: { type: 'citizen', fullName: 'Trần Thị Hoa', phone: '+84 912 345 678' } });
    await add('noPhone', { applicant: { type: 'citizen', fullName: 'Nguyễn Văn An' } });
    await add('merged', {}, { mergedInto: 'same' });
    expect(ids(await findBySameDay(s.db, byPhone))).toEqual(['same']);
  });

  it('answers only dossiers without an applicant identifier when asked for id-less ones', async () => {
    await add('withId', {
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', idNumber: '027090001234' },
    });
    await add('withoutId', {
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn An', phone: '0912 345 678' },
    });
    expect(ids(await findBySameDay(s.db, { ...byName, idless: true }))).toEqual(['withoutId']);
    expect(ids(await findBySameDay(s.db, { ...byPhone, idless: true }))).toEqual(['withoutId']);
    expect(ids(await findBySameDay(s.db, byName))).toEqual(['withId', 'withoutId']);
  });

  it(`answers at most ${MAX_CANDIDATES} dossiers per probe`, async () => {
    for (let i = 0; i < MAX_CANDIDATES + 5; i++) await add(`d${i}`);
    expect(await findBySameDay(s.db, byName)).toHaveLength(20);
    expect(await findBySameDay(s.db, byPhone)).toHaveLength(20);
  });
});
