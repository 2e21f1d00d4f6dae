/**
 * Intake: takes a dossier or a status event from a source system and makes it durable, together with
 * the transfers it causes (outbox) and a reconciliation-log entry, all in the caller's transaction.
 * Invariants: a dossier code never changes once issued; the state only moves along the state machine;
 * an event older than the current state is kept in the history but never moves the state back.
 */
import type { Selectable, Transaction } from 'kysely';
import type { DedupConfig } from '../../schemas/config.js';
import type {
  Address,
  Dossier,
  DossierData,
  DossierInput,
  DossierStatus,
  StatusEventInput,
} from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.service.js';
import { blockingKeys, type Candidate, matchDossier } from '../dedup/matcher.js';
import { type Conflict, reconcile, type SystemKind } from '../dedup/reconcile.js';
import { ApiError, type FieldError, validationError } from '../http/errors.js';
import { newId } from '../lib/crypto.js';
import { type Clock, normaliseInstant, parseInstant, toVnIso, vnDayCode } from '../lib/time.js';
import { appendLog } from '../reconciliation/log.js';
import type { Database, DossierRow, DossierSourceTable, StatusHistoryTable } from '../store/tables.js';
import type { Outbox } from '../transfers/outbox.js';
import type { AdminUnits } from './admin-units.js';
import {
  assembleDossier,
  findDossierByCode,
  findDossierIdBySource,
  findDossierRow,
  findLiveDossier,
  sourceSystems,
} from './dossier.repository.js';
import { canTransition, nextStatuses } from './status-machine.js';

const MAX_DAILY_SEQUENCE = 9999;
const FUTURE_TOLERANCE_MS = 10 * 60_000;

export interface IntakeDeps {
  outbox: Outbox;
  dedup: DedupConfig;
  clock: Clock;
  adminUnits?: AdminUnits | undefined;
}

export interface PushResult {
  outcome: 'created' | 'updated' | 'merged' | 'held_for_review';
  dossierId: string;
  /** For a merge: the candidate that was joined, with its score and reasons. */
  match?: Candidate;
  /** For a hold: the review item and its candidates. */
  review?: { id: string; candidates: Candidate[] };
  /** The dossier as stored, when the service already holds every row of it (a new dossier). */
  view?: Dossier;
}

export interface EventResult {
  dossierId: string;
  outcome: 'applied' | 'recorded_only' | 'duplicate';
  historyId: number;
}

/** What applying a pushed record needs besides its canonical data. */
interface PushedRecord {
  status: DossierStatus;
  note?: string | undefined;
  source: { recordId: string };
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

/** The source row of a record seen for the first time, attached to `dossierId`. */
function newSource(
  dossierId: string,
  system: string,
  input: DossierInput,
  data: DossierData,
  now: number,
): Selectable<DossierSourceTable> {
  return {
    dossier_id: dossierId,
    system,
    record_id: input.source.recordId,
    code: input.code ?? null,
    first_seen_at_ms: now,
    last_seen_at_ms: now,
    last_input: JSON.stringify({ data, status: input.status }),
  };
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

  /** Creates, updates, merges or holds the dossier a source system pushed. */
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
      const holder = await findDossierByCode(trx, input.code);
      if (holder) return this.joinByCode(trx, principal, system, input, data, holder, now);
    }
    const decision = await matchDossier(trx, { system, data }, this.deps.dedup);
    if (decision.kind === 'merge') {
      const target = await findDossierRow(trx, decision.target.dossierId);
      if (!target) throw new Error('candidate vanished inside its own transaction');
      assertAgencyScope(principal, target.agency_code);
      const result = await this.mergeInto(trx, system, input, data, target, now, {
        rule: 'dual_entry',
        score: decision.target.score,
        reasons: decision.target.reasons,
      });
      return { ...result, match: decision.target };
    }
    if (decision.kind === 'review') {
      const created = await this.create(trx, system, input, data, now, true);
      const reviewId = newId();
      await trx
        .insertInto('dedup_reviews')
        .values({
          id: reviewId,
          dossier_id: created.dossierId,
          candidates: JSON.stringify(decision.candidates),
          state: 'pending',
          created_at_ms: now,
          decided_at_ms: null,
          decided_by: null,
          decision: null,
        })
        .execute();
      await appendLog(
        trx,
        {
          kind: 'dedup.held_for_review',
          actor: system,
          dossierId: created.dossierId,
          data: {
            reviewId,
            candidates: decision.candidates.map((c) => ({ id: c.dossierId, score: c.score })),
          },
        },
        now,
      );
      return {
        outcome: 'held_for_review',
        dossierId: created.dossierId,
        ...(created.view ? { view: created.view } : {}),
        review: { id: reviewId, candidates: decision.candidates },
      };
    }
    return this.create(trx, system, input, data, now, false);
  }

  /** A new record names a dossier code the gateway already holds: the same dossier, unless facts contradict. */
  private async joinByCode(
    trx: Transaction<Database>,
    principal: Principal,
    system: string,
    input: DossierInput,
    data: DossierData,
    holder: DossierRow,
    now: number,
  ): Promise<PushResult> {
    const systems = await sourceSystems(trx, holder.id);
    if (systems.includes(system)) {
      throw new ApiError(
        'conflict',
        `dossier code ${input.code} already belongs to another record of ${system}`,
        {
          extra: { field: 'code', dossierId: holder.id },
        },
      );
    }
    const held = JSON.parse(holder.data) as DossierData;
    const idA = held.applicant.idNumber;
    const idB = data.applicant.idNumber;
    if ((idA && idB && idA !== idB) || held.procedure.code !== data.procedure.code) {
      throw new ApiError(
        'conflict',
        `dossier code ${input.code} belongs to a dossier with a different ${idA && idB && idA !== idB ? 'applicant' : 'procedure'}`,
        { extra: { field: 'code', dossierId: holder.id } },
      );
    }
    assertAgencyScope(principal, holder.agency_code);
    return this.mergeInto(trx, system, input, data, holder, now, {
      rule: 'same_code',
      score: 1,
      reasons: [],
    });
  }

  private kindOf = (system: string): SystemKind =>
    this.deps.dedup.onestopSystems.includes(system) ? 'onestop' : 'specialized';

  /** Attaches a record of another system to an existing dossier: field authority decides, conflicts are kept. */
  private async mergeInto(
    trx: Transaction<Database>,
    system: string,
    input: DossierInput,
    data: DossierData,
    target: DossierRow,
    now: number,
    why: { rule: string; score: number; reasons: unknown[] },
  ): Promise<PushResult> {
    await trx
      .insertInto('dossier_sources')
      .values(newSource(target.id, system, input, data, now))
      .execute();
    if (input.code && input.code !== target.code)
      await this.addAlias(trx, input.code, target.id, system, now);
    const applied = await this.applyReconciled(trx, target, system, input, data, undefined, now);
    await appendLog(
      trx,
      {
        kind: 'dedup.merged',
        actor: system,
        dossierId: target.id,
        data: {
          recordId: input.source.recordId,
          code: input.code,
          rule: why.rule,
          score: why.score,
          conflicts: applied.conflicts,
        },
      },
      now,
    );
    return { outcome: 'merged', dossierId: target.id };
  }

  private async create(
    trx: Transaction<Database>,
    system: string,
    input: DossierInput,
    data: DossierData,
    now: number,
    held: boolean,
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
      ...blockingKeys(data),
      held: held ? 1 : 0,
      merged_into: null,
    };
    await trx.insertInto('dossiers').values(row).execute();
    const source = newSource(id, system, input, data, now);
    await trx.insertInto('dossier_sources').values(source).execute();
    const history = await this.addHistoryRow(trx, id, {
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
        data: { code, recordId: input.source.recordId, held },
      },
      now,
    );
    // Every row of the new dossier is in hand: answer from them instead of reading them back.
    const view = assembleDossier(row, { sources: [source], history: [history], aliases: [], conflicts: [] });
    return { outcome: 'created', dossierId: id, view };
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
      const alias = await trx
        .selectFrom('dossier_aliases')
        .select('dossier_id')
        .where('code', '=', input.code)
        .executeTakeFirst();
      if (alias?.dossier_id !== row.id) {
        throw new ApiError('conflict', `dossier code is ${row.code} and never changes once issued`, {
          extra: { field: 'code', code: row.code },
        });
      }
    }
    const source = await trx
      .selectFrom('dossier_sources')
      .select('last_input')
      .where('system', '=', system)
      .where('record_id', '=', input.source.recordId)
      .executeTakeFirstOrThrow();
    const previous = source.last_input
      ? (JSON.parse(source.last_input) as { data: DossierData; status: DossierStatus })
      : undefined;
    await trx
      .updateTable('dossier_sources')
      .set({ last_seen_at_ms: now, last_input: JSON.stringify({ data, status: input.status }) })
      .where('system', '=', system)
      .where('record_id', '=', input.source.recordId)
      .execute();
    const applied = await this.applyReconciled(trx, row, system, input, data, previous, now);
    if (applied.changed) {
      await appendLog(
        trx,
        {
          kind: 'intake.updated',
          actor: system,
          dossierId: row.id,
          data: { recordId: input.source.recordId, version: applied.version, conflicts: applied.conflicts },
        },
        now,
      );
    }
    return { outcome: 'updated', dossierId: row.id };
  }

  /**
   * Applies what `system` pushed to `row` under field authority: writes the dossier, the status step,
   * the conflicts and the outbox rows. A merge never queues an insert: the portal already has (or will
   * get) the dossier under its one code.
   */
  private async applyReconciled(
    trx: Transaction<Database>,
    row: DossierRow,
    system: string,
    input: PushedRecord,
    data: DossierData,
    previous: { data: DossierData; status: DossierStatus } | undefined,
    now: number,
  ): Promise<{ changed: boolean; version: number; conflicts: Conflict[] }> {
    const sources = await trx
      .selectFrom('dossier_sources')
      .select('system')
      .where('dossier_id', '=', row.id)
      .where('system', '!=', system)
      .execute();
    const others = new Map(sources.map((s) => [s.system, this.kindOf(s.system)] as const));
    const from = row.status as DossierStatus;
    const result = reconcile({
      current: JSON.parse(row.data) as DossierData,
      currentStatus: from,
      incoming: data,
      incomingStatus: input.status,
      previous,
      system,
      others,
      kindOf: this.kindOf,
      authority: this.deps.dedup.authority,
    });
    for (const c of result.conflicts) {
      await trx
        .insertInto('dossier_conflicts')
        .values({
          dossier_id: row.id,
          field: c.field,
          kept: JSON.stringify(c.kept ?? null),
          kept_system: c.keptSystem,
          other: JSON.stringify(c.other ?? null),
          other_system: c.otherSystem,
          detected_at_ms: now,
        })
        .execute();
    }
    const to = result.status;
    const statusAt = to ? statusTimeOf(result.data, to, now) : row.status_at_ms;
    let moves = to !== undefined && to !== from;
    if (moves && to) {
      if (statusAt < row.status_at_ms) {
        moves = false; // older than the current state: history only
      } else if (!canTransition(from, to)) {
        if (others.size === 0) throw illegalTransition(from, to);
        moves = false;
        result.conflicts.push({
          field: 'status',
          kept: from,
          keptSystem: null,
          other: to,
          otherSystem: system,
        });
      }
    }
    if (to && to !== from) {
      const duplicate = await trx
        .selectFrom('status_history')
        .select('id')
        .where('dossier_id', '=', row.id)
        .where('status', '=', to)
        .where('at_ms', '=', statusAt)
        .executeTakeFirst();
      if (!duplicate && !moves) {
        await this.addHistory(trx, row.id, {
          status: to,
          atMs: statusAt,
          note: input.note,
          officer: undefined,
          system,
          recordId: input.source.recordId,
          applied: false,
          now,
        });
      }
    }
    const dataChanged = JSON.stringify(result.data) !== row.data;
    if (!dataChanged && !moves) return { changed: false, version: row.version, conflicts: result.conflicts };
    const next: DossierRow = {
      ...row,
      agency_code: result.data.agency.code,
      procedure_code: result.data.procedure.code,
      status: moves && to ? to : from,
      status_at_ms: moves ? statusAt : row.status_at_ms,
      applicant_id_number: result.data.applicant.idNumber ?? null,
      received_at_ms: parseInstant(result.data.receivedAt),
      data: JSON.stringify(result.data),
      version: row.version + 1,
      updated_at_ms: now,
      ...blockingKeys(result.data),
    };
    await trx.updateTable('dossiers').set(next).where('id', '=', row.id).execute();
    await this.queueSync(trx, next, 'update', now);
    if (moves && to) {
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
      await this.queueProgress(
        trx,
        next,
        historyId,
        { status: to, at: toVnIso(statusAt), note: input.note },
        now,
      );
    }
    return { changed: true, version: next.version, conflicts: result.conflicts };
  }

  private async addAlias(
    trx: Transaction<Database>,
    code: string,
    dossierId: string,
    system: string,
    now: number,
  ) {
    await trx
      .insertInto('dossier_aliases')
      .values({ code, dossier_id: dossierId, system, created_at_ms: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }

  /** Loads a pending review or throws 404/409. */
  private async pendingReview(trx: Transaction<Database>, reviewId: string) {
    const review = await trx
      .selectFrom('dedup_reviews')
      .selectAll()
      .where('id', '=', reviewId)
      .executeTakeFirst();
    if (!review) throw new ApiError('not_found', `no review ${reviewId}`);
    if (review.state !== 'pending') {
      throw new ApiError('conflict', `review ${reviewId} was already decided (${review.state})`, {
        extra: { state: review.state },
      });
    }
    const held = await findDossierRow(trx, review.dossier_id);
    if (!held) throw new Error(`review ${reviewId} points at a missing dossier`);
    return { review, held };
  }

  /** Operator decision: the held record is the same dossier as `targetId` (default: the best candidate). */
  async confirmMerge(
    trx: Transaction<Database>,
    reviewId: string,
    actor: string,
    targetId: string | undefined,
  ): Promise<{ dossierId: string }> {
    const { review, held } = await this.pendingReview(trx, reviewId);
    const candidates = JSON.parse(review.candidates) as Candidate[];
    const chosen = targetId ?? candidates[0]?.dossierId;
    if (!chosen || !candidates.some((c) => c.dossierId === chosen)) {
      throw validationError([
        {
          path: 'into',
          rule: 'not_a_candidate',
          message: `dossier ${chosen ?? '(none)'} is not a candidate of this review`,
        },
      ]);
    }
    const target = await findDossierRow(trx, chosen);
    if (!target || target.merged_into) {
      throw new ApiError('conflict', `dossier ${chosen} was itself merged away; decide again`, {
        extra: { dossierId: chosen },
      });
    }
    const now = this.deps.clock.now();
    const sources = await trx
      .selectFrom('dossier_sources')
      .selectAll()
      .where('dossier_id', '=', held.id)
      .execute();
    await trx
      .updateTable('dossier_sources')
      .set({ dossier_id: target.id })
      .where('dossier_id', '=', held.id)
      .execute();
    await trx
      .updateTable('dossier_aliases')
      .set({ dossier_id: target.id })
      .where('dossier_id', '=', held.id)
      .execute();
    await this.addAlias(trx, held.code, target.id, sources[0]?.system ?? 'gateway', now);
    // The held dossier's field values join under field authority, as if its source had pushed them now.
    let current = target;
    for (const src of sources) {
      const last = src.last_input
        ? (JSON.parse(src.last_input) as { data: DossierData; status: DossierStatus })
        : undefined;
      if (!last) continue;
      await this.applyReconciled(
        trx,
        current,
        src.system,
        { status: last.status, source: { recordId: src.record_id } },
        last.data,
        undefined,
        now,
      );
      current = (await findDossierRow(trx, target.id)) ?? current;
    }
    await this.moveHistory(trx, held.id, current, now);
    await trx
      .updateTable('transfers')
      .set({
        state: 'cancelled',
        updated_at_ms: now,
        last_error: `merged into ${target.id} by review ${reviewId}`,
      })
      .where('dossier_id', '=', held.id)
      .where('state', '=', 'held')
      .execute();
    await trx
      .updateTable('dossiers')
      .set({ held: 0, merged_into: target.id, updated_at_ms: now })
      .where('id', '=', held.id)
      .execute();
    await trx
      .updateTable('dedup_reviews')
      .set({
        state: 'merged',
        decided_at_ms: now,
        decided_by: actor,
        decision: JSON.stringify({ into: target.id }),
      })
      .where('id', '=', reviewId)
      .execute();
    await appendLog(
      trx,
      {
        kind: 'dedup.review_merged',
        actor,
        dossierId: target.id,
        data: { reviewId, merged: held.id, into: target.id },
      },
      now,
    );
    return { dossierId: target.id };
  }

  /** Operator decision: the held record is a dossier of its own; release its transfers. */
  async keepApart(
    trx: Transaction<Database>,
    reviewId: string,
    actor: string,
  ): Promise<{ dossierId: string }> {
    const { held } = await this.pendingReview(trx, reviewId);
    const now = this.deps.clock.now();
    await trx
      .updateTable('dossiers')
      .set({ held: 0, updated_at_ms: now })
      .where('id', '=', held.id)
      .execute();
    await trx
      .updateTable('transfers')
      .set({ state: 'pending', next_attempt_at_ms: now, updated_at_ms: now })
      .where('dossier_id', '=', held.id)
      .where('state', '=', 'held')
      .execute();
    await trx
      .updateTable('dedup_reviews')
      .set({
        state: 'kept_apart',
        decided_at_ms: now,
        decided_by: actor,
        decision: JSON.stringify({ keptApart: true }),
      })
      .where('id', '=', reviewId)
      .execute();
    await appendLog(
      trx,
      { kind: 'dedup.review_kept_apart', actor, dossierId: held.id, data: { reviewId } },
      now,
    );
    return { dossierId: held.id };
  }

  /**
   * Undoes a wrong merge: the named source goes back to a dossier of its own with its own events, and
   * the dossier it leaves is rebuilt from the sources that remain. The portal gets the new dossier as an
   * insert and the old one as an update; what it was already told stays in the reconciliation log.
   */
  async split(
    trx: Transaction<Database>,
    dossierId: string,
    source: { system: string; recordId: string },
    actor: string,
  ): Promise<{ dossierId: string; splitId: string }> {
    const row = await findDossierRow(trx, dossierId);
    if (!row || row.merged_into) throw new ApiError('not_found', `no live dossier ${dossierId}`);
    const sources = await trx
      .selectFrom('dossier_sources')
      .selectAll()
      .where('dossier_id', '=', row.id)
      .execute();
    const leaving = sources.find((s) => s.system === source.system && s.record_id === source.recordId);
    if (!leaving) {
      throw new ApiError(
        'not_found',
        `dossier ${dossierId} has no source ${source.system}/${source.recordId}`,
      );
    }
    const staying = sources.filter((s) => s !== leaving);
    if (staying.length === 0)
      throw new ApiError('conflict', 'a dossier with a single source has nothing to split off');
    if (!leaving.last_input)
      throw new ApiError('conflict', 'this source has no recorded fields to rebuild a dossier from');
    const now = this.deps.clock.now();
    const mine = JSON.parse(leaving.last_input) as { data: DossierData; status: DossierStatus };

    // The leaving source's own code (an alias here) goes with it; the dossier keeps its own code.
    let code: string;
    if (leaving.code && leaving.code !== row.code) {
      await trx.deleteFrom('dossier_aliases').where('code', '=', leaving.code).execute();
      code = leaving.code;
    } else {
      code = await this.issueCode(trx, mine.data.agency.code, parseInstant(mine.data.receivedAt));
    }
    const splitId = newId();
    const fresh: DossierRow = {
      id: splitId,
      code,
      agency_code: mine.data.agency.code,
      procedure_code: mine.data.procedure.code,
      status: mine.status,
      status_at_ms: statusTimeOf(mine.data, mine.status, now),
      applicant_id_number: mine.data.applicant.idNumber ?? null,
      received_at_ms: parseInstant(mine.data.receivedAt),
      data: JSON.stringify(mine.data),
      version: 1,
      created_at_ms: now,
      updated_at_ms: now,
      ...blockingKeys(mine.data),
      held: 0,
      merged_into: null,
    };
    await trx.insertInto('dossiers').values(fresh).execute();
    await trx
      .updateTable('dossier_sources')
      .set({ dossier_id: splitId })
      .where('system', '=', leaving.system)
      .where('record_id', '=', leaving.record_id)
      .execute();
    const moved = await trx
      .updateTable('status_history')
      .set({ dossier_id: splitId })
      .where('dossier_id', '=', row.id)
      .where('source_system', '=', leaving.system)
      .where('source_record_id', '=', leaving.record_id)
      .returningAll()
      .execute();
    const lastMoved = moved
      .filter((h) => h.applied === 1)
      .sort((a, b) => a.at_ms - b.at_ms || a.id - b.id)
      .at(-1);
    if (lastMoved) {
      await trx
        .updateTable('dossiers')
        .set({ status: lastMoved.status, status_at_ms: lastMoved.at_ms })
        .where('id', '=', splitId)
        .execute();
      fresh.status = lastMoved.status;
      fresh.status_at_ms = lastMoved.at_ms;
    }
    await this.queueSync(trx, fresh, 'insert', now);

    // Rebuild the dossier that stays from its first remaining source and its remaining history.
    const base = staying.sort((a, b) => a.first_seen_at_ms - b.first_seen_at_ms)[0];
    const kept = base?.last_input
      ? (JSON.parse(base.last_input) as { data: DossierData; status: DossierStatus })
      : undefined;
    const remaining = await trx
      .selectFrom('status_history')
      .selectAll()
      .where('dossier_id', '=', row.id)
      .where('applied', '=', 1)
      .orderBy('at_ms', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const data = kept?.data ?? (JSON.parse(row.data) as DossierData);
    const rebuilt: DossierRow = {
      ...row,
      agency_code: data.agency.code,
      procedure_code: data.procedure.code,
      status: remaining?.status ?? kept?.status ?? row.status,
      status_at_ms: remaining?.at_ms ?? row.status_at_ms,
      applicant_id_number: data.applicant.idNumber ?? null,
      received_at_ms: parseInstant(data.receivedAt),
      data: JSON.stringify(data),
      version: row.version + 1,
      updated_at_ms: now,
      ...blockingKeys(data),
    };
    await trx.updateTable('dossiers').set(rebuilt).where('id', '=', row.id).execute();
    await this.queueSync(trx, rebuilt, 'update', now);
    await appendLog(
      trx,
      {
        kind: 'dedup.split',
        actor,
        dossierId: row.id,
        data: {
          source: leaving.system,
          recordId: leaving.record_id,
          newDossier: splitId,
          newCode: code,
          movedEvents: moved.length,
        },
      },
      now,
    );
    return { dossierId: row.id, splitId };
  }

  /** Moves a merged dossier's history onto the target; newer legal steps move the target's state. */
  private async moveHistory(
    trx: Transaction<Database>,
    fromId: string,
    target: DossierRow,
    now: number,
  ): Promise<void> {
    const entries = await trx
      .selectFrom('status_history')
      .selectAll()
      .where('dossier_id', '=', fromId)
      .orderBy('at_ms')
      .orderBy('id')
      .execute();
    let current = target;
    for (const e of entries) {
      const dup = await trx
        .selectFrom('status_history')
        .select('id')
        .where('dossier_id', '=', target.id)
        .where('status', '=', e.status)
        .where('at_ms', '=', e.at_ms)
        .executeTakeFirst();
      if (dup) {
        await trx.deleteFrom('status_history').where('id', '=', e.id).execute();
        continue;
      }
      const from = current.status as DossierStatus;
      const to = e.status as DossierStatus;
      const moves =
        e.applied === 1 && e.at_ms >= current.status_at_ms && to !== from && canTransition(from, to);
      await trx
        .updateTable('status_history')
        .set({ dossier_id: target.id, applied: moves ? 1 : 0 })
        .where('id', '=', e.id)
        .execute();
      if (moves) {
        const next: DossierRow = {
          ...current,
          status: to,
          status_at_ms: e.at_ms,
          version: current.version + 1,
          updated_at_ms: now,
        };
        await trx.updateTable('dossiers').set(next).where('id', '=', target.id).execute();
        await this.queueSync(trx, next, 'update', now);
        await this.queueProgress(trx, next, e.id, { status: to, at: e.at, note: e.note ?? undefined }, now);
        current = next;
      }
    }
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
    const row = await findLiveDossier(trx, id);
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
    if (to === 'received' && !data.dueAt && !event.dueAt) {
      throw validationError([
        {
          path: 'dueAt',
          rule: 'due_required_once_received',
          message: 'receiving a dossier needs its due date (dueAt)',
        },
      ]);
    }
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
      if (!(await findDossierByCode(trx, code))) return code; // a source may have used this code itself: skip it
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
    return (await this.addHistoryRow(trx, dossierId, h)).id;
  }

  /** Inserts one status-history row and returns it as stored. */
  private async addHistoryRow(
    trx: Transaction<Database>,
    dossierId: string,
    h: Parameters<IntakeService['addHistory']>[2],
  ): Promise<Selectable<StatusHistoryTable>> {
    const values = {
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
    };
    const { id } = await trx
      .insertInto('status_history')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, ...values };
  }

  private async queueSync(trx: Transaction<Database>, row: DossierRow, op: 'insert' | 'update', now: number) {
    await this.deps.outbox.enqueue(
      trx,
      {
        destination: 'portal',
        kind: 'dossier_sync',
        dossierId: row.id,
        held: row.held === 1,
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
        held: row.held === 1,
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
