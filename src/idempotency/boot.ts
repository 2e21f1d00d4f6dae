/**
 * The boot of a gateway process: a fresh id at start, registered with its pid and a heartbeat time the
 * running process moves forward every `BOOT_HEARTBEAT_MS`, and deleted at a clean shutdown. A boot is
 * alive while its row is there and its heartbeat is younger than `BOOT_STALE_MS`, and, when it ran on
 * this same host, while its process exists; an Idempotency-Key reserved by a boot that is not alive is
 * taken over by the next request at once (`reserve.ts`, docs/api-errors.md). A process that crashed on
 * this host is seen gone at once (its pid no longer exists); one on another host (or in another
 * container, whose pids mean nothing here) once its heartbeat is stale.
 */
import { newId } from '../lib/crypto.js';
import type { Clock } from '../lib/time.js';
import type { Db, Store } from '../store/store.js';
import { deleteBoot, deleteBootsBeatBefore, findBoot, putBoot } from './boot.store.js';

/** How often a running process moves its heartbeat forward. */
export const BOOT_HEARTBEAT_MS = 2_000;
/** A boot whose heartbeat is older than this is dead: five beats missed. */
export const BOOT_STALE_MS = 10_000;

export interface Boot {
  readonly id: string;
  readonly pid: number;
  /** The host name the process runs on: pids are compared only between boots of one host. */
  readonly host: string;
}

/** Registers a new boot for this process, first sweeping the boots of processes that died. */
export async function registerBoot(db: Db, nowMs: number, pid: number, host: string): Promise<Boot> {
  await deleteBootsBeatBefore(db, nowMs - BOOT_STALE_MS);
  const boot = { id: newId(), pid, host };
  await putBoot(db, { ...boot, nowMs });
  return boot;
}

/** Whether a process of this host is gone: `kill(pid, 0)` says no such process (ESRCH). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists under another user; anything else: we cannot tell, so it is not gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Whether boot `id` is alive at `nowMs`: its row is there, its heartbeat is recent, and, when `here`
 * names the host it ran on, `gone` does not say its process has ended.
 */
export async function bootIsAlive(
  db: Db,
  id: string,
  nowMs: number,
  here?: { host: string; gone: (pid: number) => boolean },
): Promise<boolean> {
  const boot = await findBoot(db, id);
  if (boot === undefined || boot.heartbeatAtMs <= nowMs - BOOT_STALE_MS) return false;
  return !(here && boot.host === here.host && here.gone(boot.pid));
}

export interface Heartbeat {
  /** Stops the heartbeat and ends the boot (a clean shutdown): its keys are free at once. */
  stop(): Promise<void>;
}

/**
 * Moves the boot's heartbeat forward every `everyMs` (re-inserting its row if a start swept it while
 * this process stalled). Each beat is a unit of work of its own, so it also tells the store that the
 * storage takes writes again after a failure (`src/store/storage.ts`) when no request does. A failed
 * beat is reported and the next one tries again.
 */
export function keepBootAlive(
  store: Pick<Store, 'transaction' | 'db'>,
  boot: Boot,
  clock: Clock,
  onError: (error: unknown) => void,
  everyMs = BOOT_HEARTBEAT_MS,
): Heartbeat {
  let beating: Promise<void> = Promise.resolve();
  const beat = () => store.transaction((trx) => putBoot(trx, { ...boot, nowMs: clock.now() }));
  const timer = setInterval(() => {
    beating = beating.then(beat).catch(onError);
  }, everyMs);
  timer.unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await beating;
      await deleteBoot(store.db, boot.id);
    },
  };
}
