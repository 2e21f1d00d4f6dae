/** The land-registry profile: its fixtures map both ways without loss, and so do generated values. */
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

const DIR = join(import.meta.dirname, '../../fixtures/departments/land-registry');
const read = (name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const dossierFixtures = readdirSync(DIR).filter((f) => f.startsWith('dossier-'));

describe('land-registry profile fixtures', () => {
  it('has fixtures to check', () => expect(dossierFixtures.length).toBeGreaterThanOrEqual(3));

  for (const name of dossierFixtures) {
    it(`${name}: canonical → system → canonical, exactly`, () => {
      const { canonical, system } = read(name);
      expect(dossierToSystem(p, canonical)).toEqual(system);
      expect(dossierFromSystem(p, system)).toEqual(canonical);
    });
  }

  it('events map both ways', () => {
    for (const e of read('events.json')) {
      expect(eventToSystem(p, e.code, e.canonical)).toEqual(e.system);
      expect(eventFromSystem(p, e.system)).toEqual({ code: e.code, event: e.canonical });
    }
  });

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
        procedure: fc.record({ code: fc.constantFrom('1.003010', '2.000889', '9.999999'), name: word }),
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
    fc.assert(
      fc.property(dossier, (d) => {
        expect(dossierFromSystem(p, dossierToSystem(p, d))).toEqual(d);
      }),
    );
  });

  it('every status step comes back unchanged', () => {
    const event = fc.record(
      { status: fc.constantFrom(...STATUSES), at: instant, note: word },
      { requiredKeys: ['status', 'at'] },
    );
    fc.assert(
      fc.property(word, event, (code, e) => {
        expect(eventFromSystem(p, eventToSystem(p, code, e))).toEqual({ code, event: e });
      }),
    );
  });
});
