/**
 * Intake: takes a dossier or a status event from a source system and makes it durable, together with
 * the transfers it causes (outbox) and a reconciliation-log entry, all in the caller's transaction.
 * Invariants: a dossier code never changes once issued; the state only moves along the state machine;
 * an event older than the current state is kept in the history but never moves the state back.
 */
import type { Transaction } from 'kysely';
import type {
  Address,
  DossierData,
  DossierInput,
  DossierStatus,
  StatusEventInput,
} from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { ApiError, type FieldError, validationError } from '../http/errors.js';
import { newId } from '../lib/crypto.js';
import { type Clock, normaliseInstant, parseInstant, toVnIso, vnDayCode } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import type { Database, DossierRow } from '../store/tables.js';
import type { Outbox } from '../transfers/outbox.js';
import type { AdminUnits } from './admin-units.js';
import { findDossierIdBySource, findDossierRow } from './dossier.repository.js';
import { canTransition, nextStatuses } from './status-machine.js';

const MAX_DAILY_SEQUENCE = 9999;
const FUTURE_TOLERANCE_MS = 10 * 60_000;

export interface IntakeDeps {
  outbox: Outbox;
  clock: Clock;
  adminUnits?: AdminUnits | undefined;
}

export interface PushResult {
  outcome: 'created' | 'updated';
  dossierId: string;
}

export interface EventResult {
  dossierId: string;
  outcome: 'applied' | 'recorded_only' | 'duplicate';
  historyId: number;
}

/** Throws 403 unless the principal is a department client allowed for `agency`. */
export function assertAgencyScope(principal: Principal, agency: string): void {
  if (principal.role === 'department' && !principal.agencies.includes(agency)) {
    throw new ApiError('forbidden', `this client may not act for agency ${agency}`, {
      extra: { agency },
    });
  }
}

function sourceSystem(principal: Principal): string {
  if (principal.role !== 'department' || !principal.system) {
    throw new ApiError('forbidden', 'only department clients bound to a source system may push dossiers');
  }
  return principal.system;
}

/** When a status became current, for a dossier pushed whole (no event time of its own). */
function statusTimeOf(data: DossierData, status: DossierStatus, fallbackMs: number): number {
  const at =
    status === 'resolved'
      ? data.resolvedAt
      : status === 'returned'
        ? data.returnedAt
        : status === 'rejected'
          ? data.rejectedAt
          : status === 'received' || status === 'submitted'
            ? data.receivedAt
            : undefined;
  return at ? parseInstant(at) : fallbackMs;
}

function normaliseAddress(a: Address | undefined): Address | undefined {
  return a ? { ...a } : undefined;
}

/** The canonical fields of a pushed dossier, instants normalised to +07:00. */
function toData(input: DossierInput): DossierData {
  const t = (v: string | undefined) => (v === undefined ? undefined : normaliseInstant(v));
  const data: DossierData = {
    procedure: input.procedure,
    sector: input.sector,
    agency: input.agency,
    applicant: { ...input.applicant, address: normaliseAddress(input.applicant.address) },
    summary: input.summary,
    channel: input.channel,
    receivedAt: normaliseInstant(input.receivedAt),
    dueAt: t(input.dueAt),
    resolvedAt: t(input.resolvedAt),
    returnedAt: t(input.returnedAt),
    rejectedAt: t(input.rejectedAt),
    resultReturn: {
      method: input.resultReturn.method,
      address: normaliseAddress(input.resultReturn.address),
    },
    documents: input.documents,
    fees: input.fees,
    note: input.note,
  };
  return JSON.parse(JSON.stringify(data)) as DossierData; // drops undefined members: stable equality
}

export class IntakeService {
  constructor(private readonly deps: IntakeDeps) {}

  /** Checks addresses against the configured catalogue (format checks already ran in the schema). */
  checkAddresses(input: DossierInput): void {
    const units = this.deps.adminUnits;
    if (!units) return;
    const errors: FieldError[] = [];
    const check = (a: Address | undefined, path: string) => {
      if (!a) return;
      if (a.provinceCode && !units.hasProvince(a.provinceCode)) {
        errors.push({
          path: `${path}.provinceCode`,
          rule: 'province_unknown',
          message: `no province ${a.provinceCode}`,
        });
      }
      if (a.communeCode) {
        const province = units.communeProvince(a.communeCode);
        if (!province) {
          errors.push({
            path: `${path}.communeCode`,
            rule: 'commune_unknown',
            message: `no commune ${a.communeCode}`,
          });
        } else if (a.provinceCode && a.provinceCode !== province) {
          errors.push({
            path: `${path}.communeCode`,
            rule: 'commune_province_mismatch',
            message: `commune ${a.communeCode} belongs to province ${province}, not ${a.provinceCode}`,
          });
        } else {
          a.provinceCode = province;
        }
      }
    };
    check(input.applicant.address, 'applicant.address');
    check(input.resultReturn.address, 'resultReturn.address');
    if (errors.length > 0) throw validationError(errors);
  }

  /** Creates or updates the dossier a source system pushed. */
  async push(trx: Transaction<Database>, principal: Principal, input: DossierInput): Promise<PushResult> {
    const system = sourceSystem(principal);
    if (input.source.system && input.source.system !== system) {
      throw new ApiError(
        'forbidden',
        `source.system "${input.source.system}" is not this client's system "${system}"`,
        { extra: { field: 'source.system' } },
      );
    }
    assertAgencyScope(principal, input.agency.code);
    this.checkAddresses(input);
    const now = this.deps.clock.now();
    const data = toData(input);
    const existingId = await findDossierIdBySource(trx, system, input.source.recordId);
    if (existingId) {
      const row = await findDossierRow(trx, existingId);
      if (!row) throw new Error(`source points at missing dossier ${existingId}`);
      return this.update(trx, principal, system, input, data, row, now);
    }
    if (input.code) {
      const taken = await trx
        .selectFrom('dossiers')
        .select('id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (taken) {
        throw new ApiError('conflict', `dossier code ${input.code} already belongs to another dossier`, {
          extra: { field: 'code', dossierId: taken.id },
        });
      }
    }
    return this.create(trx, system, input, data, now);
  }

  private async create(
    trx: Transaction<Database>,
    system: string,
    input: DossierInput,
    data: DossierData,
    now: number,
  ): Promise<PushResult> {
    const id = newId();
    const receivedMs = parseInstant(data.receivedAt);
    const code = input.code ?? (await this.issueCode(trx, data.agency.code, receivedMs));
    const statusAt = statusTimeOf(data, input.status, now);
    const row: DossierRow = {
      id,
      code,
      agency_code: data.agency.code,
      procedure_code: data.procedure.code,
      status: input.status,
      status_at_ms: statusAt,
      applicant_id_number: data.applicant.idNumber ?? null,
      received_at_ms: receivedMs,
      data: JSON.stringify(data),
      version: 1,
      created_at_ms: now,
      updated_at_ms: now,
    };
    await trx.insertInto('dossiers').values(row).execute();
    await trx
      .insertInto('dossier_sources')
      .values({
        dossier_id: id,
        system,
        record_id: input.source.recordId,
        code: input.code ?? null,
        first_seen_at_ms: now,
        last_seen_at_ms: now,
      })
      .execute();
    await this.addHistory(trx, id, {
      status: input.status,
      atMs: statusAt,
      note: input.note,
      officer: undefined,
      system,
      recordId: input.source.recordId,
      applied: true,
      now,
    });
    await this.queueSync(trx, row, 'insert', now);
    await appendLog(
      trx,
      {
        kind: 'intake.created',
        actor: system,
        dossierId: id,
        data: { code, recordId: input.source.recordId },
      },
      now,
    );
    return { outcome: 'created', dossierId: id };
  }

  private async update(
    trx: Transaction<Database>,
    principal: Principal,
    system: string,
    input: DossierInput,
    data: DossierData,
    row: DossierRow,
    now: number,
  ): Promise<PushResult> {
    assertAgencyScope(principal, row.agency_code);
    if (input.code && input.code !== row.code) {
      throw new ApiError('conflict', `dossier code is ${row.code} and never changes once issued`, {
        extra: { field: 'code', code: row.code },
      });
    }
    await trx
      .updateTable('dossier_sources')
      .set({ last_seen_at_ms: now })
      .where('system', '=', system)
      .where('record_id', '=', input.source.recordId)
      .execute();
    const from = row.status as DossierStatus;
    const to = input.status;
    const statusChanged = from !== to;
    if (statusChanged && !canTransition(from, to)) throw illegalTransition(from, to);
    const dataChanged = row.data !== JSON.stringify(data);
    if (!statusChanged && !dataChanged) return { outcome: 'updated', dossierId: row.id };
    const statusAt = statusChanged ? statusTimeOf(data, to, now) : row.status_at_ms;
    const next: DossierRow = {
      ...row,
      agency_code: data.agency.code,
      procedure_code: data.procedure.code,
      status: to,
      status_at_ms: statusAt,
      applicant_id_number: data.applicant.idNumber ?? null,
      received_at_ms: parseInstant(data.receivedAt),
      data: JSON.stringify(data),
      version: row.version + 1,
      updated_at_ms: now,
    };
    await trx.updateTable('dossiers').set(next).where('id', '=', row.id).execute();
    if (statusChanged) {
      const historyId = await this.addHistory(trx, row.id, {
        status: to,
        atMs: statusAt,
        note: input.note,
        officer: undefined,
        system,
        recordId: input.source.recordId,
        applied: true,
        now,
      });
      await this.queueSync(trx, next, 'update', now);
      await this.queueProgress(
        trx,
        next,
        historyId,
        { status: to, at: toVnIso(statusAt), note: input.note },
        now,
      );
    } else {
      await this.queueSync(trx, next, 'update', now);
    }
    await appendLog(
      trx,
      {
        kind: 'intake.updated',
        actor: system,
        dossierId: row.id,
        data: {
          recordId: input.source.recordId,
          version: next.version,
          ...(statusChanged ? { from, to } : {}),
        },
      },
      now,
    );
    return { outcome: 'updated', dossierId: row.id };
  }

  /** Resolves the dossier an event is addressed to, by gateway id or by the caller's own record id. */
  async resolveTarget(
    trx: Transaction<Database>,
    principal: Principal,
    target: { dossierId: string } | { recordId: string },
  ): Promise<DossierRow> {
    let id: string | undefined;
    if ('dossierId' in target) {
      id = target.dossierId;
    } else {
      id = await findDossierIdBySource(trx, sourceSystem(principal), target.recordId);
      if (!id)
        throw new ApiError('not_found', `no dossier with record id ${target.recordId} from this system`);
    }
    const row = await findDossierRow(trx, id);
    if (!row) throw new ApiError('not_found', `no dossier ${id}`);
    assertAgencyScope(principal, row.agency_code);
    return row;
  }

  /** Records a status event; moves the state when the event is newer than the current one. */
  async recordEvent(
    trx: Transaction<Database>,
    principal: Principal,
    target: { dossierId: string } | { recordId: string },
    event: StatusEventInput,
  ): Promise<EventResult> {
    const system = sourceSystem(principal);
    const row = await this.resolveTarget(trx, principal, target);
    const now = this.deps.clock.now();
    const atMs = parseInstant(event.at);
    if (atMs > now + FUTURE_TOLERANCE_MS) {
      throw validationError([
        { path: 'at', rule: 'not_in_future', message: `event time ${event.at} is in the future` },
      ]);
    }
    const duplicate = await trx
      .selectFrom('status_history')
      .select('id')
      .where('dossier_id', '=', row.id)
      .where('status', '=', event.status)
      .where('at_ms', '=', atMs)
      .executeTakeFirst();
    if (duplicate) return { dossierId: row.id, outcome: 'duplicate', historyId: duplicate.id };

    const recordId = 'recordId' in target ? target.recordId : await this.recordIdOf(trx, row.id, system);
    const from = row.status as DossierStatus;
    const to = event.status;
    const base = { status: to, atMs, note: event.note, officer: event.officer, system, recordId, now };
    if (atMs < row.status_at_ms) {
      const historyId = await this.addHistory(trx, row.id, { ...base, applied: false });
      await appendLog(
        trx,
        {
          kind: 'event.recorded_only',
          actor: system,
          dossierId: row.id,
          data: { status: to, at: event.at, current: from },
        },
        now,
      );
      return { dossierId: row.id, outcome: 'recorded_only', historyId };
    }
    if (from !== to && !canTransition(from, to)) throw illegalTransition(from, to);

    const data = JSON.parse(row.data) as DossierData;
    const at = toVnIso(atMs);
    if (to === 'resolved') data.resolvedAt = at;
    if (to === 'returned') data.returnedAt = at;
    if (to === 'rejected') data.rejectedAt = at;
    if (event.dueAt) data.dueAt = normaliseInstant(event.dueAt);
    const next: DossierRow = {
      ...row,
      status: to,
      status_at_ms: from === to ? row.status_at_ms : atMs,
      data: JSON.stringify(data),
      version: row.version + 1,
      updated_at_ms: now,
    };
    await trx.updateTable('dossiers').set(next).where('id', '=', row.id).execute();
    const historyId = await this.addHistory(trx, row.id, { ...base, applied: true });
    await this.queueSync(trx, next, 'update', now);
    await this.queueProgress(
      trx,
      next,
      historyId,
      { status: to, at, note: event.note, officer: event.officer },
      now,
    );
    await appendLog(
      trx,
      { kind: 'event.applied', actor: system, dossierId: row.id, data: { from, to, at, historyId } },
      now,
    );
    return { dossierId: row.id, outcome: 'applied', historyId };
  }

  private async recordIdOf(
    trx: Transaction<Database>,
    dossierId: string,
    system: string,
  ): Promise<string | undefined> {
    const src = await trx
      .selectFrom('dossier_sources')
      .select('record_id')
      .where('dossier_id', '=', dossierId)
      .where('system', '=', system)
      .executeTakeFirst();
    return src?.record_id;
  }

  /** Issues `<agency>-<yyMMdd>-<seq>`; the per-agency daily counter only moves forward. */
  private async issueCode(trx: Transaction<Database>, agency: string, receivedMs: number): Promise<string> {
    const day = vnDayCode(receivedMs);
    for (;;) {
      const next = await trx
        .insertInto('dossier_code_sequences')
        .values({ agency_code: agency, day, last_seq: 1 })
        .onConflict((oc) =>
          oc.columns(['agency_code', 'day']).doUpdateSet((eb) => ({ last_seq: eb('last_seq', '+', 1) })),
        )
        .returning('last_seq')
        .executeTakeFirstOrThrow();
      if (next.last_seq > MAX_DAILY_SEQUENCE) {
        throw new ApiError(
          'unprocessable',
          `agency ${agency} has used all ${MAX_DAILY_SEQUENCE} dossier codes of ${day}`,
        );
      }
      const code = `${agency}-${day}-${String(next.last_seq).padStart(4, '0')}`;
      const taken = await trx.selectFrom('dossiers').select('id').where('code', '=', code).executeTakeFirst();
      if (!taken) return code; // a source may have supplied this code itself: skip it
    }
  }

  private async addHistory(
    trx: Transaction<Database>,
    dossierId: string,
    h: {
      status: DossierStatus;
      atMs: number;
      note: string | undefined;
      officer: StatusEventInput['officer'];
      system: string;
      recordId: string | undefined;
      applied: boolean;
      now: number;
    },
  ): Promise<number> {
    const row = await trx
      .insertInto('status_history')
      .values({
        dossier_id: dossierId,
        status: h.status,
        at_ms: h.atMs,
        at: toVnIso(h.atMs),
        note: h.note ?? null,
        officer: h.officer ? JSON.stringify(h.officer) : null,
        source_system: h.system,
        source_record_id: h.recordId ?? null,
        applied: h.applied ? 1 : 0,
        recorded_at_ms: h.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private async queueSync(trx: Transaction<Database>, row: DossierRow, op: 'insert' | 'update', now: number) {
    await this.deps.outbox.enqueue(
      trx,
      {
        destination: 'portal',
        kind: 'dossier_sync',
        dossierId: row.id,
        payload: {
          op,
          version: row.version,
          code: row.code,
          status: row.status,
          statusAt: toVnIso(row.status_at_ms),
          dossier: JSON.parse(row.data),
        },
      },
      now,
    );
  }

  private async queueProgress(
    trx: Transaction<Database>,
    row: DossierRow,
    historyId: number,
    step: {
      status: DossierStatus;
      at: string;
      note?: string | undefined;
      officer?: StatusEventInput['officer'];
    },
    now: number,
  ) {
    const data = JSON.parse(row.data) as DossierData;
    await this.deps.outbox.enqueue(
      trx,
      {
        destination: 'portal',
        kind: 'progress',
        dossierId: row.id,
        payload: { code: row.code, historyId, ...step, receivedAt: data.receivedAt, dueAt: data.dueAt },
      },
      now,
    );
  }
}

function illegalTransition(from: DossierStatus, to: DossierStatus): ApiError {
  const allowed = nextStatuses(from);
  return new ApiError(
    'illegal_transition',
    `a dossier cannot move from ${from} to ${to}; from ${from} it may go to ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}`,
    { extra: { from, to, allowed } },
  );
}
