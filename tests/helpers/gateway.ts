/** A fresh gateway per test file: its own SQLite file, migrations applied, clients for every role. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ClientInput } from '../../schemas/client.js';
import { type Config, parseConfig } from '../../schemas/config.js';
import { type App, createApp } from '../../src/app.js';
import type { Services } from '../../src/http/context.js';
import type { Clock } from '../../src/lib/time.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { createNodeServices } from '../../src/runtime/node/services.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Outbox } from '../../src/transfers/outbox.js';

export const AGENCY = '000.00.15.H24';
export const AGENCY_2 = '000.00.16.H24';
export const OTHER_AGENCY = '000.00.15.H06';

export interface TestGateway {
  app: App;
  services: Services;
  sqlite: ReturnType<typeof openSqliteStore>['sqlite'];
  logs: string[];
  dbPath: string;
  keys: { motcua: string; xaydung: string; other: string; operator: string; admin: string; postal: string };
  request(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Tests run "in" January 2027 (time still moves), so the example dates of late 2026 are in the past. */
export function testClock(): Clock {
  const offset = Date.parse('2027-01-15T00:00:00Z') - Date.now();
  return { now: () => Date.now() + offset };
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), TEMP_PREFIX)), 'gateway.db');
}

const TEMP_PREFIX = 'lienthong-test-';

/** Deletes the folder of a database made by `tempDbPath` (never anything else). */
export function removeTempDb(dbPath: string): void {
  const dir = dirname(dbPath);
  if (dirname(dir) === tmpdir() && basename(dir).startsWith(TEMP_PREFIX))
    rmSync(dir, { recursive: true, force: true });
}

export async function createTestGateway(
  options: { env?: Record<string, string>; outbox?: Outbox; clock?: Clock; dbPath?: string } = {},
): Promise<TestGateway> {
  const dbPath = options.dbPath ?? tempDbPath();
  // SMS notices are on in sandbox mode by default; a test that is about them turns them on, so the
  // others count only their own transfers.
  const config: Config = parseConfig({
    DB_PATH: dbPath,
    LOG_LEVEL: 'debug',
    SMS_ENABLED: 'false',
    ...options.env,
  });
  const store = openSqliteStore(dbPath);
  const logger = createMemoryLogger();
  const services = await createNodeServices(config, {
    store,
    logger,
    clock: options.clock ?? testClock(),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  });
  const add = async (input: ClientInput) => (await services.clients.add(input)).key;
  const keys = {
    motcua: await add({
      name: 'one-stop',
      role: 'department',
      system: 'motcua',
      agencies: [AGENCY, AGENCY_2],
    }),
    xaydung: await add({ name: 'construction', role: 'department', system: 'xaydung', agencies: [AGENCY] }),
    other: await add({ name: 'other dept', role: 'department', system: 'tuphap', agencies: [OTHER_AGENCY] }),
    operator: await add({ name: 'operator', role: 'operator', agencies: [] }),
    admin: await add({ name: 'admin', role: 'admin', agencies: [] }),
    postal: await add({ name: 'postal', role: 'postal', agencies: [] }),
  };
  const app = createApp(services);
  return {
    app,
    services,
    sqlite: store.sqlite,
    logs: logger.lines,
    dbPath,
    keys,
    request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const key = o.key === undefined ? keys.motcua : o.key;
      if (key !== null) headers.Authorization = `Bearer ${key}`;
      let body: string | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['Content-Type'] ??= 'application/json';
      }
      return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
    },
    close: async () => {
      await store.close();
      // A database this helper made is its own to delete; one passed in belongs to the caller.
      if (!options.dbPath) removeTempDb(dbPath);
    },
  };
}

let recordCounter = 0;

/** A valid dossier push body; override any part. */
export function dossierBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  recordCounter += 1;
  return {
    source: { recordId: `MC-2026-${String(recordCounter).padStart(6, '0')}` },
    procedure: { code: '1.004227', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ' },
    sector: { code: 'XD', name: 'Xây dựng' },
    agency: { code: AGENCY, name: 'Sở Xây dựng tỉnh Bắc Ninh' },
    applicant: {
      type: 'citizen',
      fullName: 'Nguyễn Văn An',
      idNumber: `027090${String(100000 + recordCounter).slice(-6)}`, // a different applicant per call
      phone: '0912 345 678',
      email: 'an.nguyen@example.vn',
      address: { line: 'Số 12 đường Lý Thái Tổ', communeCode: '09187', provinceCode: '24' },
    },
    summary: 'Xin cấp phép xây dựng nhà ở 3 tầng',
    channel: 'counter',
    receivedAt: '2026-11-28T08:30:00+07:00',
    dueAt: '2026-12-12T17:00:00+07:00',
    status: 'received',
    resultReturn: { method: 'postal' },
    documents: [
      {
        name: 'Đơn đề nghị cấp giấy phép xây dựng',
        componentCode: 'TP1',
        sha256: 'a'.repeat(64),
        digitized: true,
      },
    ],
    fees: [{ code: 'LPXD', name: 'Lệ phí cấp giấy phép xây dựng', amount: 75000 }],
    ...overrides,
  };
}

/** Reads a JSON body with a loose type for assertions. */
export async function json(res: Response): Promise<Record<string, any>> {
  return (await res.json()) as Record<string, any>;
}

export function count(gw: TestGateway, table: string): number {
  return (gw.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
