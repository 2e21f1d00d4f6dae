/** The dual-entry candidate probes, on a real migrated SQLite file, and their query plans. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findByIdNumber, findInWindow, MAX_CANDIDATES } from '../../src/dedup/candidate.store.js';
import { insertDossier } from '../../src/intake/dossier.store.js';
import {
  AGENCY,
  closeTestStore,
  OTHER_AGENCY,
  openTestStore,
  record,
  type TestStore,
} from '../intake/intake-fixture.js';

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
  const q = { idNumber: ID, agency: AGENCY, procedure: PROCEDURE, from: T - 1000, to: T + 1000 };

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

  it('leaves out dossiers merged away, of another agency, procedure, or identifier', async () => {
    await add('live');
    await add('agency', {
      agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' },
      code: `${OTHER_AGENCY}-261128-0001`,
    });
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

describe('findInWindow', () => {
  const byName = {
    agency: AGENCY,
    procedure: PROCEDURE,
    from: T - 1000,
    to: T + 1000,
    by: 'name' as const,
    key: 'an nguyen van',
  };
  const byPhone = { ...byName, by: 'phone' as const, key: '+84912345678' };

  it('finds live dossiers of the agency and procedure received within the window with the same name key, whatever their id', async () => {
    await add('same', {
      applicant: { type: 'citizen', fullName: 'NGUYEN VAN AN', idNumber: '027090001234' },
    });
    await add('noId', { applicant: { type: 'citizen', fullName: 'Văn An Nguyễn' } });
    await add('from', { receivedAt: new Date(T - 1000).toISOString() });
    await add('to', { receivedAt: new Date(T + 1000).toISOString() });
    await add('before', { receivedAt: new Date(T - 1001).toISOString() });
    await add('after', { receivedAt: new Date(T + 1001).toISOString() });
    await add('other', {
      applicant: { type: 'citizen', fullName: 'Nguyễn Văn Bình', phone: '0912 345 678' },
    });
    await add('merged', {}, { mergedInto: 'same' });
    await add('procedure', { procedure: { code: '1.000001', name: 'Khác' } });
    await add('agency', {
      agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' },
      code: `${OTHER_AGENCY}-261128-0001`,
    });
    expect(ids(await findInWindow(s.db, byName))).toEqual(['from', 'noId', 'same', 'to']);
  });

  it('finds them by the same phone, whatever the name, never another agency’s', async () => {
    await add('same', { applicant: { type: 'citizen', fullName: 'Trần Thị Hoa', phone: '+84 912 345 678' } });
    await add('noPhone', { applicant: { type: 'citizen', fullName: 'Nguyễn Văn An' } });
    await add('merged', {}, { mergedInto: 'same' });
    await add('agency', {
      agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' },
      code: `${OTHER_AGENCY}-261128-0001`,
    });
    expect(ids(await findInWindow(s.db, byPhone))).toEqual(['same']);
  });

  it(`answers at most ${MAX_CANDIDATES} dossiers per probe`, async () => {
    for (let i = 0; i < MAX_CANDIDATES + 5; i++) await add(`d${i}`);
    expect(await findInWindow(s.db, byName)).toHaveLength(20);
    expect(await findInWindow(s.db, byPhone)).toHaveLength(20);
  });
});

describe('the probes’ query plans', () => {
  /** Runs `probe` and answers SQLite's plan of each statement it prepared on the dossiers table. */
  async function plansOf(probe: () => Promise<unknown>): Promise<string[][]> {
    const texts: string[] = [];
    const prepare = s.sqlite.prepare.bind(s.sqlite);
    const spy = vi.spyOn(s.sqlite, 'prepare').mockImplementation((text: string) => {
      texts.push(text);
      return prepare(text);
    });
    try {
      await probe();
    } finally {
      spy.mockRestore();
    }
    return texts
      .filter((t) => /from "dossiers"/i.test(t))
      .map((t) => {
        const values = (t.match(/\?/g) ?? []).map(() => 'x');
        const plan = s.sqlite.prepare(`EXPLAIN QUERY PLAN ${t}`).all(...values) as { detail: string }[];
        return plan.map((row) => row.detail);
      });
  }

  const range = { agency: AGENCY, procedure: PROCEDURE, from: T - 1000, to: T + 1000 };
  const probes: [string, () => Promise<unknown>, string][] = [
    ['identifier', () => findByIdNumber(s.db, { ...range, idNumber: ID }), 'dossiers_match_id'],
    [
      'name key',
      () => findInWindow(s.db, { ...range, by: 'name', key: 'an nguyen van' }),
      'dossiers_match_name',
    ],
    [
      'phone',
      () => findInWindow(s.db, { ...range, by: 'phone', key: '+84912345678' }),
      'dossiers_match_phone',
    ],
  ];
  for (const [name, probe, index] of probes) {
    it(`probes by ${name} through ${index}: key, agency and procedure equal, receipt a bounded range, no scan`, async () => {
      const [plan, ...more] = await plansOf(probe);
      expect(more).toEqual([]);
      expect(plan).toHaveLength(1);
      expect(plan?.[0]).toMatch(
        new RegExp(
          `^SEARCH dossiers USING INDEX ${index} \\(.*agency_code=\\? AND procedure_code=\\? AND received_at_ms>\\? AND received_at_ms<\\?\\)$`,
        ),
      );
    });
  }
});
