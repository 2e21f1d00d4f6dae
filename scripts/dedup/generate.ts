/**
 * Synthetic dual-entry data for the dedup matcher: pairs of `POST /v1/dossiers` bodies as two systems
 * would push them (system A, the provincial one-stop software, and system B, a department's own
 * software), each labelled as the SAME dossier keyed twice (`dual_entry`) or as two DIFFERENT dossiers
 * that only look alike (`near_miss`), plus unrelated single dossiers for filling a store.
 *
 * Besides clerk-level variations (name case, order, diacritics, spacing, phone notation, address typos,
 * receipt times, documents), the dual entries include identifiers that disagree: the old 9-digit CMND
 * on one side and the 12-digit CCCD on the other, a CCCD with two adjacent digits swapped or one digit
 * changed, no id on the second system's record; a record keyed the next day; and misspelt names (a
 * letter wrong, with or without dropped diacritics or the name order swapped). The near misses include
 * two people behind one id number: another person keyed with the applicant's id (`id_collision`), the
 * applicant's spouse keyed with the applicant's id (`spouse`, sharing the household phone and address),
 * and siblings (same family name and address, their own ids).
 *
 * Deterministic for a seed (own mulberry32 PRNG, no dependencies). Every body passes
 * `DossierInputSchema`; every CCCD, MST and phone number is checked with the identifier rules before use.
 * Communes come from the 2025 admin-unit catalogue read at run time (a small built-in list when the file
 * is absent). Applicant ids are drawn from disjoint ranges for pairs and singles (CCCD serial / MST third
 * digit 0–4 vs 5–9) and never repeat within a call, so filler dossiers never match a pair by identifier.
 *
 *   node --import tsx scripts/dedup/generate.ts --count 100 --seed 1 --agencies 000.00.15.H24 [--singles 10]
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { DossierInputSchema } from '../../schemas/dossier.js';
import {
  checkAgencyId,
  checkCccd,
  checkCmnd,
  checkMst,
  checkPhone,
  mstCheckDigit,
} from '../../schemas/identifiers.js';

/** A `POST /v1/dossiers` body (the input side of `DossierInputSchema`). */
export type DossierPushBody = z.input<typeof DossierInputSchema>;
type ApplicantBody = DossierPushBody['applicant'];
type DocumentBody = NonNullable<DossierPushBody['documents']>[number];

export const DUAL_ENTRY_VARIANTS = [
  'name_no_diacritics',
  'name_upper',
  'name_spacing',
  'name_order',
  'name_nfd',
  'name_d_stroke',
  'phone_format',
  'address_typo',
  'address_missing',
  'receipt_minutes_later',
  'receipt_days_later',
  'documents_none',
  'documents_subset',
  'summary_reworded',
  'id_format',
  'missing_id',
  'multiple',
  'cmnd_cccd',
  'id_typo_swap',
  'id_typo_digit',
  'next_day',
  'next_day_missing_id',
  'name_letter_wrong',
  'misspelt_name',
] as const;
export type DualEntryVariant = (typeof DUAL_ENTRY_VARIANTS)[number];

export const NEAR_MISS_VARIANTS = [
  'namesake',
  'same_person_other_procedure',
  'same_person_later',
  'relatives',
  'same_system',
  'id_collision',
  'spouse',
  'siblings',
] as const;
export type NearMissVariant = (typeof NEAR_MISS_VARIANTS)[number];

export interface GeneratedPair {
  id: string;
  kind: 'dual_entry' | 'near_miss';
  variant: string;
  /** Pushed by system A (`source.system` = systems[0]). */
  a: DossierPushBody;
  /** Pushed by system B (`source.system` = systems[1]); by system A too for the `same_system` variant. */
  b: DossierPushBody;
  /** The atomic differences applied to b (one for a plain variant, 2–4 for `multiple`). */
  changes: string[];
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Agency electronic ids the dossiers are filed under (the caller's clients must be allowed them). */
  agencies: string[];
  /** The admin-unit catalogue; default `../shared/data/admin-units-2025.json` from the project root. */
  adminUnitsPath?: string;
  /** First receipt day `YYYY-MM-DD` (Vietnam time); default 2026-06-01. */
  startDate?: string;
  /** Receipts fall on working days within this many days from startDate; default 90. */
  days?: number;
  /** [system A, system B]; default ['motcua', 'xaydung']. Singles are all pushed by system A. */
  systems?: [string, string];
  /** Most applicants live in this 2025 province; default '24' (Bắc Ninh) when the catalogue has it. */
  homeProvince?: string;
}

export interface PairOptions extends GenerateOptions {
  /** Share of near misses; default 0.3. The kind counts are exact (rounded), their order shuffled. */
  nearMissRatio?: number;
}

// ---------------------------------------------------------------------------------------------------
// Randomness

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rng, p: number): boolean => r() < p;

function pick<T>(r: Rng, xs: readonly T[]): T {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}

function weighted<T>(r: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('weighted pick from an empty list');
  return last[0];
}

function shuffle<T>(r: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const xi = xs[i] as T;
    xs[i] = xs[j] as T;
    xs[j] = xi;
  }
  return xs;
}

const digits = (r: Rng, n: number): string => Array.from({ length: n }, () => String(int(r, 0, 9))).join('');
const hex64 = (r: Rng): string =>
  Array.from({ length: 8 }, () => (Math.floor(r() * 4294967296) >>> 0).toString(16).padStart(8, '0')).join(
    '',
  );

// ---------------------------------------------------------------------------------------------------
// Catalogue of 2025 provinces and communes

export interface Unit {
  code: string;
  name: string;
}
export interface Province extends Unit {
  units: Unit[];
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_ADMIN_UNITS = '../shared/data/admin-units-2025.json';

/** A few real 2025 units, used only when the catalogue file is absent. */
const FALLBACK_PROVINCES: Province[] = [
  {
    code: '24',
    name: 'Tỉnh Bắc Ninh',
    units: [
      { code: '09187', name: 'Phường Kinh Bắc' },
      { code: '07210', name: 'Phường Bắc Giang' },
      { code: '07228', name: 'Phường Đa Mai' },
      { code: '07420', name: 'Xã Mỹ Thái' },
    ],
  },
  {
    code: '01',
    name: 'Thành phố Hà Nội',
    units: [
      { code: '00004', name: 'Phường Ba Đình' },
      { code: '00070', name: 'Phường Hoàn Kiếm' },
    ],
  },
  { code: '48', name: 'Thành phố Đà Nẵng', units: [{ code: '20242', name: 'Phường Hải Châu' }] },
  { code: '79', name: 'Thành phố Hồ Chí Minh', units: [{ code: '25747', name: 'Phường Thủ Dầu Một' }] },
];

const catalogueCache = new Map<string, Province[]>();

function isUnit(v: unknown): v is Unit {
  if (typeof v !== 'object' || v === null) return false;
  const u = v as { code?: unknown; name?: unknown };
  return typeof u.code === 'string' && typeof u.name === 'string';
}

/** Reads the catalogue (cached per path); the built-in list when the file does not exist. */
export function loadProvinces(adminUnitsPath?: string): Province[] {
  const path =
    adminUnitsPath === undefined
      ? resolve(PROJECT_ROOT, DEFAULT_ADMIN_UNITS)
      : isAbsolute(adminUnitsPath)
        ? adminUnitsPath
        : resolve(adminUnitsPath);
  const cached = catalogueCache.get(path);
  if (cached) return cached;
  let provinces = FALLBACK_PROVINCES;
  if (existsSync(path)) {
    const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const list =
      typeof raw === 'object' && raw !== null ? (raw as { provinces?: unknown }).provinces : undefined;
    if (!Array.isArray(list)) throw new Error(`${path}: expected { provinces: [...] }`);
    provinces = list.flatMap((p: unknown): Province[] => {
      if (!isUnit(p)) return [];
      const units = (p as { units?: unknown }).units;
      const valid = Array.isArray(units)
        ? units.filter((u: unknown): u is Unit => isUnit(u) && /^\d{5}$/.test(u.code))
        : [];
      return /^\d{2}$/.test(p.code) && valid.length > 0 ? [{ code: p.code, name: p.name, units: valid }] : [];
    });
    if (provinces.length === 0) throw new Error(`${path}: no province with communes`);
  }
  catalogueCache.set(path, provinces);
  return provinces;
}

/** Old (pre-2025) CCCD province prefixes of the places merged into each 2025 province. */
const CCCD_PREFIXES: Record<string, readonly string[]> = {
  '01': ['001'],
  '04': ['004'],
  '08': ['008', '002'],
  '11': ['011'],
  '12': ['012'],
  '14': ['014'],
  '15': ['010', '015'],
  '19': ['019', '006'],
  '20': ['020'],
  '22': ['022'],
  '24': ['027', '024'],
  '25': ['025', '026', '017'],
  '31': ['031', '030'],
  '33': ['033', '034'],
  '37': ['037', '035', '036'],
  '38': ['038'],
  '40': ['040'],
  '42': ['042'],
  '44': ['045', '044'],
  '46': ['046'],
  '48': ['048', '049'],
  '51': ['051', '062'],
  '52': ['064', '052'],
  '56': ['056', '058'],
  '66': ['066', '054'],
  '68': ['068', '067', '060'],
  '75': ['075', '070'],
  '79': ['079', '074', '077'],
  '80': ['072', '080'],
  '82': ['087', '082'],
  '86': ['086', '083', '084'],
  '91': ['089', '091'],
  '92': ['092', '094', '093'],
  '96': ['096', '095'],
};
const ALL_CCCD_PREFIXES = Object.values(CCCD_PREFIXES).flat();

// ---------------------------------------------------------------------------------------------------
// Vocabulary

const FAMILY: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Phan', 4.5],
  ['Vũ', 3.9],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.5],
  ['Trương', 0.5],
  ['Đoàn', 0.4],
];
/** Southern spellings of the same family names. */
const SOUTHERN: Record<string, string> = { Hoàng: 'Huỳnh', Vũ: 'Võ' };
const FAMILY_WITH_D = ['Đặng', 'Đỗ', 'Đinh', 'Đoàn', 'Đào'];
const MIDDLE_MALE = ['Văn', 'Đức', 'Minh', 'Hữu', 'Quốc', 'Thanh', 'Công', 'Xuân', 'Quang', 'Trọng', 'Mạnh'];
const MIDDLE_FEMALE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Thùy', 'Phương', 'Kim', 'Bích', 'Hồng'];
const GIVEN_MALE = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Đạt',
  'Hùng',
  'Huy',
  'Hải',
  'Hiếu',
  'Khánh',
  'Kiên',
  'Long',
  'Lâm',
  'Nam',
  'Nghĩa',
  'Phong',
  'Phúc',
  'Quân',
  'Sơn',
  'Thắng',
  'Thành',
  'Toàn',
  'Tuấn',
  'Trung',
  'Việt',
  'Vinh',
  'Đông',
];
const GIVEN_FEMALE = [
  'Anh',
  'Chi',
  'Dung',
  'Giang',
  'Hà',
  'Hằng',
  'Hạnh',
  'Hoa',
  'Hương',
  'Huyền',
  'Lan',
  'Linh',
  'Loan',
  'Mai',
  'Nga',
  'Ngân',
  'Nhung',
  'Oanh',
  'Phương',
  'Quỳnh',
  'Thảo',
  'Trang',
  'Tuyết',
  'Uyên',
  'Vân',
  'Vy',
  'Yến',
  'Đào',
];

const STREETS = [
  'Lý Thái Tổ',
  'Trần Hưng Đạo',
  'Nguyễn Trãi',
  'Lê Lợi',
  'Hai Bà Trưng',
  'Quang Trung',
  'Nguyễn Văn Cừ',
  'Ngô Gia Tự',
  'Hùng Vương',
  'Lê Duẩn',
  'Điện Biên Phủ',
  'Phạm Văn Đồng',
  'Nguyễn Du',
  'Bà Triệu',
  'Đinh Tiên Hoàng',
  'Lê Thánh Tông',
  'Nguyễn Đăng Đạo',
];
const HAMLETS = ['Đông', 'Đoài', 'Trung', 'Hạ', 'Thượng', 'Nam', 'Bắc', 'Mới', 'Tiền', 'Hậu', 'Đình', 'Chùa'];

const COMPANY_FORMS = ['Công ty TNHH', 'Công ty Cổ phần', 'Công ty TNHH MTV', 'Doanh nghiệp tư nhân'];
const COMPANY_TRADES = [
  'Xây dựng',
  'Thương mại và Dịch vụ',
  'Đầu tư và Phát triển',
  'Vận tải',
  'Kỹ thuật',
  'Sản xuất',
  'Xây dựng và Thương mại',
];
const COMPANY_BRANDS = [
  'Minh Phát',
  'Hoàng Long',
  'Thành Công',
  'An Phú',
  'Đại Việt',
  'Phú Thịnh',
  'Hưng Thịnh',
  'Tân Tiến',
  'Hòa Bình',
  'Kinh Bắc',
  'Sao Mai',
  'Việt Hưng',
  'Đông Á',
  'Trường Sơn',
];
/** First two digits of MSTs issued by a few provincial tax departments. */
const MST_PREFIXES = ['01', '02', '03', '04', '23', '24', '27', '28', '36', '37'];

const MOBILE_PREFIXES = [
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '056',
  '058',
  '070',
  '076',
  '077',
  '078',
  '079',
  '081',
  '082',
  '083',
  '084',
  '085',
  '086',
  '088',
  '089',
  '090',
  '091',
  '093',
  '094',
  '096',
  '097',
  '098',
  '099',
];
const LANDLINE_AREAS = ['024', '028', '0222', '0204', '0236', '0225'];

interface Procedure {
  code: string;
  name: string;
  sector: { code: string; name: string };
  /** Share of business applicants (0 = citizens only, 1 = businesses only). */
  business: number;
  workingDays: number;
  documents: readonly string[];
  fee?: { code: string; name: string; amount: number };
  /** Summary wordings of the same request; `{v}` is one of `values`. */
  summaries: readonly string[];
  values: readonly string[];
}

// Realistic names and contents, not copied from the national procedure catalogue.
const PROCEDURES: readonly Procedure[] = [
  {
    code: '1.004227',
    name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
    sector: { code: 'XD', name: 'Xây dựng' },
    business: 0.15,
    workingDays: 15,
    documents: [
      'Đơn đề nghị cấp giấy phép xây dựng',
      'Bản sao giấy chứng nhận quyền sử dụng đất',
      'Bản vẽ thiết kế xây dựng',
      'Cam kết bảo đảm an toàn đối với công trình liền kề',
    ],
    fee: { code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75_000 },
    summaries: [
      'Xin cấp phép xây dựng nhà ở {v} tầng',
      'Đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ {v} tầng',
      'Cấp GPXD nhà ở {v} tầng trên thửa đất của gia đình',
      'Xây mới nhà ở {v} tầng, xin cấp phép',
    ],
    values: ['2', '3', '4', '5'],
  },
  {
    code: '2.000477',
    name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam',
    sector: { code: 'LLTP', name: 'Lý lịch tư pháp' },
    business: 0,
    workingDays: 10,
    documents: [
      'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp',
      'Bản chụp thẻ căn cước',
      'Giấy tờ chứng minh nơi cư trú',
    ],
    fee: { code: 'PLLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', amount: 200_000 },
    summaries: [
      'Cấp Phiếu lý lịch tư pháp số {v}',
      'Đề nghị cấp Phiếu LLTP số {v} để bổ sung hồ sơ xin việc',
      'Xin cấp phiếu lý lịch tư pháp số {v}',
    ],
    values: ['1', '2'],
  },
  {
    code: '1.001776',
    name: 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp',
    sector: { code: 'DKKD', name: 'Thành lập và hoạt động của doanh nghiệp' },
    business: 1,
    workingDays: 3,
    documents: [
      'Thông báo thay đổi nội dung đăng ký doanh nghiệp',
      'Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên',
      'Biên bản họp Hội đồng thành viên',
      'Văn bản ủy quyền thực hiện thủ tục',
    ],
    fee: { code: 'LPDKDN', name: 'Lệ phí đăng ký doanh nghiệp', amount: 50_000 },
    summaries: [
      'Đăng ký thay đổi {v}',
      'Thông báo thay đổi {v} của doanh nghiệp',
      'Đề nghị thay đổi nội dung đăng ký doanh nghiệp: {v}',
    ],
    values: [
      'địa chỉ trụ sở chính',
      'người đại diện theo pháp luật',
      'vốn điều lệ',
      'ngành, nghề kinh doanh',
    ],
  },
  {
    code: '2.002156',
    name: 'Đăng ký khai sinh',
    sector: { code: 'HT', name: 'Hộ tịch' },
    business: 0,
    workingDays: 1,
    documents: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh', 'Giấy chứng nhận kết hôn của cha mẹ'],
    summaries: [
      'Đăng ký khai sinh cho con thứ {v}',
      'Làm giấy khai sinh cho con thứ {v}',
      'ĐKKS cho con thứ {v} của gia đình',
    ],
    values: ['nhất', 'hai', 'ba'],
  },
  {
    code: '1.010800',
    name: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
    sector: { code: 'DD', name: 'Đất đai' },
    business: 0.15,
    workingDays: 10,
    documents: [
      'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất',
      'Bản gốc giấy chứng nhận đã cấp',
      'Hợp đồng chuyển nhượng quyền sử dụng đất',
      'Tờ khai lệ phí trước bạ',
    ],
    fee: { code: 'LPCGCN', name: 'Lệ phí cấp giấy chứng nhận', amount: 28_000 },
    summaries: [
      'Đăng ký biến động do chuyển nhượng quyền sử dụng đất, thửa số {v}',
      'Sang tên giấy chứng nhận thửa đất số {v}',
      'Chuyển nhượng QSDĐ thửa {v}',
    ],
    values: ['37', '112', '204', '265', '318', '451'],
  },
  {
    code: '2.001711',
    name: 'Cấp giấy phép kinh doanh vận tải bằng xe ô tô',
    sector: { code: 'DB', name: 'Đường bộ' },
    business: 1,
    workingDays: 5,
    documents: [
      'Giấy đề nghị cấp giấy phép kinh doanh vận tải bằng xe ô tô',
      'Phương án kinh doanh vận tải',
      'Bản sao văn bằng của người điều hành vận tải',
    ],
    fee: { code: 'LPGPVT', name: 'Lệ phí cấp giấy phép kinh doanh vận tải', amount: 200_000 },
    summaries: [
      'Cấp giấy phép kinh doanh vận tải {v}',
      'Đề nghị cấp GPKD vận tải {v}',
      'Xin giấy phép kinh doanh vận tải {v}',
    ],
    values: ['hành khách theo hợp đồng', 'hàng hóa bằng xe ô tô', 'hành khách bằng xe taxi'],
  },
];

const AGENCY_UNITS = [
  'Trung tâm Phục vụ hành chính công',
  'Sở Xây dựng',
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Nông nghiệp và Môi trường',
];

// ---------------------------------------------------------------------------------------------------
// Time (Asia/Ho_Chi_Minh is UTC+7 all year)

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
/** Fixed solar public holidays (month-day); the lunar Tết block is left out. */
const HOLIDAYS = new Set(['01-01', '04-30', '05-01', '09-01', '09-02']);

const localDay = (ms: number): number => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
const atLocal = (day: number, minute: number, second = 0): number =>
  day * DAY_MS + minute * 60_000 + second * 1000 - VN_OFFSET_MS;
const vnIso = (ms: number): string => `${new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;

function isWorkingDay(day: number): boolean {
  const d = new Date(day * DAY_MS);
  const weekday = d.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(d.toISOString().slice(5, 10));
}

function nextWorkingDay(day: number): number {
  let d = day;
  while (!isWorkingDay(d)) d++;
  return d;
}

function addWorkingDays(day: number, n: number): number {
  let d = day;
  for (let left = n; left > 0; ) {
    d++;
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** A minute of office hours: 07:30–11:30 or 13:30–16:59. */
function officeMinute(r: Rng): number {
  return chance(r, 0.55) ? int(r, 7 * 60 + 30, 11 * 60 + 30) : int(r, 13 * 60 + 30, 16 * 60 + 59);
}

function parseStartDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`startDate must be YYYY-MM-DD, got "${date}"`);
  return ms / DAY_MS;
}

// ---------------------------------------------------------------------------------------------------
// Generation context

interface Ctx {
  r: Rng;
  provinces: Province[];
  home: Province;
  agencies: { code: string; name: string }[];
  systems: [string, string];
  startDay: number;
  days: number;
  /** 0 for pairs, 1 for singles: selects a disjoint range of id serials. */
  partition: 0 | 1;
  usedIds: Set<string>;
  recordTag: string;
  recordSeq: number;
}

function recordPrefix(system: string): string {
  const known: Record<string, string> = { motcua: 'MC', xaydung: 'XD', tuphap: 'TP' };
  return (
    known[system] ??
    (system
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 4)
      .toUpperCase() ||
      'SYS')
  );
}

function nextRecordId(ctx: Ctx, system: string): string {
  ctx.recordSeq += 1;
  return `${recordPrefix(system)}-${ctx.recordTag}-${String(ctx.recordSeq).padStart(6, '0')}`;
}

function createCtx(options: GenerateOptions, salt: number, partition: 0 | 1): Ctx {
  if (!Number.isInteger(options.count) || options.count < 0) throw new Error('count must be an integer ≥ 0');
  if (options.agencies.length === 0) throw new Error('agencies must not be empty');
  for (const code of options.agencies) {
    const checked = checkAgencyId(code);
    if (!checked.ok) throw new Error(checked.message);
  }
  const provinces = loadProvinces(options.adminUnitsPath);
  const homeCode = options.homeProvince ?? '24';
  const home = provinces.find((p) => p.code === homeCode) ?? provinces[0];
  if (!home) throw new Error('no provinces');
  const homeName = home.name.replace(/^Tỉnh /, 'tỉnh ').replace(/^Thành phố /, 'thành phố ');
  const days = options.days ?? 90;
  if (!Number.isInteger(days) || days < 1) throw new Error('days must be an integer ≥ 1');
  const seed = options.seed >>> 0;
  return {
    r: mulberry32(seed ^ salt),
    provinces,
    home,
    agencies: options.agencies.map((code, i) => ({
      code,
      name: `${AGENCY_UNITS[i % AGENCY_UNITS.length]} ${homeName}`,
    })),
    systems: options.systems ?? ['motcua', 'xaydung'],
    startDay: parseStartDay(options.startDate ?? '2026-06-01'),
    days,
    partition,
    usedIds: new Set(),
    recordTag: `${seed.toString(36).toUpperCase()}${partition === 0 ? 'P' : 'S'}`,
    recordSeq: 0,
  };
}

// ---------------------------------------------------------------------------------------------------
// People and businesses

interface Applicant {
  type: 'citizen' | 'business';
  family: string;
  middles: string[];
  given: string;
  male: boolean;
  birthYear: number;
  fullName: string;
  /** Normal form. */
  idNumber: string;
  idKind: 'cccd' | 'mst';
  /** Phone as a national number `0…`, and how this clerk writes it. */
  phone: string;
  phoneStyle: PhoneStyle;
  email?: string;
  address: { line: string; communeCode: string; provinceCode: string };
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

function cccd(ctx: Ctx, provinceCode: string, birthYear: number, male: boolean): string {
  const { r } = ctx;
  for (;;) {
    const local = CCCD_PREFIXES[provinceCode];
    const prefix = local && chance(r, 0.8) ? pick(r, local) : pick(r, ALL_CCCD_PREFIXES);
    const century = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1);
    const serial = `${int(r, 0, 4) + 5 * ctx.partition}${digits(r, 5)}`;
    const id = `${prefix}${century}${String(birthYear % 100).padStart(2, '0')}${serial}`;
    if (checkCccd(id).ok && !ctx.usedIds.has(id)) {
      ctx.usedIds.add(id);
      return id;
    }
  }
}

function mst(ctx: Ctx, branch: boolean): string {
  const { r } = ctx;
  for (;;) {
    const first9 = `${pick(r, MST_PREFIXES)}${int(r, 0, 4) + 5 * ctx.partition}${digits(r, 6)}`;
    const check = mstCheckDigit(first9);
    if (check === null) continue;
    const raw = `${first9}${check}${branch ? `-${String(int(r, 1, 40)).padStart(3, '0')}` : ''}`;
    const checked = checkMst(raw);
    if (checked.ok && !ctx.usedIds.has(checked.value)) {
      ctx.usedIds.add(checked.value);
      return checked.value;
    }
  }
}

/** An old 9-digit CMND (never repeated within a call; third digit 0–4 for pairs, 5–9 for singles). */
function cmnd(ctx: Ctx): string {
  const { r } = ctx;
  for (;;) {
    const id = `${String(int(r, 1, 38)).padStart(2, '0')}${int(r, 0, 4) + 5 * ctx.partition}${digits(r, 6)}`;
    if (checkCmnd(id).ok && !ctx.usedIds.has(id)) {
      ctx.usedIds.add(id);
      return id;
    }
  }
}

/**
 * A CCCD as a clerk mistypes it: two adjacent (different) digits swapped, or one digit changed. Only
 * typos that still pass the CCCD rules (known province, plausible birth year) are kept: any other is
 * refused at intake and never reaches the matcher.
 */
function cccdTypo(ctx: Ctx, id: string, how: 'swap' | 'digit'): string | undefined {
  const { r } = ctx;
  for (let attempt = 0; attempt < 50; attempt++) {
    const d = [...id];
    if (how === 'swap') {
      const i = int(r, 0, d.length - 2);
      if (d[i] === d[i + 1]) continue;
      [d[i], d[i + 1]] = [d[i + 1] as string, d[i] as string];
    } else {
      const i = int(r, 0, d.length - 1);
      const digit = String(int(r, 0, 9));
      if (digit === d[i]) continue;
      d[i] = digit;
    }
    const typo = d.join('');
    if (checkCccd(typo).ok && !ctx.usedIds.has(typo)) {
      ctx.usedIds.add(typo);
      return typo;
    }
  }
  return undefined;
}

function phoneNumber(r: Rng): string {
  for (;;) {
    const n = chance(r, 0.92)
      ? `${pick(r, MOBILE_PREFIXES)}${digits(r, 7)}`
      : (() => {
          const area = pick(r, LANDLINE_AREAS);
          return `${area}${int(r, 3, 8)}${digits(r, 11 - area.length - 1)}`;
        })();
    if (checkPhone(n).ok) return n;
  }
}

const PHONE_STYLES = ['compact', 'spaced', 'dotted', 'e164', 'e164_spaced', 'dashed'] as const;
type PhoneStyle = (typeof PHONE_STYLES)[number];

/** Writes a national number `0…` in one of the notations clerks use. */
export function formatPhone(national: string, style: PhoneStyle): string {
  const rest = national.slice(1);
  // mobiles 0912 345 678; landlines by area code: 024 3825 1234, 0222 381 2345
  const c1 = national.length === 11 && /^02[48]/.test(national) ? 3 : 4;
  const c2 = 7;
  const groups = [national.slice(0, c1), national.slice(c1, c2), national.slice(c2)];
  const restGroups = [rest.slice(0, c1 - 1), rest.slice(c1 - 1, c2 - 1), rest.slice(c2 - 1)];
  switch (style) {
    case 'compact':
      return national;
    case 'spaced':
      return groups.join(' ');
    case 'dotted':
      return groups.join('.');
    case 'dashed':
      return groups.join('-');
    case 'e164':
      return `+84${rest}`;
    case 'e164_spaced':
      return `+84 ${restGroups.join(' ')}`;
  }
}

function addressFor(ctx: Ctx, province?: Province): Applicant['address'] {
  const { r } = ctx;
  const p = province ?? (chance(r, 0.7) ? ctx.home : pick(r, ctx.provinces));
  const unit = pick(r, p.units);
  const rural = unit.name.startsWith('Xã');
  const south = Number(p.code) >= 75;
  const line = rural
    ? weighted<() => string>(r, [
        [() => `Thôn ${pick(r, HAMLETS)}`, 3],
        [() => `Xóm ${int(r, 1, 12)}, thôn ${pick(r, HAMLETS)}`, 2],
        [() => `Số ${int(r, 1, 150)}, thôn ${pick(r, HAMLETS)}`, 2],
        [() => `${south ? 'Ấp' : 'Thôn'} ${pick(r, HAMLETS)} ${int(r, 1, 5)}`, 1],
      ])()
    : weighted<() => string>(r, [
        [() => `Số ${int(r, 1, 300)} đường ${pick(r, STREETS)}`, 4],
        [() => `Số ${int(r, 1, 80)} ngõ ${int(r, 2, 200)} phố ${pick(r, STREETS)}`, 2],
        [() => `Số ${int(r, 1, 300)}, phố ${pick(r, STREETS)}`, 2],
        [() => `Tổ ${int(r, 1, 30)}, khu phố ${int(r, 1, 12)}`, 1],
      ])();
  return { line, communeCode: unit.code, provinceCode: p.code };
}

function personName(
  r: Rng,
  male: boolean,
  south: boolean,
  opts: { family?: string; forceD?: boolean; notGiven?: string },
) {
  let family = opts.family ?? (opts.forceD ? pick(r, FAMILY_WITH_D) : weighted(r, FAMILY));
  if (opts.family === undefined && south) family = SOUTHERN[family] ?? family;
  const middlePool = male ? MIDDLE_MALE : MIDDLE_FEMALE;
  const middles = [pick(r, middlePool)];
  if (chance(r, 0.15)) {
    const second = pick(r, middlePool);
    if (second !== middles[0]) middles.push(second);
  }
  let given = pick(r, male ? GIVEN_MALE : GIVEN_FEMALE);
  while (given === opts.notGiven) given = pick(r, male ? GIVEN_MALE : GIVEN_FEMALE);
  return { family, middles, given, fullName: [family, ...middles, given].join(' ') };
}

function emailFor(r: Rng, given: string, family: string): string {
  const ascii = (s: string) =>
    fold(s)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  const suffix = chance(r, 0.5) ? String(int(r, 1, 99)) : '';
  return `${ascii(given)}.${ascii(family)}${suffix}@example.vn`;
}

function citizen(
  ctx: Ctx,
  opts: { forceD?: boolean; family?: string; notGiven?: string; male?: boolean; birthYear?: number } = {},
): Applicant {
  const { r } = ctx;
  const male = opts.male ?? chance(r, 0.5);
  const address = addressFor(ctx);
  const name = personName(r, male, Number(address.provinceCode) >= 75, opts);
  const birthYear = opts.birthYear ?? int(r, 1950, 2006);
  return {
    type: 'citizen',
    ...name,
    male,
    birthYear,
    idNumber: cccd(ctx, address.provinceCode, birthYear, male),
    idKind: 'cccd',
    phone: phoneNumber(r),
    phoneStyle: pick(r, PHONE_STYLES),
    ...(chance(r, 0.35) ? { email: emailFor(r, name.given, name.family) } : {}),
    address,
  };
}

function business(ctx: Ctx, opts: { branch?: boolean } = {}): Applicant {
  const { r } = ctx;
  const branch = opts.branch ?? chance(r, 0.2);
  const address = addressFor(ctx);
  const brand = pick(r, COMPANY_BRANDS);
  const company = `${pick(r, COMPANY_FORMS)} ${pick(r, COMPANY_TRADES)} ${brand}`;
  const province = ctx.provinces.find((p) => p.code === address.provinceCode);
  const place = province ? province.name.replace(/^(Tỉnh|Thành phố) /, '') : 'tỉnh';
  return {
    type: 'business',
    family: '',
    middles: [],
    given: brand,
    male: true,
    birthYear: 0,
    fullName: branch ? `Chi nhánh ${company} tại ${place}` : company,
    idNumber: mst(ctx, branch),
    idKind: 'mst',
    phone: phoneNumber(r),
    phoneStyle: pick(r, PHONE_STYLES),
    ...(chance(r, 0.5)
      ? { email: `lienhe.${fold(brand).toLowerCase().replace(/\s+/g, '')}@example.vn` }
      : {}),
    address,
  };
}

function applicantBody(a: Applicant, withKind: boolean): ApplicantBody {
  return {
    type: a.type,
    fullName: a.fullName,
    idNumber: a.idNumber,
    ...(withKind ? { idKind: a.idKind } : {}),
    phone: formatPhone(a.phone, a.phoneStyle),
    ...(a.email ? { email: a.email } : {}),
    address: { ...a.address },
  };
}

// ---------------------------------------------------------------------------------------------------
// Dossiers

interface Needs {
  citizen?: boolean;
  forceD?: boolean;
  branch?: boolean;
  minDocuments?: number;
}

interface Draft {
  body: DossierPushBody;
  applicant: Applicant;
  procedure: Procedure;
  summaryIndex: number;
  value: string;
}

function receiptInRange(ctx: Ctx): number {
  const day = nextWorkingDay(ctx.startDay + int(ctx.r, 0, ctx.days - 1));
  return atLocal(day, officeMinute(ctx.r), int(ctx.r, 0, 59));
}

function dueAfter(receivedMs: number, workingDays: number): number {
  return atLocal(addWorkingDays(localDay(receivedMs), workingDays), 17 * 60);
}

function pickProcedure(ctx: Ctx, needs: Needs, not?: string): Procedure {
  const pool = PROCEDURES.filter(
    (p) =>
      p.code !== not &&
      (needs.citizen ? p.business < 1 : true) &&
      (needs.branch ? p.business > 0 : true) &&
      (needs.minDocuments === undefined || p.documents.length >= needs.minDocuments),
  );
  return pick(ctx.r, pool);
}

function documentsFor(ctx: Ctx, procedure: Procedure, min: number): DocumentBody[] {
  const { r } = ctx;
  const docs = procedure.documents.flatMap((name, i): DocumentBody[] =>
    i < min || i === 0 || chance(r, 0.6)
      ? [{ name, componentCode: `TP${i + 1}`, sha256: hex64(r), digitized: chance(r, 0.7) }]
      : [],
  );
  return docs;
}

function draft(
  ctx: Ctx,
  system: string,
  opts: { needs?: Needs; applicant?: Applicant; procedure?: Procedure; receivedMs?: number } = {},
): Draft {
  const { r } = ctx;
  const needs = opts.needs ?? {};
  const procedure = opts.procedure ?? pickProcedure(ctx, needs);
  const applicant =
    opts.applicant ??
    (needs.branch
      ? business(ctx, { branch: true })
      : !needs.citizen && chance(r, procedure.business)
        ? business(ctx)
        : citizen(ctx, { forceD: needs.forceD ?? false }));
  const receivedMs = opts.receivedMs ?? receiptInRange(ctx);
  const summaryIndex = int(r, 0, procedure.summaries.length - 1);
  const value = pick(r, procedure.values);
  const channel = weighted(r, [
    ['counter', 60],
    ['online', 35],
    ['postal', 5],
  ] as const);
  const body: DossierPushBody = {
    source: { system, recordId: nextRecordId(ctx, system) },
    procedure: { code: procedure.code, name: procedure.name },
    sector: { ...procedure.sector },
    agency: { ...pick(r, ctx.agencies) },
    applicant: applicantBody(applicant, chance(r, 0.3)),
    summary: (procedure.summaries[summaryIndex] ?? '').replace('{v}', value),
    channel,
    receivedAt: vnIso(receivedMs),
    dueAt: vnIso(dueAfter(receivedMs, procedure.workingDays)),
    status: 'received',
    resultReturn: { method: channel === 'postal' || chance(r, 0.15) ? 'postal' : 'counter' },
    documents: documentsFor(ctx, procedure, needs.minDocuments ?? 1),
    fees: procedure.fee ? [{ ...procedure.fee }] : [],
  };
  return { body, applicant, procedure, summaryIndex, value };
}

function copyFor(ctx: Ctx, d: Draft, system: string): DossierPushBody {
  const b = structuredClone(d.body);
  b.source = { system, recordId: nextRecordId(ctx, system) };
  return b;
}

// ---------------------------------------------------------------------------------------------------
// Dual-entry changes: each rewrites b in place and returns false when it could not change anything.

/** The variants made of several changes; every other variant is one change (an atom). */
type Composite = 'multiple' | 'misspelt_name' | 'next_day_missing_id';
type Atom = Exclude<DualEntryVariant, Composite>;

/** Letters next to each other on a keyboard: the letter a slip of the finger types instead. */
const KEY_NEIGHBOURS: Record<string, string> = {
  a: 'qsz',
  b: 'vgn',
  c: 'xdv',
  d: 'sfe',
  e: 'wrd',
  f: 'dgr',
  g: 'fht',
  h: 'gjy',
  i: 'uko',
  j: 'hku',
  k: 'jli',
  l: 'ko',
  m: 'nj',
  n: 'bmh',
  o: 'ipl',
  p: 'o',
  q: 'wa',
  r: 'etf',
  s: 'adw',
  t: 'ryg',
  u: 'yij',
  v: 'cbf',
  w: 'qes',
  x: 'zcs',
  y: 'tuh',
  z: 'xa',
};

/**
 * One letter of a name wrong, as a clerk mistypes it: a neighbouring key instead (most often), or, inside
 * a word of three letters or more, a letter left out or two neighbouring letters swapped (a word's
 * capital initial is typed with care, so those two leave it alone). The letters' base forms differ
 * afterwards, so dropping diacritics on top of it does not undo the mistake.
 */
function letterWrong(name: string, r: Rng): string {
  const chars = [...name.normalize('NFC')];
  const base = (c: string) => fold(c).toLowerCase();
  const letters = chars.flatMap((c, i) => (KEY_NEIGHBOURS[base(c)] ? [i] : []));
  for (let attempt = 0; attempt < 50; attempt++) {
    const i = pick(r, letters);
    const c = chars[i] as string;
    const start = chars.lastIndexOf(' ', i) + 1;
    const space = chars.indexOf(' ', i);
    const inside = i > start && (space < 0 ? chars.length : space) - start >= 3;
    const out = [...chars];
    const how = weighted(r, [
      ['key', 6],
      ['drop', 2],
      ['swap', 2],
    ] as const);
    if (how === 'key') {
      const wrong = pick(r, [...(KEY_NEIGHBOURS[base(c)] ?? '')]);
      out[i] = c === c.toUpperCase() ? wrong.toUpperCase() : wrong;
    } else if (how === 'drop') {
      if (!inside) continue;
      out.splice(i, 1);
    } else {
      const next = chars[i + 1];
      if (!inside || next === undefined || !KEY_NEIGHBOURS[base(next)] || base(next) === base(c)) continue;
      out[i] = next;
      out[i + 1] = c;
    }
    const typo = out.join('');
    if (base(typo) !== base(name)) return typo;
  }
  return name;
}

const NAME_ATOMS: Record<string, (name: string, r: Rng) => string> = {
  name_no_diacritics: (n) => fold(n),
  name_upper: (n) => n.toUpperCase(),
  name_spacing: (n, r) => {
    const tokens = n.split(/\s+/);
    const at = int(r, 1, Math.max(1, tokens.length - 1));
    const joined = tokens.map((t, i) => (i === 0 ? t : `${i === at ? ' '.repeat(int(r, 2, 3)) : ' '}${t}`));
    return `${chance(r, 0.3) ? ' ' : ''}${joined.join('')}${chance(r, 0.3) ? '  ' : ''}`;
  },
  name_order: (n) => {
    const tokens = n.split(/\s+/);
    const given = tokens.pop();
    return given === undefined ? n : [given, ...tokens].join(' ');
  },
  name_nfd: (n) => n.normalize('NFD'),
  name_d_stroke: (n) => n.replace(/đ/g, 'd').replace(/Đ/g, 'D'),
  name_letter_wrong: letterWrong,
};

const ADDRESS_TYPOS: ((line: string, r: Rng) => string)[] = [
  (l) => l.replace(/^Số /, 'So '),
  (l) => l.replace(' đường ', ' Đ. '),
  (l) => l.replace(' phố ', ' P. '),
  (l) => l.replace(/^Thôn /, 'Thon ').replace(/^Xóm /, 'Xom '),
  (l, r) => {
    // one letter dropped
    const letters = [...l].flatMap((c, i) => (/\p{L}/u.test(c) ? [i] : []));
    const i = letters.length > 0 ? pick(r, letters) : -1;
    return i < 0 ? l : l.slice(0, i) + l.slice(i + 1);
  },
  (l, r) => {
    // two neighbouring letters swapped
    const spots = [...l].flatMap((c, i) => {
      const next = l[i + 1];
      return next !== undefined && /\p{L}/u.test(c) && /\p{L}/u.test(next) && c !== next ? [i] : [];
    });
    if (spots.length === 0) return l;
    const i = pick(r, spots);
    return l.slice(0, i) + (l[i + 1] ?? '') + (l[i] ?? '') + l.slice(i + 2);
  },
];

function needsOf(atoms: readonly Atom[]): Needs {
  const needs: Needs = {};
  for (const atom of atoms) {
    if (atom.startsWith('name_')) needs.citizen = true;
    if (atom === 'name_d_stroke') needs.forceD = true;
    if (atom === 'cmnd_cccd' || atom.startsWith('id_typo')) needs.citizen = true;
    if (atom === 'id_format') needs.branch = true;
    if (atom === 'documents_subset') needs.minDocuments = 2;
  }
  return needs;
}

function applyAtom(ctx: Ctx, atom: Atom, d: Draft, b: DossierPushBody): boolean {
  const { r } = ctx;
  const a = d.body;
  const nameChange = NAME_ATOMS[atom];
  if (nameChange) {
    const before = b.applicant.fullName;
    b.applicant.fullName = nameChange(before, r);
    return b.applicant.fullName !== before;
  }
  switch (atom) {
    case 'phone_format': {
      const style = pick(
        r,
        PHONE_STYLES.filter((s) => s !== d.applicant.phoneStyle),
      );
      b.applicant.phone = formatPhone(d.applicant.phone, style);
      return b.applicant.phone !== a.applicant.phone;
    }
    case 'address_typo': {
      const addr = b.applicant.address;
      const line = addr?.line;
      if (!addr || !line) return false;
      const options = ADDRESS_TYPOS.map((f) => f(line, r)).filter((l) => l !== line && l.trim().length > 0);
      if (options.length === 0) return false;
      addr.line = pick(r, options);
      return true;
    }
    case 'address_missing': {
      const addr = b.applicant.address;
      if (!addr?.line || !addr.communeCode) return false;
      delete addr.line;
      return true;
    }
    case 'receipt_minutes_later':
    case 'receipt_days_later': {
      const aMs = Date.parse(a.receivedAt);
      const shift =
        atom === 'receipt_minutes_later'
          ? int(r, 5, 8 * 60) * 60_000 + int(r, 0, 59) * 1000
          : int(r, 1, 2) * DAY_MS + int(r, -120, 120) * 60_000;
      const bMs = aMs + shift;
      b.receivedAt = vnIso(bMs);
      if (b.dueAt !== undefined && Date.parse(b.dueAt) < bMs) {
        b.dueAt = vnIso(dueAfter(bMs, d.procedure.workingDays));
      }
      return true;
    }
    case 'documents_none': {
      if (!a.documents || a.documents.length === 0) return false;
      if (chance(r, 0.5)) delete b.documents;
      else b.documents = [];
      return true;
    }
    case 'documents_subset': {
      const docs = a.documents ?? [];
      if (docs.length < 2) return false;
      const keep = shuffle(
        r,
        docs.map((_, i) => i),
      )
        .slice(0, int(r, 1, docs.length - 1))
        .sort((x, y) => x - y);
      b.documents = keep.flatMap((i) => {
        const doc = docs[i];
        return doc ? [structuredClone(doc)] : [];
      });
      return true;
    }
    case 'summary_reworded': {
      const others = d.procedure.summaries.filter((_, i) => i !== d.summaryIndex);
      if (others.length === 0) return false;
      b.summary = pick(r, others).replace('{v}', d.value);
      return b.summary !== a.summary;
    }
    case 'id_format': {
      const id = d.applicant.idNumber;
      const m = /^(\d{10})-(\d{3})$/.exec(id);
      if (!m) return false;
      b.applicant.idNumber = chance(r, 0.7) ? `${m[1]}${m[2]}` : `${m[1]} - ${m[2]}`;
      a.applicant.idKind = 'mst';
      delete b.applicant.idKind;
      return true;
    }
    case 'missing_id': {
      delete b.applicant.idNumber;
      delete b.applicant.idKind;
      return true;
    }
    case 'next_day': {
      // the second system keys it the next day, during office hours
      const bMs = atLocal(localDay(Date.parse(a.receivedAt)) + 1, officeMinute(r), int(r, 0, 59));
      b.receivedAt = vnIso(bMs);
      if (b.dueAt !== undefined && Date.parse(b.dueAt) < bMs) {
        b.dueAt = vnIso(dueAfter(bMs, d.procedure.workingDays));
      }
      return true;
    }
    case 'cmnd_cccd': {
      // one system still holds the old CMND, the other the new CCCD (either way round)
      if (d.applicant.idKind !== 'cccd') return false;
      const side = chance(r, 0.5) ? a : b;
      side.applicant.idNumber = cmnd(ctx);
      if (side.applicant.idKind !== undefined) side.applicant.idKind = 'cmnd';
      return true;
    }
    case 'id_typo_swap':
    case 'id_typo_digit': {
      if (d.applicant.idKind !== 'cccd') return false;
      const typo = cccdTypo(ctx, d.applicant.idNumber, atom === 'id_typo_swap' ? 'swap' : 'digit');
      if (typo === undefined) return false;
      b.applicant.idNumber = typo;
      return true;
    }
    default:
      return false;
  }
}

const ATOM_GROUPS: readonly (readonly Atom[])[] = [
  ['name_no_diacritics', 'name_upper', 'name_spacing', 'name_order', 'name_nfd', 'name_d_stroke'],
  ['phone_format'],
  ['address_typo', 'address_missing'],
  ['receipt_minutes_later', 'receipt_days_later'],
  ['documents_none', 'documents_subset'],
  ['summary_reworded'],
];

function multipleAtoms(r: Rng): Atom[] {
  const groups = shuffle(r, [...ATOM_GROUPS]).slice(0, int(r, 2, 4));
  const atoms: Atom[] = [];
  for (const group of groups) {
    const first = pick(r, group);
    atoms.push(first);
    // names are often mangled in two ways at once (e.g. no diacritics and the given name first)
    // (the second one always changes the name, whatever the first did)
    if (first.startsWith('name_') && chance(r, 0.3)) {
      const second = pick(r, ['name_upper', 'name_spacing', 'name_order'] as const);
      if (second !== first) atoms.push(second);
    }
  }
  return atoms;
}

/** Misspelt: a letter wrong, with the diacritics dropped or the given name first (or both) half the time. */
function misspeltAtoms(r: Rng): Atom[] {
  const atoms: Atom[] = ['name_letter_wrong'];
  if (chance(r, 0.5))
    atoms.push(
      ...pick(r, [['name_no_diacritics'], ['name_order'], ['name_no_diacritics', 'name_order']] as const),
    );
  return atoms;
}

function atomsOf(r: Rng, variant: DualEntryVariant): Atom[] {
  switch (variant) {
    case 'multiple':
      return multipleAtoms(r);
    case 'misspelt_name':
      return misspeltAtoms(r);
    case 'next_day_missing_id':
      return ['next_day', 'missing_id'];
    default:
      return [variant];
  }
}

function dualEntry(
  ctx: Ctx,
  variant: DualEntryVariant,
): { a: DossierPushBody; b: DossierPushBody; changes: Atom[] } {
  const atoms = atomsOf(ctx.r, variant);
  const needs = needsOf(atoms);
  for (let attempt = 0; attempt < 100; attempt++) {
    const d = draft(ctx, ctx.systems[0], { needs });
    const b = copyFor(ctx, d, ctx.systems[1]);
    if (atoms.every((atom) => applyAtom(ctx, atom, d, b))) return { a: d.body, b, changes: atoms };
  }
  throw new Error(`could not build a ${variant} pair`);
}

// ---------------------------------------------------------------------------------------------------
// Near misses

function sameDayAs(ctx: Ctx, ms: number): number {
  return atLocal(localDay(ms), officeMinute(ctx.r), int(ctx.r, 0, 59));
}

/** The same day, or the next one: within the dedup window, so the two records meet. */
function soonAfter(ctx: Ctx, ms: number): number {
  return atLocal(localDay(ms) + (chance(ctx.r, 0.6) ? 0 : 1), officeMinute(ctx.r), int(ctx.r, 0, 59));
}

/**
 * Another person's dossier for the same procedure at the same agency, received soon after `d`: the
 * near misses that the identifier or the household makes look like `d`.
 */
function otherPersonsDossier(ctx: Ctx, d: Draft, person: Applicant): DossierPushBody {
  const e = draft(ctx, ctx.systems[1], {
    applicant: person,
    procedure: d.procedure,
    receivedMs: soonAfter(ctx, Date.parse(d.body.receivedAt)),
  });
  e.body.agency = { ...d.body.agency };
  return e.body;
}

/** Two people behind one id number: another person, or the applicant's spouse, keyed with d's id. */
function sameIdOtherPerson(
  ctx: Ctx,
  variant: 'id_collision' | 'spouse',
): { a: DossierPushBody; b: DossierPushBody; changes: string[] } {
  const { r } = ctx;
  const d = draft(ctx, ctx.systems[0], { needs: { citizen: true } });
  const p = d.applicant;
  if (variant === 'id_collision') {
    // the clerk typed the previous applicant's id on another person's record
    const other: Applicant = { ...citizen(ctx), idNumber: p.idNumber, idKind: 'cccd' };
    return { a: d.body, b: otherPersonsDossier(ctx, d, other), changes: ['same_id', 'other_person'] };
  }
  const birthYear = Math.min(2006, Math.max(1950, p.birthYear + int(r, -6, 6)));
  const spouse = citizen(ctx, { male: !p.male, birthYear });
  const keyed: Applicant = {
    ...spouse,
    idNumber: p.idNumber,
    idKind: 'cccd',
    address: { ...p.address },
    phone: p.phone,
    phoneStyle: p.phoneStyle,
  };
  delete keyed.email;
  const b = otherPersonsDossier(ctx, d, keyed);
  const changes = ['same_id', 'spouse_name', 'shared_address', 'shared_phone'];
  if (chance(r, 0.5)) {
    delete b.documents;
    changes.push('documents_none');
  }
  return { a: d.body, b, changes };
}

/** Siblings: the same family name and address (often the phone too), each with their own id. */
function siblings(ctx: Ctx): { a: DossierPushBody; b: DossierPushBody; changes: string[] } {
  const { r } = ctx;
  const d = draft(ctx, ctx.systems[0], { needs: { citizen: true } });
  const p = d.applicant;
  const male = chance(r, 0.5);
  const birthYear = Math.min(2006, Math.max(1950, p.birthYear + pick(r, [-1, 1]) * int(r, 1, 9)));
  const sibling = citizen(ctx, { family: p.family, male, birthYear, notGiven: p.given });
  const sameMiddle = male === p.male && chance(r, 0.5);
  const middles = sameMiddle ? [...p.middles] : sibling.middles;
  const changes = ['other_id', 'same_family_name', 'shared_address'];
  const shared: Applicant = {
    ...sibling,
    middles,
    fullName: [sibling.family, ...middles, sibling.given].join(' '),
    address: { ...p.address },
  };
  if (chance(r, 0.5)) {
    shared.phone = p.phone;
    shared.phoneStyle = p.phoneStyle;
    changes.push('shared_phone');
  }
  delete shared.email;
  return { a: d.body, b: otherPersonsDossier(ctx, d, shared), changes };
}

function nearMiss(
  ctx: Ctx,
  variant: NearMissVariant,
): { a: DossierPushBody; b: DossierPushBody; changes: string[] } {
  const { r } = ctx;
  const [sysA, sysB] = ctx.systems;
  switch (variant) {
    case 'namesake': {
      const d = draft(ctx, sysA, { needs: { citizen: true } });
      const other = citizen(ctx, { male: d.applicant.male });
      const twin: Applicant = { ...other, family: d.applicant.family, fullName: d.applicant.fullName };
      delete twin.email;
      const sameProcedure = chance(r, 0.5);
      const procedure = sameProcedure ? d.procedure : pickProcedure(ctx, { citizen: true }, d.procedure.code);
      const aMs = Date.parse(d.body.receivedAt);
      const sameDay = chance(r, 0.5);
      const e = draft(ctx, sysB, {
        applicant: twin,
        procedure,
        ...(sameDay ? { receivedMs: sameDayAs(ctx, aMs) } : {}),
      });
      const changes = ['other_id', sameProcedure ? 'same_procedure' : 'other_procedure'];
      if (sameDay) changes.push('same_day');
      return { a: d.body, b: e.body, changes };
    }
    case 'same_person_other_procedure': {
      const d = draft(ctx, sysA);
      const needs: Needs = d.applicant.type === 'business' ? {} : { citizen: true };
      const procedure = PROCEDURES.filter(
        (p) =>
          p.code !== d.procedure.code && (d.applicant.type === 'business' ? p.business > 0 : p.business < 1),
      );
      const e = draft(ctx, sysB, {
        needs,
        applicant: d.applicant,
        procedure: pick(r, procedure),
        receivedMs: sameDayAs(ctx, Date.parse(d.body.receivedAt)),
      });
      return { a: d.body, b: e.body, changes: ['other_procedure', 'same_day'] };
    }
    case 'same_person_later': {
      const d = draft(ctx, sysA);
      const later = nextWorkingDay(localDay(Date.parse(d.body.receivedAt)) + int(r, 31, 75));
      const e = draft(ctx, sysB, {
        applicant: d.applicant,
        procedure: d.procedure,
        receivedMs: atLocal(later, officeMinute(r), int(r, 0, 59)),
      });
      return { a: d.body, b: e.body, changes: ['received_30_days_later'] };
    }
    case 'relatives': {
      const d = draft(ctx, sysA, { needs: { citizen: true } });
      const p = d.applicant;
      const male = chance(r, 0.5);
      let birthYear = p.birthYear + pick(r, [-28, -25, -3, -2, 2, 3, 4, 25, 27]);
      if (birthYear < 1950 || birthYear > 2006)
        birthYear = p.birthYear <= 1978 ? p.birthYear + 26 : p.birthYear - 26;
      const relative = citizen(ctx, { family: p.family, male, birthYear, notGiven: p.given });
      const shared: Applicant = {
        ...relative,
        address: { ...p.address },
        phone: p.phone,
        phoneStyle: p.phoneStyle,
      };
      delete shared.email;
      const sameProcedure = chance(r, 0.6);
      const procedure = sameProcedure ? d.procedure : pickProcedure(ctx, { citizen: true }, d.procedure.code);
      const sameDay = chance(r, 0.6);
      const e = draft(ctx, sysB, {
        applicant: shared,
        procedure,
        ...(sameDay ? { receivedMs: sameDayAs(ctx, Date.parse(d.body.receivedAt)) } : {}),
      });
      const changes = [
        'shared_address',
        'shared_phone',
        sameProcedure ? 'same_procedure' : 'other_procedure',
      ];
      if (sameDay) changes.push('same_day');
      return { a: d.body, b: e.body, changes };
    }
    case 'id_collision':
    case 'spouse':
      return sameIdOtherPerson(ctx, variant);
    case 'siblings':
      return siblings(ctx);
    case 'same_system': {
      const d = draft(ctx, sysA);
      const b = copyFor(ctx, d, sysA);
      const changes = ['same_system'];
      if (chance(r, 0.5)) {
        const atom = pick(r, ['receipt_minutes_later', 'summary_reworded', 'phone_format'] as const);
        if (applyAtom(ctx, atom, d, b)) changes.push(atom);
      }
      return { a: d.body, b, changes };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API

/** Labelled pairs of push bodies: dual entries (one dossier, two systems) and near misses. */
export function generatePairs(options: PairOptions): GeneratedPair[] {
  const ctx = createCtx(options, 0x5eed_0001, 0);
  const { r } = ctx;
  const ratio = options.nearMissRatio ?? 0.3;
  if (!(ratio >= 0 && ratio <= 1)) throw new Error('nearMissRatio must be between 0 and 1');
  const nearCount = Math.round(options.count * ratio);
  const dualCount = options.count - nearCount;
  const roundRobin = <T>(variants: readonly T[], n: number): T[] => {
    const offset = int(r, 0, variants.length - 1);
    return Array.from({ length: n }, (_, i) => variants[(i + offset) % variants.length] as T);
  };
  const plan = shuffle(r, [
    ...roundRobin(DUAL_ENTRY_VARIANTS, dualCount).map((v) => ({ kind: 'dual_entry' as const, variant: v })),
    ...roundRobin(NEAR_MISS_VARIANTS, nearCount).map((v) => ({ kind: 'near_miss' as const, variant: v })),
  ]);
  const tag = (options.seed >>> 0).toString(36);
  return plan.map((step, i) => {
    const built =
      step.kind === 'dual_entry'
        ? dualEntry(ctx, step.variant as DualEntryVariant)
        : nearMiss(ctx, step.variant as NearMissVariant);
    return {
      id: `pair-${tag}-${String(i + 1).padStart(5, '0')}`,
      kind: step.kind,
      variant: step.variant,
      a: built.a,
      b: built.b,
      changes: built.changes,
    };
  });
}

/** Unrelated dossiers (all pushed by system A), for filling a store; ids never overlap generatePairs'. */
export function generateSingles(options: GenerateOptions): DossierPushBody[] {
  const ctx = createCtx(options, 0x5eed_0002, 1);
  const { r } = ctx;
  return Array.from({ length: options.count }, () => {
    const d = draft(ctx, ctx.systems[0]);
    const body = d.body;
    const receivedMs = Date.parse(body.receivedAt);
    const dueDay = localDay(Date.parse(body.dueAt ?? body.receivedAt));
    const status = weighted(r, [
      ['received', 55],
      ['processing', 30],
      ['resolved', 10],
      ['returned', 5],
    ] as const);
    body.status = status;
    if (status === 'resolved' || status === 'returned') {
      const day = nextWorkingDay(
        int(r, localDay(receivedMs) + 1, Math.max(localDay(receivedMs) + 1, dueDay)),
      );
      const resolvedMs = atLocal(day, officeMinute(r));
      body.resolvedAt = vnIso(resolvedMs);
      if (status === 'returned') {
        body.returnedAt = vnIso(atLocal(nextWorkingDay(day + int(r, 1, 3)), officeMinute(r)));
      }
    }
    if (chance(r, 0.1)) delete body.summary;
    return body;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      agencies: { type: 'string', default: '000.00.15.H24' },
      'admin-units': { type: 'string' },
      'near-miss-ratio': { type: 'string', default: '0.3' },
      'start-date': { type: 'string' },
      singles: { type: 'string', default: '0' },
    },
  });
  const common: GenerateOptions = {
    count: Number(values.count),
    seed: Number(values.seed),
    agencies: values.agencies.split(','),
    ...(values['admin-units'] ? { adminUnitsPath: values['admin-units'] } : {}),
    ...(values['start-date'] ? { startDate: values['start-date'] } : {}),
  };
  const pairs = generatePairs({ ...common, nearMissRatio: Number(values['near-miss-ratio']) });
  const singles = generateSingles({ ...common, count: Number(values.singles) });
  process.stdout.write(`${JSON.stringify({ pairs, singles }, null, 2)}\n`);
}
