/**
 * Use case: one poll round of one departmental system that cannot push (docs/departments.md, Pull).
 * Pages of its change feed are read after the stored cursor; each change is mapped through the profile
 * and fed into the same intake as a REST push by that system (its own API client's principal, the same
 * schema, `push` or `recordEvent`: same validation, dedup, idempotency by record id, outcome), and the
 * cursor moves past it IN THE SAME TRANSACTION, so a restart or an outage neither loses nor repeats a
 * change. A change that does not map or is refused by the intake is recorded (a log entry with its
 * position, record id and the failing fields' paths and rules: no values) and the cursor moves past it in
 * its own transaction, so one bad change never blocks the feed. A feed that does not answer ends the
 * round where it stands: nothing moved. The cursor only moves from where this round found it, so two
 * pollers of one system (two processes) never take a change twice: the later one's unit rolls back.
 */
import {
  changeFromSystem,
  type FeedChange,
  feedPage,
  positionOf,
} from '../../mappings/departments/changes.js';
import { profileNamed } from '../../mappings/departments/index.js';
import type { DepartmentProfile, PollSection } from '../../mappings/departments/profile.js';
import {
  type DossierInput,
  DossierInputSchema,
  type StatusEventInput,
  StatusEventInputSchema,
} from '../../schemas/dossier.js';
import type { Principal } from '../clients/client.js';
import { systemPrincipal } from '../clients/system-principal.js';
import { fieldErrors } from '../http/problem.js';
import type { IntakeDeps } from '../intake/intake.context.js';
import { writeContext } from '../intake/intake.context.js';
import { push } from '../intake/push.js';
import { recordEvent } from '../intake/record-event.js';
import { DomainError, StorageUnavailable, Validation } from '../lib/errors.js';
import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import { maskText } from '../log/mask.js';
import { appendLog } from '../reconciliation/log.js';
import type { Store, Trx } from '../store/store.js';
import { findCursor, moveCursor, notePoll } from './cursor.store.js';
import { type DestinationRecord, findDestinationSecret } from './destination.store.js';
import type { DepartmentFeedPort } from './feed.port.js';
import type { SecretBox } from './secret-box.js';

export interface PollDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  intake: IntakeDeps;
  feed: DepartmentFeedPort;
  secrets: SecretBox | undefined;
}

export interface PollResult {
  /** Changes taken into the intake, and changes recorded as bad and skipped. */
  taken: number;
  bad: number;
  /** Whether the cursor moved this round. */
  moved: boolean;
  /** The feed has more after the last page read (the round's page limit was reached). */
  more: boolean;
  /** Why the round stopped early (the feed failed, or the system cannot be polled). */
  failure?: string;
}

/** Pages read per round at most: a long backlog is taken over several rounds. */
const MAX_PAGES = 10;

/** One round's locals: who is polled, as whom, with what. */
interface Round {
  deps: PollDeps;
  system: string;
  profile: DepartmentProfile;
  poll: PollSection;
  principal: Principal;
}

type FieldRef = { path: string; rule: string };
type Move = { from: string | null; to: string };

/** Moves the cursor inside `trx` from where this round left it, or throws (rolling the unit back). */
async function moveOrThrow(trx: Trx, r: Round, move: Move, now: number, counted: 'taken' | 'bad' | 'none') {
  if (!(await moveCursor(trx, r.system, move, now, counted)))
    throw new Error(
      `the cursor of ${r.system} moved under this round (another poller?): nothing taken twice`,
    );
}

/** The canonical input a dossier change stands for, before validation (the same schema as REST). */
function dossierInput(change: Extract<FeedChange, { kind: 'dossier' }>): Record<string, unknown> {
  const d = change.dossier;
  const a = d.applicant;
  return {
    source: { recordId: change.recordId },
    code: d.code,
    procedure: d.procedure,
    agency: d.agency,
    applicant: {
      type: a.type,
      fullName: a.fullName,
      ...(a.idNumber ? { idNumber: a.idNumber } : {}),
      ...(a.phone ? { phone: a.phone } : {}),
      ...(a.address ? { address: { line: a.address } } : {}),
    },
    ...(d.summary ? { summary: d.summary } : {}),
    channel: d.channel,
    receivedAt: d.receivedAt,
    ...(d.dueAt ? { dueAt: d.dueAt } : {}),
    status: d.status,
  };
}

/** What the log may say of a refusal: paths and rules, never the values or messages. */
function refsOf(error: DomainError): FieldRef[] {
  if (error instanceof Validation) return error.errors.map(({ path, rule }) => ({ path, rule }));
  const field = error.extra?.field;
  return [{ path: typeof field === 'string' ? field : '', rule: error.kind }];
}

/** Records a change the intake cannot take, and moves the cursor past it. */
async function refuse(r: Round, move: Move, what: { recordId?: string; kind?: string }, errors: FieldRef[]) {
  const { store, clock, logger } = r.deps;
  const now = clock.now();
  const data = { position: move.to, ...what, errors };
  await store.transaction(async (trx) => {
    await moveOrThrow(trx, r, move, now, 'bad');
    await appendLog(trx, { kind: 'department.change_refused', actor: r.system, data }, now);
  });
  logger.warn('department change refused: recorded and skipped', { system: r.system, ...data });
  return 'bad' as const;
}

/** Takes one change in (or records it as bad); the cursor moves with it. Storage failures throw. */
async function ingest(r: Round, item: Record<string, unknown>, move: Move): Promise<'taken' | 'bad'> {
  let change: FeedChange;
  try {
    change = changeFromSystem(r.profile, item);
  } catch {
    return refuse(r, move, {}, [{ path: 'change', rule: 'unmappable' }]);
  }
  const what = { recordId: change.recordId, kind: change.kind };
  const parsed =
    change.kind === 'dossier'
      ? DossierInputSchema.safeParse(dossierInput(change))
      : StatusEventInputSchema.safeParse(change.event);
  if (!parsed.success) {
    return refuse(
      r,
      move,
      what,
      fieldErrors(parsed.error).map(({ path, rule }) => ({ path, rule })),
    );
  }
  const { store, intake } = r.deps;
  try {
    await store.transaction(async (trx) => {
      const ctx = writeContext(trx, intake);
      if (change.kind === 'dossier') await push(ctx, r.principal, parsed.data as DossierInput);
      else
        await recordEvent(ctx, r.principal, { recordId: change.recordId }, parsed.data as StatusEventInput);
      await moveOrThrow(trx, r, move, ctx.now, 'taken');
    });
    return 'taken';
  } catch (error) {
    if (error instanceof DomainError && !(error instanceof StorageUnavailable))
      return refuse(r, move, what, refsOf(error));
    throw error;
  }
}

/** Ends a round that could not go on; what it took so far stays taken. */
async function stop(
  deps: PollDeps,
  system: string,
  result: PollResult,
  failure: string,
): Promise<PollResult> {
  await notePoll(deps.store.db, system, deps.clock.now(), failure);
  return { ...result, failure };
}

/** The round's system, profile and principal, or why it cannot be polled. */
async function roundOf(deps: PollDeps, d: DestinationRecord): Promise<Round | string> {
  const profile = profileNamed(d.profile);
  if (!profile?.poll) return `profile ${d.profile} has no poll section`;
  const principal = await systemPrincipal(deps.store.db, d.system);
  if (!principal) return `no active department client of system ${d.system}`;
  return { deps, system: d.system, profile, poll: profile.poll, principal };
}

/** One round: pages after the stored cursor until the feed has no more (at most MAX_PAGES). */
export async function pollDepartment(deps: PollDeps, destination: DestinationRecord): Promise<PollResult> {
  const result: PollResult = { taken: 0, bad: 0, moved: false, more: false };
  const system = destination.system;
  const r = await roundOf(deps, destination);
  if (typeof r === 'string') return stop(deps, system, result, r);
  const sealed = (await findDestinationSecret(deps.store.db, system)) ?? '';
  const credentials = deps.secrets?.isSealed(sealed) ? deps.secrets.open(sealed) : sealed;
  const { poll } = r;
  let cursor = (await findCursor(deps.store.db, system))?.cursor ?? null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string> = { [poll.sizeParam]: String(poll.pageSize) };
    if (cursor !== null) query[poll.cursorParam] = cursor;
    const call = { baseUrl: destination.baseUrl, auth: r.profile.auth, credentials, path: poll.path, query };
    const read = await deps.feed.read(call);
    if (read.kind === 'failed') return stop(deps, system, result, maskText(read.message));
    let items: Record<string, unknown>[];
    let next: string | undefined;
    try {
      ({ items, nextCursor: next } = feedPage(poll, read.answer));
    } catch (error) {
      return stop(deps, system, result, `bad answer: ${(error as Error).message}`);
    }
    for (const item of items) {
      const position = positionOf(poll, item);
      if (position === undefined) return stop(deps, system, result, `a change without ${poll.positionField}`);
      result[await ingest(r, item, { from: cursor, to: position })] += 1;
      result.moved = true;
      cursor = position;
    }
    if (next !== undefined && next !== cursor) {
      const move = { from: cursor, to: next };
      await deps.store.transaction((trx) => moveOrThrow(trx, r, move, deps.clock.now(), 'none'));
      cursor = next;
      result.moved = true;
    }
    if (items.length < poll.pageSize) {
      await notePoll(deps.store.db, system, deps.clock.now(), null);
      return result;
    }
  }
  await notePoll(deps.store.db, system, deps.clock.now(), null);
  return { ...result, more: true };
}
