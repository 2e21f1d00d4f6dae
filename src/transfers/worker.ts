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
import { appendLog } from '../reconciliation/log.js';
import type { Store } from '../store/store.js';
import type { TransferRow } from '../store/tables.js';
import { CircuitBreaker, type CircuitConfig } from './circuit.js';
import { PORTAL_LIMITS, type PortalMapper, type PortalOutcome, type PortalPort } from './portal.port.js';
import { RateGovernor } from './rate.js';
import { nextAttemptAt, type RetryPolicy } from './retry.js';
import { claimTransfers, type Finish, finishTransfer, latestSyncBefore } from './transfer.store.js';

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

interface Item {
  row: TransferRow;
  code: string;
  wire: unknown;
}

interface Result {
  finish: Finish;
  outcome: string;
  detail: string;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
}

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
  /** Milliseconds spent in portal calls per transfer, within the current round. */
  private spent = new Map<number, number>();
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
    const results = new Map<number, Result>();
    this.spent = new Map();
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
        results.set(row.id, {
          finish: { state: 'dead', error: `cannot map to the portal format: ${(error as Error).message}` },
          outcome: 'dead',
          detail: 'mapping failed',
        });
      }
    }
    const tasks: (() => Promise<void>)[] = [
      ...chunk(items.inserts, PORTAL_LIMITS.dossiers).map((b) => () => this.sendDossiers(b, false, results)),
      ...chunk(items.updates, PORTAL_LIMITS.dossiers).map((b) => () => this.sendDossiers(b, true, results)),
      ...chunk(items.progress, PORTAL_LIMITS.progress).map((b) => () => this.sendProgress(b, results)),
    ];
    await this.pool(tasks, lanes);
    await this.record(claimed, results);
    return claimed.length;
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

  private failAll(batch: Item[], outcome: PortalOutcome, results: Map<number, Result>) {
    const now = this.deps.clock.now();
    for (const item of batch) {
      if (outcome.kind === 'config_fault') {
        results.set(item.row.id, {
          finish: {
            state: 'pending',
            nextAttemptAt: now,
            error: `${outcome.errorCode} ${outcome.message}`,
            countAttempt: false,
          },
          outcome: 'config_fault',
          detail: outcome.message,
          errorCode: outcome.errorCode,
        });
        continue;
      }
      const message = outcome.kind === 'outage' ? outcome.message : `unexpected answer ${outcome.kind}`;
      const retryAfter = outcome.kind === 'outage' ? outcome.retryAfterMs : undefined;
      const attempts = item.row.attempts + 1;
      const at = nextAttemptAt(
        this.deps.config.retry,
        { attempts, createdAtMs: item.row.created_at_ms },
        now,
        retryAfter,
        this.deps.random,
      );
      results.set(item.row.id, {
        finish:
          at === undefined
            ? { state: 'dead', error: `gave up after ${attempts} attempts: ${message}` }
            : { state: 'pending', nextAttemptAt: at, error: message, countAttempt: true },
        outcome: at === undefined ? 'dead' : 'retry',
        detail: message,
        httpStatus: outcome.kind === 'outage' ? outcome.status : undefined,
      });
    }
  }

  /** Adds a call's duration to every transfer it carried (for the reconciliation log). */
  private spend(batch: Item[], ms: number) {
    for (const item of batch) this.spent.set(item.row.id, (this.spent.get(item.row.id) ?? 0) + ms);
  }

  private delivered(batch: Item[], results: Map<number, Result>, detail: string) {
    for (const item of batch)
      results.set(item.row.id, {
        finish: { state: 'delivered' },
        outcome: 'delivered',
        detail,
        errorCode: '00',
      });
  }

  private dead(item: Item, results: Map<number, Result>, reason: string, errorCode: string) {
    results.set(item.row.id, {
      finish: { state: 'dead', error: reason },
      outcome: 'dead',
      detail: reason,
      errorCode,
    });
  }

  /** DongBoHoSoMC with the portal's answers handled: -3 → resend as update, -1 → as insert, 500 → split. */
  private async sendDossiers(
    batch: Item[],
    isUpdating: boolean,
    results: Map<number, Result>,
    depth = 0,
  ): Promise<void> {
    if (batch.length === 0) return;
    const { outcome, ms } = await this.call(() =>
      this.deps.portal.syncDossiers(
        batch.map((i) => i.wire),
        isUpdating,
      ),
    );
    this.spend(batch, ms);
    const split = (codes: string[]) =>
      [batch.filter((i) => codes.includes(i.code)), batch.filter((i) => !codes.includes(i.code))] as const;
    switch (outcome.kind) {
      case 'ok':
        return this.delivered(batch, results, isUpdating ? 'updated' : 'inserted');
      case 'exists': {
        if (isUpdating || depth > 3)
          return this.failAll(batch, { kind: 'outage', message: outcome.message }, results);
        const [existing, rest] = split(outcome.codes);
        if (existing.length === 0)
          return this.failAll(batch, { kind: 'outage', message: outcome.message }, results);
        await this.sendDossiers(existing, true, results, depth + 1);
        return this.sendDossiers(rest, false, results, depth + 1);
      }
      case 'not_found': {
        if (!isUpdating || depth > 3)
          return this.failAll(batch, { kind: 'outage', message: outcome.message }, results);
        const [missing, rest] = split(outcome.codes);
        if (missing.length === 0)
          return this.failAll(batch, { kind: 'outage', message: outcome.message }, results);
        await this.sendDossiers(missing, false, results, depth + 1);
        return this.sendDossiers(rest, true, results, depth + 1);
      }
      case 'data_incorrect':
        return this.splitOnBadData(batch, outcome, results, (b) =>
          this.sendDossiers(b, isUpdating, results, depth + 1),
        );
      default:
        return this.failAll(batch, outcome, results);
    }
  }

  /** CapNhatTienDoHoSoMC; on "Không tìm thấy" the dossier sync goes first, then the progress again. */
  private async sendProgress(batch: Item[], results: Map<number, Result>, depth = 0): Promise<void> {
    if (batch.length === 0) return;
    const { outcome, ms } = await this.call(() => this.deps.portal.pushProgress(batch.map((i) => i.wire)));
    this.spend(batch, ms);
    switch (outcome.kind) {
      case 'ok':
        return this.delivered(batch, results, 'progress appended');
      case 'not_found': {
        const missing = batch.filter((i) => outcome.codes.includes(i.code));
        const rest = batch.filter((i) => !outcome.codes.includes(i.code));
        if (missing.length === 0 || depth > 2)
          return this.failAll(batch, { kind: 'outage', message: outcome.message }, results);
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
        const scratch = new Map<number, Result>();
        await this.sendDossiers(syncs, false, scratch);
        const resent = syncs.every((s) => scratch.get(s.row.id)?.outcome === 'delivered');
        if (!resent)
          return this.failAll(
            batch,
            { kind: 'outage', message: `dossier sync before progress failed: ${outcome.message}` },
            results,
          );
        await this.sendProgress(missing, results, depth + 1);
        return this.sendProgress(rest, results, depth + 1);
      }
      case 'data_incorrect':
        return this.splitOnBadData(batch, outcome, results, (b) => this.sendProgress(b, results, depth + 1));
      default:
        return this.failAll(batch, outcome, results);
    }
  }

  /** DATA_INCORRECT: dead-letter only the named dossier and send the others again; bisect if unnamed. */
  private async splitOnBadData(
    batch: Item[],
    outcome: Extract<PortalOutcome, { kind: 'data_incorrect' }>,
    results: Map<number, Result>,
    resend: (b: Item[]) => Promise<void>,
  ): Promise<void> {
    const reason = `portal refused the data: ${outcome.message}`;
    const bad = outcome.code ? batch.filter((i) => i.code === outcome.code) : [];
    if (bad.length > 0) {
      for (const item of bad) this.dead(item, results, reason, '500');
      return resend(batch.filter((i) => !bad.includes(i)));
    }
    if (batch.length === 1) {
      const [only] = batch;
      if (only) this.dead(only, results, reason, '500');
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await resend(batch.slice(0, half));
    await resend(batch.slice(half));
  }

  /** Writes every attempt's result and its log entry in one transaction. */
  private async record(claimed: TransferRow[], results: Map<number, Result>): Promise<void> {
    const { store, clock, owner } = this.deps;
    const now = clock.now();
    await store.transaction(async (trx) => {
      for (const row of claimed) {
        const r = results.get(row.id) ?? {
          finish: { state: 'pending', nextAttemptAt: now, error: 'not attempted', countAttempt: false },
          outcome: 'released',
          detail: 'not attempted in this round',
        };
        const kept = await finishTransfer(trx, row.id, owner, now, r.finish);
        if (!kept) continue; // our lease ran out and another worker owns it now
        if (r.outcome === 'released') continue;
        await appendLog(
          trx,
          {
            kind: 'transfer.attempt',
            actor: `worker:${owner}`,
            dossierId: row.dossier_id,
            transferId: row.id,
            data: {
              destination: row.destination,
              transferKind: row.kind,
              seq: row.seq,
              attempt: row.attempts + (r.finish.state === 'pending' && !r.finish.countAttempt ? 0 : 1),
              outcome: r.outcome,
              httpStatus: r.httpStatus,
              errorCode: r.errorCode,
              durationMs: this.spent.get(row.id),
              error: r.finish.state === 'delivered' ? undefined : r.detail,
            },
          },
          now,
        );
      }
    });
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
