/**
 * Use case: the health of each destination for the operators: circuit, queue sizes (pending, held,
 * dead, blocked behind a dead letter), the oldest pending transfer's age, last success, last error and
 * alert; plus how many dedup reviews wait, the SMS backlog in a field of its own, and each registered
 * departmental destination with its poller (docs/departments.md, Health). Any alert makes the whole
 * status `alert`; an open circuit or a dead letter makes it `degraded`.
 */
import type { z } from '@hono/zod-openapi';
import type { HealthSchema } from '../../schemas/ops.js';
import { countPendingReviews } from '../dedup/review.store.js';
import { findCursor } from '../departments/cursor.store.js';
import { listDestinations } from '../departments/destination.store.js';
import { toVnIso } from '../lib/time.js';
import { postalHealth } from '../postal/postal-health.js';
import type { Db } from '../store/store.js';
import { findDestination } from './destination.store.js';
import { DESTINATIONS } from './outbox.js';
import { countBlocked, countQueuedByState } from './transfer.store.js';

export type Health = z.infer<typeof HealthSchema>;
type DestinationHealth = Health['destinations'][number];
type DepartmentHealth = Health['departments'][number];

/** One destination's health at `now`. */
async function healthOf(db: Db, name: string, now: number): Promise<DestinationHealth> {
  const d = await findDestination(db, name);
  const counts = await countQueuedByState(db, name);
  const n = (s: string) => Number(counts.find((r) => r.state === s)?.n ?? 0);
  const oldest = counts
    .filter((r) => r.state === 'pending' || r.state === 'in_flight')
    .map((r) => r.oldest)
    .filter((v): v is number => v !== null);
  const blocked = await countBlocked(db, name);
  return {
    name,
    circuit: d?.circuit ?? 'closed',
    pending: n('pending') + n('in_flight'),
    held: n('held'),
    oldestPendingAgeMs: oldest.length > 0 ? now - Math.min(...oldest) : null,
    dead: n('dead'),
    blocked,
    lastSuccessAt: d?.last_success_ms ? toVnIso(d.last_success_ms) : null,
    lastError: d?.last_error ?? null,
    lastErrorAt: d?.last_error_ms ? toVnIso(d.last_error_ms) : null,
    alert: d?.alert ?? null,
  };
}

/** A departmental destination's health: its outbox lane, and its poller when it is polled. */
async function departmentHealth(
  db: Db,
  d: { system: string; pull: boolean },
  now: number,
): Promise<DepartmentHealth> {
  const lane = await healthOf(db, d.system, now);
  const c = d.pull ? await findCursor(db, d.system) : undefined;
  const at = (ms: number | null | undefined) => (ms ? toVnIso(ms) : null);
  const pull = d.pull
    ? {
        changes: c?.changes ?? 0,
        badChanges: c?.badChanges ?? 0,
        lastPolledAt: at(c?.polledAtMs),
        lastMovedAt: at(c?.movedAtMs),
        lastError: c?.lastError ?? null,
        lastErrorAt: at(c?.lastErrorMs),
      }
    : null;
  return { ...lane, pull };
}

/** Every destination's health, the overall status and the dedup reviews waiting, at `now`. */
export async function destinationHealth(db: Db, now: number): Promise<Health> {
  const destinations: DestinationHealth[] = [];
  // SMS notices have their own field, `sms` (docs/sms.md): a backlog of texts is not a system's health.
  for (const name of DESTINATIONS) if (name !== 'sms') destinations.push(await healthOf(db, name, now));
  const reviewsPending = await countPendingReviews(db);
  const sms = await healthOf(db, 'sms', now);
  const departments: DepartmentHealth[] = [];
  for (const d of await listDestinations(db)) departments.push(await departmentHealth(db, d, now));
  const all = [...destinations, sms, ...departments];
  const status = all.some((d) => d.alert)
    ? 'alert'
    : all.some((d) => d.circuit !== 'closed' || d.dead > 0)
      ? 'degraded'
      : 'ok';
  return { status, destinations, reviewsPending, sms, departments, postal: await postalHealth(db, now) };
}
