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
import { PORTAL_LIMITS, type PortalMapper, type PortalOutcome, type PortalPort } from './portal.port.js';
import { RateGovernor } from './rate.js';
import { recordAttempts } from './record-attempts.js';
import type { RetryPolicy } from './retry.js';
import { type Item, type Reschedule, Round } from './round.js';
import { claimTransfers, latestSyncBefore } from './transfer.store.js';

export interface WorkerConfig {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  retry: RetryPolicy;
  circuit: CircuitConfig;
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

type Classified = 'success' | 'outage' | 'fault' | 'other';

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
    const admission = await this.circuit.admit(owner, now);
    if (admission === 'open') return 0;
    const claimed = await claimTransfers(store.db, {
      destination: DESTINATION,
      owner,
      now,
      leaseMs: config.leaseMs,
      limit: admission === 'probe' ? 1 : lanes * PORTAL_LIMITS.dossiers,
    });
    if (claimed.length === 0) {
      if (admission === 'probe') await this.circuit.success(now); // nothing to probe with: let traffic decide
      return 0;
    }
    // Everything this round learns stays in `round`: other lanes run their own rounds meanwhile.
    const round = new Round();
    const items = this.prepare(claimed, round);
    const tasks: (() => Promise<void>)[] = [
      ...chunk(items.inserts, PORTAL_LIMITS.dossiers).map((b) => () => this.sendDossiers(b, false, round)),
      ...chunk(items.updates, PORTAL_LIMITS.dossiers).map((b) => () => this.sendDossiers(b, true, round)),
      ...chunk(items.progress, PORTAL_LIMITS.progress).map((b) => () => this.sendProgress(b, round)),
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

  /** DongBoHoSoMC with the portal's answers handled: -3 → resend as update, -1 → as insert, 500 → split. */
  private async sendDossiers(batch: Item[], isUpdating: boolean, round: Round, depth = 0): Promise<void> {
    if (batch.length === 0) return;
    const { outcome, ms } = await this.call(() =>
      this.deps.portal.syncDossiers(
        batch.map((i) => i.wire),
        isUpdating,
      ),
    );
    round.spend(batch, ms);
    const split = (codes: string[]) =>
      [batch.filter((i) => codes.includes(i.code)), batch.filter((i) => !codes.includes(i.code))] as const;
    switch (outcome.kind) {
      case 'ok':
        return round.delivered(batch, isUpdating ? 'updated' : 'inserted');
      case 'exists': {
        if (isUpdating || depth > 3)
          return round.failAll(batch, { kind: 'outage', message: outcome.message }, this.reschedule());
        const [existing, rest] = split(outcome.codes);
        if (existing.length === 0)
          return round.failAll(batch, { kind: 'outage', message: outcome.message }, this.reschedule());
        await this.sendDossiers(existing, true, round, depth + 1);
        return this.sendDossiers(rest, false, round, depth + 1);
      }
      case 'not_found': {
        if (!isUpdating || depth > 3)
          return round.failAll(batch, { kind: 'outage', message: outcome.message }, this.reschedule());
        const [missing, rest] = split(outcome.codes);
        if (missing.length === 0)
          return round.failAll(batch, { kind: 'outage', message: outcome.message }, this.reschedule());
        await this.sendDossiers(missing, false, round, depth + 1);
        return this.sendDossiers(rest, true, round, depth + 1);
      }
      case 'data_incorrect':
        return this.splitOnBadData(batch, outcome, round, (b) =>
          this.sendDossiers(b, isUpdating, round, depth + 1),
        );
      default:
        return round.failAll(batch, outcome, this.reschedule());
    }
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
        const missing = batch.filter((i) => outcome.codes.includes(i.code));
        const rest = batch.filter((i) => !outcome.codes.includes(i.code));
        if (missing.length === 0 || depth > 2)
          return round.failAll(batch, { kind: 'outage', message: outcome.message }, this.reschedule());
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
      case 'data_incorrect':
        return this.splitOnBadData(batch, outcome, round, (b) => this.sendProgress(b, round, depth + 1));
      default:
        return round.failAll(batch, outcome, this.reschedule());
    }
  }

  /** DATA_INCORRECT: dead-letter only the named dossier and send the others again; bisect if unnamed. */
  private async splitOnBadData(
    batch: Item[],
    outcome: Extract<PortalOutcome, { kind: 'data_incorrect' }>,
    round: Round,
    resend: (b: Item[]) => Promise<void>,
  ): Promise<void> {
    const reason = `portal refused the data: ${outcome.message}`;
    const bad = outcome.code ? batch.filter((i) => i.code === outcome.code) : [];
    if (bad.length > 0) {
      for (const item of bad) round.dead(item, reason, '500');
      return resend(batch.filter((i) => !bad.includes(i)));
    }
    if (batch.length === 1) {
      const [only] = batch;
      if (only) round.dead(only, reason, '500');
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await resend(batch.slice(0, half));
    await resend(batch.slice(half));
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
