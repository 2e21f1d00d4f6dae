/** The departmental profiles: their fixtures map both ways without loss, and so do generated values. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../../../mappings/departments/dates.js';
import {
  dossierFromSystem,
  dossierToSystem,
  eventFromSystem,
  eventToSystem,
  PROFILES,
  profileNamed,
  recordIdFromAnswer,
} from '../../../mappings/departments/index.js';
import { landRegistryProfile as p } from '../../../mappings/departments/land-registry.js';
import { DepartmentProfileSchema } from '../../../mappings/departments/profile.js';
import { CHANNELS, STATUSES } from '../../../schemas/dossier.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/departments');
const DIR = join(FIXTURES, 'land-registry');
const read = (name: string, dir = DIR) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

for (const [name, profile] of Object.entries(PROFILES)) {
  describe(`${name} profile fixtures`, () => {
    const dir = join(FIXTURES, name);
    const dossierFixtures = readdirSync(dir).filter((f) => f.startsWith('dossier-'));
    it('has fixtures to check', () => expect(dossierFixtures.length).toBeGreaterThanOrEqual(3));

    for (const file of dossierFixtures) {
      it(`${file}: canonical → system → canonical, exactly`, () => {
        const { canonical, system } = read(file, dir);
        expect(dossierToSystem(profile, canonical)).toEqual(system);
        expect(dossierFromSystem(profile, system)).toEqual(canonical);
      });
    }

    it('events map both ways, and the answer carries a record id', () => {
      for (const e of read('events.json', dir)) {
        expect(eventToSystem(profile, e.code, e.canonical)).toEqual(e.system);
        expect(eventFromSystem(profile, e.system)).toEqual({ code: e.code, event: e.canonical });
      }
      expect(recordIdFromAnswer(profile, read('answer-accepted.json', dir))).toMatch(
        new RegExp(profile.recordId.pattern),
      );
    });

    it('names elements without diacritics', () => {
      const names = [...Object.values(profile.dossierFields), ...Object.values(profile.eventFields)];
      for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    });
  });
}

describe('land-registry profile', () => {
  it("reads the system's record id from its answer, and refuses one of another shape", () => {
    expect(recordIdFromAnswer(p, read('answer-accepted.json'))).toBe('VBD-2026-000123');
    expect(() => recordIdFromAnswer(p, { maHoSoVbd: 'HS-1' })).toThrow(/record id/);
    expect(() => recordIdFromAnswer(p, 'VBD-2026-000123')).toThrow(/record id/);
  });

  it('refuses a code it has no mapping for instead of sending a wrong one', () => {
    const { system } = read('dossier-transfer.json');
    expect(() => dossierFromSystem(p, { ...system, maTrangThai: 'KHONG_RO' })).toThrow(/status/);
    expect(() => dossierFromSystem(p, { ...system, ngayNhan: '31/02/2026 08:00:00' })).toThrow(
      /no such date/,
    );
  });
});

describe('profiles', () => {
  it('every listed profile validates and is found by its own name', () => {
    for (const [name, profile] of Object.entries(PROFILES)) {
      expect(DepartmentProfileSchema.parse(profile)).toEqual(profile);
      expect(profileNamed(name)).toBe(profile);
    }
    expect(profileNamed('toString')).toBeUndefined();
  });

  it('refuses a code table that would not map back', () => {
    const statuses = { ...p.codes.statuses, rejected: p.codes.statuses.received };
    const bad = { ...p, codes: { ...p.codes, statuses } };
    expect(() => DepartmentProfileSchema.parse(bad)).toThrow(/two values/);
    const { processing: _, ...partial } = p.codes.statuses;
    expect(() => DepartmentProfileSchema.parse({ ...p, codes: { ...p.codes, statuses: partial } })).toThrow(
      /every value/,
    );
  });
});

const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => {
    const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + 7 * 3_600_000).toISOString();
    return `${local.slice(0, 19)}+07:00`;
  });
const word = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);

describe('round trips (property)', () => {
  it('every instant survives each date format', () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...(['dd/MM/yyyy HH:mm:ss', 'yyyyMMddHHmmss', 'iso'] as const)),
        (iso, f) => {
          expect(parseDate(f, formatDate(f, iso))).toBe(iso);
        },
      ),
    );
  });

  it('every dossier the profile can carry comes back unchanged', () => {
    const dossier = fc.record(
      {
        code: word,
        agency: fc.record({ code: word, name: word }),
        procedure: fc.record({
          code: fc.constantFrom('1.003010', '2.000889', '1.001193', '9.999999'),
          name: word,
        }),
        applicant: fc.record(
          {
            type: fc.constantFrom('citizen', 'business', 'agency', 'organization' as const),
            fullName: word,
            idNumber: word,
            phone: word,
            address: word,
          },
          { requiredKeys: ['type', 'fullName'] },
        ),
        summary: word,
        channel: fc.constantFrom(...CHANNELS),
        receivedAt: instant,
        dueAt: instant,
        status: fc.constantFrom(...STATUSES),
      },
      { requiredKeys: ['code', 'agency', 'procedure', 'applicant', 'channel', 'receivedAt', 'status'] },
    );
    for (const profile of Object.values(PROFILES)) {
      fc.assert(
        fc.property(dossier, (d) => {
          expect(dossierFromSystem(profile, dossierToSystem(profile, d))).toEqual(d);
        }),
      );
    }
  });

  it('every status step comes back unchanged', () => {
    const event = fc.record(
      { status: fc.constantFrom(...STATUSES), at: instant, note: word },
      { requiredKeys: ['status', 'at'] },
    );
    fc.assert(
      fc.property(word, event, fc.constantFrom(...Object.values(PROFILES)), (code, e, profile) => {
        expect(eventFromSystem(profile, eventToSystem(profile, code, e))).toEqual({ code, event: e });
      }),
    );
  });
});
