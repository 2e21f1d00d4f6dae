/**
 * Bulk-fills a store with realistic-looking dossiers straight through SQLite (one prepared statement,
 * large transactions), so benchmarks can start from 10,000 or 1,000,000 stored dossiers in seconds.
 * Rows carry the same blocking keys intake writes, so the dedup lookups behave as in production.
 */
import type SQLite from 'better-sqlite3';
import type { DossierData } from '../../schemas/dossier.js';
import { toDossierRow } from '../../src/intake/dossier.row.js';
import { toVnIso } from '../../src/lib/time.js';

export const BENCH_PROCEDURES = [
  '1.004227',
  '2.000477',
  '1.001776',
  '2.002156',
  '1.010800',
  '1.000894',
  '2.001711',
  '1.003003',
];
export const BENCH_AGENCIES = ['000.00.15.H24', '000.00.16.H24', '000.00.17.H24', '000.00.18.H24'];
const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Phan',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Quốc', 'Thu', 'Xuân'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hùng',
  'Khánh',
  'Linh',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Uyên',
  'Vy',
  'Yến',
];

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A plausible applicant name and mobile number, drawn from the same distribution as the stored ones. */
export function benchPerson(r: () => number): { fullName: string; phone: string } {
  return {
    fullName: `${pick(r, FAMILY)} ${pick(r, MIDDLE)} ${pick(r, GIVEN)}`,
    phone: `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
  };
}

/** A plausible 12-digit CCCD for a serial number (unique per serial). */
export function benchCccd(serial: number): string {
  return `027${serial % 2 === 0 ? '0' : '1'}${String(60 + (serial % 40)).padStart(2, '0')}${String(serial % 1_000_000).padStart(6, '0')}`;
}

/** Inserts dossiers numbered [from, to) with their source rows. */
export function fillDossiers(sqlite: SQLite.Database, from: number, to: number, seed = 7): void {
  const r = rng(seed + from);
  // The row comes from the gateway's one row builder, so the derived columns (blocking keys) match.
  const insert = sqlite.prepare(
    `INSERT INTO dossiers (id, code, agency_code, procedure_code, status, status_at_ms, applicant_id_number, received_at_ms, data, version, created_at_ms, updated_at_ms, applicant_name_key, applicant_phone, received_day, held, merged_into, due_at_ms, closed_at_ms, channel, digitised)
     VALUES (@id, @code, @agency_code, @procedure_code, @status, @status_at_ms, @applicant_id_number, @received_at_ms, @data, @version, @created_at_ms, @updated_at_ms, @applicant_name_key, @applicant_phone, @received_day, @held, @merged_into, @due_at_ms, @closed_at_ms, @channel, @digitised)`,
  );
  const source = sqlite.prepare(
    `INSERT INTO dossier_sources (dossier_id, system, record_id, code, first_seen_at_ms, last_seen_at_ms, last_input) VALUES (?, 'motcua', ?, NULL, ?, ?, NULL)`,
  );
  const start = Date.parse('2025-01-01T00:00:00+07:00');
  const span = 700 * 86_400_000;
  const batch = 20_000;
  for (let lo = from; lo < to; lo += batch) {
    sqlite.transaction(() => {
      for (let i = lo; i < Math.min(to, lo + batch); i++) {
        const received = start + Math.floor(r() * span);
        const agency = pick(r, BENCH_AGENCIES);
        const data: DossierData = {
          procedure: { code: pick(r, BENCH_PROCEDURES), name: 'Thủ tục' },
          agency: { code: agency, name: 'Sở' },
          applicant: {
            type: 'citizen',
            fullName: `${pick(r, FAMILY)} ${pick(r, MIDDLE)} ${pick(r, GIVEN)}`,
            idNumber: benchCccd(i + 1_000_000),
            idKind: 'cccd',
            phone: `+849${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
            address: {
              line: `Số ${1 + Math.floor(r() * 200)} đường Lý Thái Tổ`,
              communeCode: '09187',
              provinceCode: '24',
            },
          },
          channel: 'counter',
          receivedAt: toVnIso(received),
          dueAt: toVnIso(received + 14 * 86_400_000),
          resultReturn: { method: 'counter' },
          documents: [],
          fees: [],
        };
        const id = `bench-${i}`;
        insert.run(
          toDossierRow({
            id,
            code: `${agency}-FILL-${i}`,
            status: 'received',
            statusAtMs: received,
            version: 1,
            createdAtMs: received,
            updatedAtMs: received,
            held: false,
            mergedInto: null,
            data,
          }),
        );
        source.run(id, `FILL-${i}`, received, received);
      }
    })();
  }
}
