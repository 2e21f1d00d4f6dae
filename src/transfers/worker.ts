/**
 * The delivery worker: claims due transfers with a lease, batches them up to the portal's limits,
 * delivers them, and records every attempt in the reconciliation log. An outage only delays: failed
 * attempts are rescheduled (backoff with full jitter, or the portal's Retry-After) in the store, and a
 * transfer is dead-lettered only when its attempts or age run out or the portal calls its data wrong.
 *
 * Order: only the head of each (destination, dossier) queue is ever claimed, so a dossier's transfers go
 * out one after another, while different dossiers travel in parallel batches. A resend repeats exactly
 * what was sent before, because payloads are frozen at enqueue time and the mapping is deterministic.
 */

import type { Clock } from '../lib/time.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { TransferRow } from '../store/tables.js';
import { CircuitBreaker, type CircuitConfig } from './circuit.js';
import { claimRound } from './claim-round.js';
import {
  type PortalMapper,
  type PortalOutcome,
  type PortalPort,
  PROGRESS_BATCH_LIMIT,
} from './portal.port.js';
import { RateGovernor } from './rate.js';
import { recordAttempts } from './record-attempts.js';
import type { RetryPolicy } from './retry.js';
import { type Item, type Reschedule, Round } from './round.js';
import { latestSyncBefore } from './transfer.store.js';

export interface WorkerConfig {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  retry: RetryPolicy;
  circuit: CircuitConfig;
  /** Dossier objects per DongBoHoSoMC call (PORTAL_SYNC_BATCH_SIZE, docs/portal-contract.md). */
  syncBatchSize: number;
}

export interface WorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  portal: PortalPort;
  mapper: PortalMapper;
  config: WorkerConfig;
  owner: string;
  random?: () => number;
}

const DESTINATION = 'portal';
/** How many times one round may resend a batch in another form (update, insert, halves) before giving up. */
const MAX_RESENDS = 8;

type Classified = 'success' | 'outage' | 'fault' | 'other';

/** The items whose code is in `codes`, and the others. */
function partition(batch: Item[], codes: readonly string[]): [Item[], Item[]] {
  return [batch.filter((i) => codes.includes(i.code)), batch.filter((i) => !codes.includes(i.code))];
}

/** Sends the two halves of a batch one after the other. */
async function halves(batch: Item[], send: (b: Item[]) => Promise<void>): Promise<void> {
  const half = Math.ceil(batch.length / 2);
  await send(batch.slice(0, half));
  await send(batch.slice(half));
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export class TransferWorker {
  readonly circuit: CircuitBreaker;
  private running = false;
  /** Learns the destination's capacity from 429s and keeps calls under it. */
  private readonly rate = new RateGovernor();
  /** Set by a 429: no calls before this instant. */
  private pausedUntil = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: WorkerDeps) {
    this.circuit = new CircuitBreaker(deps.store, DESTINATION, deps.config.circuit, deps.config.leaseMs);
  }

  /** One round: claim what is due, deliver it, record it. Returns how many transfers were handled. */
  async tick(lanes = this.deps.config.concurrency): Promise<number> {
    const { store, clock, config, owner } = this.deps;
    const now = clock.now();
    if (now < this.pausedUntil) return 0;
    const claimed = await claimRound(store.db, this.circuit, {
      destination: DESTINATION,
      owner,
      now,
      leaseMs: config.leaseMs,
      limit: lanes * Math.max(config.syncBatchSize, PROGRESS_BATCH_LIMIT),
    });
    if (claimed.length === 0) return 0;
    // Everything this round learns stays in `round`: other lanes run their own rounds meanwhile.
    const round = new Round();
    const items = this.prepare(claimed, round);
    const tasks: (() => Promise<void>)[] = [
      ...chunk(items.inserts, config.syncBatchSize).map((b) => () => this.sendDossiers(b, false, round)),
      ...chunk(items.updates, config.syncBatchSize).map((b) => () => this.sendDossiers(b, true, round)),
      ...chunk(items.progress, PROGRESS_BATCH_LIMIT).map((b) => () => this.sendProgress(b, round)),
    ];
    await this.pool(tasks, lanes);
    await recordAttempts(this.deps, claimed, round);
    return claimed.length;
  }

  /** Maps each claimed row to its wire form, sorted by call; a row that cannot be mapped is dead. */
  private prepare(
    claimed: TransferRow[],
    round: Round,
  ): { inserts: Item[]; updates: Item[]; progress: Item[] } {
    const items: { inserts: Item[]; updates: Item[]; progress: Item[] } = {
      inserts: [],
      updates: [],
      progress: [],
    };
    for (const row of claimed) {
      try {
        if (row.kind === 'progress') {
          const m = this.deps.mapper.progress(JSON.parse(row.payload));
          items.progress.push({ row, code: m.code, wire: m.record });
        } else {
          const m = this.deps.mapper.dossier(JSON.parse(row.payload));
          const op = (JSON.parse(row.payload) as { op?: string }).op;
          (op === 'update' ? items.updates : items.inserts).push({ row, code: m.code, wire: m.object });
        }
      } catch (error) {
        round.unmappable(row, error as Error);
      }
    }
    return items;
  }

  private async pool(tasks: (() => Promise<void>)[], size: number): Promise<void> {
    let next = 0;
    const run = async () => {
      while (next < tasks.length) {
        if (this.deps.clock.now() < this.pausedUntil) return; // rate limited: the rest go back unattempted
        const task = tasks[next++];
        if (task) await task();
      }
    };
    await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, run));
  }

  /** Calls the portal once and feeds the circuit breaker. */
  private async call(fn: () => Promise<PortalOutcome>): Promise<{ outcome: PortalOutcome; ms: number }> {
    await this.rate.acquire();
    const t0 = performance.now();
    let outcome: PortalOutcome;
    try {
      outcome = await fn();
    } catch (error) {
      outcome = { kind: 'outage', message: error instanceof Error ? error.message : String(error) };
    }
    const ms = Math.round(performance.now() - t0);
    const kind: Classified =
      outcome.kind === 'outage'
        ? 'outage'
        : outcome.kind === 'config_fault'
          ? 'fault'
          : outcome.kind === 'ok'
            ? 'success'
            : 'other';
    const now = this.deps.clock.now();
    if (outcome.kind !== 'outage') this.rate.succeeded();
    if (outcome.kind === 'outage' && outcome.status === 429) {
      // Rate limited: the portal is up and asked us to slow down. Pause this worker until Retry-After
      // (or a base delay) instead of counting toward the circuit; the batch is rescheduled by failAll.
      this.pausedUntil = Math.max(
        this.pausedUntil,
        now + (outcome.retryAfterMs ?? this.deps.config.retry.baseMs),
      );
      this.rate.limited();
      this.deps.logger.debug('portal rate limit: paused', {
        until: this.pausedUntil,
        perSecond: this.rate.perSecond,
      });
      return { outcome, ms };
    }
    if (kind === 'success' || kind === 'other') await this.circuit.success(now);
    else {
      const message = outcome.kind === 'ok' ? '' : outcome.message;
      const state = await this.circuit.failure(
        now,
        outcome.kind === 'config_fault' ? `${outcome.errorCode} ${message}` : message,
        kind === 'fault',
      );
      if (kind === 'fault') {
        this.deps.logger.error('portal configuration fault: circuit opened, operators must act', {
          destination: DESTINATION,
          message: outcome.kind === 'config_fault' ? outcome.message : '',
        });
      } else if (state === 'open') {
        this.deps.logger.warn('portal unreachable: circuit opened', {
          destination: DESTINATION,
          error: message,
        });
      }
    }
    return { outcome, ms };
  }

  /** How a failed call's transfers are rescheduled, as of now. */
  private reschedule(): Reschedule {
    return { retry: this.deps.config.retry, now: this.deps.clock.now(), random: this.deps.random };
  }

  /**
   * DongBoHoSoMC with the portal's answers handled (docs/portal-contract.md, Answers): "đã tồn tại" →
   * the named dossiers, or every one when none is named, again as updates; "không tìm thấy" → the named
   * ones as inserts (unnamed: halves, down to one dossier); a refusal naming dossiers → those dead.
   */
  private async sendDossiers(batch: Item[], isUpdating: boolean, round: Round, depth = 0): Promise<void> {
    if (batch.length === 0) return;
    const { outcome, ms } = await this.call(() =>
      this.deps.portal.syncDossiers(
        batch.map((i) => i.wire),
        isUpdating,
      ),
    );
    round.spend(batch, ms);
    const again = (b: Item[], asUpdate: boolean) => this.sendDossiers(b, asUpdate, round, depth + 1);
    switch (outcome.kind) {
      case 'ok':
        return round.delivered(batch, isUpdating ? 'updated' : 'inserted');
      case 'exists': {
        if (isUpdating || depth >= MAX_RESENDS) return this.giveUp(batch, outcome.message, round);
        const [held, rest] = partition(
          batch,
          outcome.codes.length > 0 ? outcome.codes : batch.map((i) => i.code),
        );
        await again(held, true);
        return again(rest, false);
      }
      case 'not_found': {
        if (!isUpdating || depth >= MAX_RESENDS) return this.giveUp(batch, outcome.message, round);
        if (outcome.codes.length === 0 && batch.length > 1) return halves(batch, (b) => again(b, true));
        const [missing, rest] = partition(
          batch,
          outcome.codes.length > 0 ? outcome.codes : batch.map((i) => i.code),
        );
        await again(missing, false);
        return again(rest, true);
      }
      case 'refused':
        return this.dropRefused(batch, outcome, round, (b) => again(b, isUpdating));
      default:
        return round.failAll(batch, outcome, this.reschedule());
    }
  }

  /** An answer this round cannot act on: the batch is retried later, as after an outage. */
  private giveUp(batch: Item[], message: string, round: Round): void {
    round.failAll(batch, { kind: 'outage', message }, this.reschedule());
  }

  /** CapNhatTienDoHoSoMC; on "Không tìm thấy" the dossier sync goes first, then the progress again. */
  private async sendProgress(batch: Item[], round: Round, depth = 0): Promise<void> {
    if (batch.length === 0) return;
    const { outcome, ms } = await this.call(() => this.deps.portal.pushProgress(batch.map((i) => i.wire)));
    round.spend(batch, ms);
    switch (outcome.kind) {
      case 'ok':
        return round.delivered(batch, 'progress appended');
      case 'not_found': {
        // None named: every dossier of the call is synced first (a sync of a held one becomes an update).
        const [missing, rest] = partition(
          batch,
          outcome.codes.length > 0 ? outcome.codes : batch.map((i) => i.code),
        );
        if (missing.length === 0 || depth > 2) return this.giveUp(batch, outcome.message, round);
        const syncs: Item[] = [];
        for (const item of missing) {
          const sync = await latestSyncBefore(
            this.deps.store.db,
            DESTINATION,
            item.row.dossier_id,
            item.row.seq,
          );
          if (!sync) continue;
          const m = this.deps.mapper.dossier(JSON.parse(sync.payload));
          syncs.push({ row: sync, code: m.code, wire: m.object });
        }
        const scratch = round.scratch();
        await this.sendDossiers(syncs, false, scratch);
        const resent = syncs.every((s) => scratch.results.get(s.row.id)?.outcome === 'delivered');
        if (!resent)
          return round.failAll(
            batch,
            { kind: 'outage', message: `dossier sync before progress failed: ${outcome.message}` },
            this.reschedule(),
          );
        await this.sendProgress(missing, round, depth + 1);
        return this.sendProgress(rest, round, depth + 1);
      }
      case 'refused':
        return this.dropRefused(batch, outcome, round, (b) => this.sendProgress(b, round, depth + 1));
      default:
        return round.failAll(batch, outcome, this.reschedule());
    }
  }

  /**
   * A refusal naming dossiers: those are dead-lettered with the portal's message and the others sent
   * again. A whole call refused before sending (over the limit) is sent again in halves.
   */
  private async dropRefused(
    batch: Item[],
    outcome: Extract<PortalOutcome, { kind: 'refused' }>,
    round: Round,
    resend: (b: Item[]) => Promise<void>,
  ): Promise<void> {
    const reason =
      outcome.errorCode === 'NOT_SENT'
        ? outcome.message
        : `portal refused the data (error_code ${outcome.errorCode}): ${outcome.message}`;
    const [bad, rest] = partition(batch, outcome.codes);
    if (bad.length > 0) {
      for (const item of bad) round.dead(item, reason, outcome.errorCode);
      return resend(rest);
    }
    if (batch.length > 1) return halves(batch, resend);
    for (const item of batch) round.dead(item, reason, outcome.errorCode);
  }

  /**
   * Runs until stopped, in `concurrency` independent lanes of one batch each, so one lane's recording
   * overlaps the others' calls; a lane sleeps `pollMs` when it finds nothing to do.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const wakers = new Set<() => void>();
    this.wake = () => {
      for (const w of wakers) w();
    };
    const lane = async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.tick(1);
        } catch (error) {
          this.deps.logger.error('delivery round failed', { error });
        }
        if (handled === 0 && this.running) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              wakers.delete(done);
              resolve();
            };
            const timer = setTimeout(done, this.deps.config.pollMs);
            wakers.add(done);
          });
        }
      }
    };
    this.loop = Promise.all(Array.from({ length: this.deps.config.concurrency }, lane)).then(() => undefined);
  }

  /** Asks for a round now (e.g. right after new transfers were queued). */
  poke(): void {
    this.wake?.();
  }

  /** Stops after the current round; claims of an unfinished round come back when their lease ends. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
