/**
 * Unit tests of the intake and dedup use cases and stores: a fresh migrated SQLite file, units of work
 * opened the way the composition root opens them, principals, parsed push bodies and spy ports.
 */
import { parseConfig } from '../../schemas/config.js';
import { type DossierInput, DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import type { AdminUnits } from '../../src/intake/admin-units.js';
import { toData } from '../../src/intake/dossier.data.js';
import type { DossierRecord } from '../../src/intake/dossier.row.js';
import type { WriteContext } from '../../src/intake/intake.context.js';
import type { Trx } from '../../src/store/store.js';
import { type Outbox, sqlOutbox } from '../../src/transfers/outbox.js';
import { AGENCY, AGENCY_2, dossierBody, OTHER_AGENCY, testClock } from '../helpers/gateway.js';
import type { TestStore } from '../transfers/store-fixture.js';

export { closeTestStore, openTestStore, type TestStore } from '../transfers/store-fixture.js';
export { AGENCY, AGENCY_2, OTHER_AGENCY };

/** The instant the tests' units of work run at (the test clock's January 2027). */
export const NOW = Date.parse('2027-01-15T00:00:00Z');

export const DEDUP = parseConfig({}).dedup;

export const motcua: Principal = {
  id: 'c-motcua',
  name: 'one-stop',
  role: 'department',
  system: 'motcua',
  agencies: [AGENCY, AGENCY_2],
};
export const xaydung: Principal = {
  id: 'c-xaydung',
  name: 'construction',
  role: 'department',
  system: 'xaydung',
  agencies: [AGENCY],
};
export const tuphap: Principal = {
  id: 'c-tuphap',
  name: 'other dept',
  role: 'department',
  system: 'tuphap',
  agencies: [OTHER_AGENCY],
};
export const operator: Principal = {
  id: 'c-operator',
  name: 'operator',
  role: 'operator',
  system: null,
  agencies: [],
};

/** A push body parsed by the input schema, as a handler hands it to the use case. */
export function input(overrides: Record<string, unknown> = {}): DossierInput {
  return DossierInputSchema.parse(dossierBody(overrides));
}

/** The same applicant and procedure as `a`, as another system's clerk keyed it. */
export function sameDossierFrom(a: DossierInput, recordId: string, overrides: Record<string, unknown> = {}) {
  const { code: _code, ...rest } = a;
  return DossierInputSchema.parse({
    ...rest,
    source: { recordId },
    receivedAt: '2026-11-28T10:15:00+07:00',
    ...overrides,
  });
}

/** A record as use cases hold it, from a push body. */
export function record(over: Partial<DossierRecord> = {}, body: Record<string, unknown> = {}): DossierRecord {
  return {
    id: 'd-1',
    code: `${AGENCY}-261128-0001`,
    status: 'received',
    statusAtMs: Date.parse('2026-11-28T08:30:00+07:00'),
    version: 1,
    createdAtMs: NOW,
    updatedAtMs: NOW,
    held: false,
    mergedInto: null,
    data: toData(input(body)),
    ...over,
  };
}

/** Every call an outbox port received, the calls passed on to the real SQL outbox. */
export interface SpyOutbox extends Outbox {
  calls: { method: 'enqueue' | 'release' | 'cancel'; dossierId: string; args: unknown[] }[];
}

export function spyOutbox(): SpyOutbox {
  const calls: SpyOutbox['calls'] = [];
  return {
    calls,
    enqueue(trx, request, nowMs) {
      calls.push({ method: 'enqueue', dossierId: request.dossierId, args: [request, nowMs] });
      return sqlOutbox.enqueue(trx, request, nowMs);
    },
    release(trx, dossierId, nowMs) {
      calls.push({ method: 'release', dossierId, args: [nowMs] });
      return sqlOutbox.release(trx, dossierId, nowMs);
    },
    cancel(trx, dossierId, reason, nowMs) {
      calls.push({ method: 'cancel', dossierId, args: [reason, nowMs] });
      return sqlOutbox.cancel(trx, dossierId, reason, nowMs);
    },
  };
}

export interface UnitOptions {
  now?: number;
  outbox?: Outbox;
  adminUnits?: AdminUnits;
}

/** Runs `fn` in one unit of work of `store`, as the composition root opens one. */
export function inUnit<T>(
  store: TestStore,
  fn: (ctx: WriteContext & { trx: Trx }) => Promise<T>,
  o: UnitOptions = {},
): Promise<T> {
  return store.transaction((trx) =>
    fn({
      trx,
      deps: {
        outbox: o.outbox ?? sqlOutbox,
        dedup: DEDUP,
        clock: testClock(),
        ...(o.adminUnits ? { adminUnits: o.adminUnits } : {}),
      },
      now: o.now ?? NOW,
    }),
  );
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

export function rows<T = Record<string, unknown>>(store: TestStore, sql: string, ...params: unknown[]): T[] {
  return store.sqlite.prepare(sql).all(...params) as T[];
}

export function countOf(store: TestStore, table: string, where = '1 = 1', ...params: unknown[]): number {
  return (
    store.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }
  ).n;
}

/** The transfers of a dossier in queue order, payloads parsed. */
export function transfersOf(store: TestStore, dossierId: string) {
  return rows<{ kind: string; state: string; payload: string; last_error: string | null }>(
    store,
    'SELECT kind, state, payload, last_error FROM transfers WHERE dossier_id = ? ORDER BY seq',
    dossierId,
  ).map((t) => ({ ...t, payload: JSON.parse(t.payload) as Record<string, any> }));
}

/** The log entries of a dossier in order, data parsed. */
export function logOf(store: TestStore, dossierId: string) {
  return rows<{ kind: string; actor: string; data: string }>(
    store,
    'SELECT kind, actor, data FROM reconciliation_log WHERE dossier_id = ? ORDER BY id',
    dossierId,
  ).map((l) => ({ ...l, data: JSON.parse(l.data) as Record<string, any> }));
}
