/** The operators' use cases (list, replay, destination health) and the filter they share, on a real SQLite file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toVnIso } from '../../src/lib/time.js';
import { ensureDestination, recordDestinationFailure } from '../../src/transfers/destination.store.js';
import { destinationHealth } from '../../src/transfers/destination-health.js';
import { listTransfers } from '../../src/transfers/list-transfers.js';
import { replayTransfers } from '../../src/transfers/replay-transfers.js';
import { toTransferFilter } from '../../src/transfers/transfer-filter.js';
import {
  addDossier,
  addTransfer,
  closeTestStore,
  openTestStore,
  resetSeqs,
  type TestStore,
} from './store-fixture.js';

let s: TestStore;
beforeEach(async () => {
  resetSeqs();
  s = await openTestStore();
  addDossier(s, 'd1');
  addDossier(s, 'd2', '000.00.16.H24');
});
afterEach(async () => {
  await closeTestStore(s);
});

const NOW = Date.parse('2027-01-15T00:00:00Z');
const principal = { id: 'c-1', name: 'ops', role: 'operator' as const, system: null, agencies: [] };

describe('transfer filter', () => {
  it('turns ISO instants into milliseconds and keeps only what was given', () => {
    expect(toTransferFilter({})).toEqual({
      destination: undefined,
      agency: undefined,
      dossierId: undefined,
      fromMs: undefined,
      toMs: undefined,
    });
    expect(
      toTransferFilter({ agency: 'A', from: '2027-01-15T07:00:00+07:00', to: '2027-01-15T00:00:01Z' }),
    ).toMatchObject({ agency: 'A', fromMs: NOW, toMs: NOW + 1000 });
  });
});

describe('listTransfers', () => {
  it('answers one page in the API shape, with the cursor of the next page', async () => {
    const a = await addTransfer(s, 'd1', { state: 'dead', last_error: 'boom', created_at_ms: NOW });
    const b = await addTransfer(s, 'd1', { state: 'dead', attempts: 2, next_attempt_at_ms: NOW + 5 });
    await addTransfer(s, 'd2', { state: 'dead' });
    const first = await listTransfers(s.db, { state: 'dead', limit: 2 });
    expect(first.nextAfter).toBe(b);
    expect(first.items[0]).toEqual({
      id: a,
      destination: 'portal',
      kind: 'dossier_sync',
      dossierId: 'd1',
      dossierCode: 'C-d1',
      agency: '000.00.15.H24',
      seq: 1,
      idempotencyKey: 'portal:d1:1',
      state: 'dead',
      blocked: false,
      attempts: 0,
      nextAttemptAt: toVnIso(0),
      lastError: 'boom',
      createdAt: toVnIso(NOW),
      updatedAt: toVnIso(0),
    });
    expect(first.items[1]).toMatchObject({ id: b, blocked: true, nextAttemptAt: toVnIso(NOW + 5) });
    const last = await listTransfers(s.db, { state: 'dead', limit: 2, after: b });
    expect(last.items.map((i) => i.dossierId)).toEqual(['d2']);
    expect(last.nextAfter).toBeNull();
    expect(
      (await listTransfers(s.db, { state: 'dead', limit: 5, agency: '000.00.16.H24' })).items,
    ).toHaveLength(1);
  });
});

describe('replayTransfers', () => {
  it('queues the chosen dead transfers again and logs who replayed what', async () => {
    const a = await addTransfer(s, 'd1', { state: 'dead', attempts: 4 });
    await addTransfer(s, 'd2', { state: 'dead' });
    const filter = { dossierId: 'd1' };
    const result = await s.transaction((trx) => replayTransfers(trx, { filter }, principal, NOW));
    expect(result).toEqual({ replayed: 1 });
    expect(
      s.sqlite.prepare('SELECT state, attempts, next_attempt_at_ms FROM transfers WHERE id = ?').get(a),
    ).toEqual({ state: 'pending', attempts: 0, next_attempt_at_ms: NOW });
    const log = s.sqlite.prepare('SELECT at_ms, kind, actor, data FROM reconciliation_log').all() as {
      data: string;
    }[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ at_ms: NOW, kind: 'transfer.replayed', actor: 'operator:ops (c-1)' });
    expect(JSON.parse(log[0]?.data ?? '')).toEqual({ count: 1, ids: [a], filter, byIds: false });
  });

  it('writes nothing to the log when nothing matched, and names an unknown caller', async () => {
    expect(await s.transaction((trx) => replayTransfers(trx, { ids: [] }, principal, NOW))).toEqual({
      replayed: 0,
    });
    expect(s.sqlite.prepare('SELECT count(*) AS n FROM reconciliation_log').get()).toEqual({ n: 0 });
    const b = await addTransfer(s, 'd2', { state: 'dead' });
    expect(await s.transaction((trx) => replayTransfers(trx, { ids: [b] }, undefined, NOW))).toEqual({
      replayed: 1,
    });
    const entry = s.sqlite.prepare('SELECT actor, data FROM reconciliation_log').get() as {
      actor: string;
      data: string;
    };
    expect(entry.actor).toBe('unknown');
    expect(JSON.parse(entry.data)).toEqual({ count: 1, ids: [b], byIds: true });
  });
});

describe('destinationHealth', () => {
  it('is ok with an empty queue and no destination row yet', async () => {
    expect(await destinationHealth(s.db, NOW)).toEqual({
      status: 'ok',
      destinations: [
        {
          name: 'portal',
          circuit: 'closed',
          pending: 0,
          held: 0,
          oldestPendingAgeMs: null,
          dead: 0,
          blocked: 0,
          lastSuccessAt: null,
          lastError: null,
          lastErrorAt: null,
          alert: null,
        },
      ],
      reviewsPending: 0,
      sms: {
        name: 'sms',
        circuit: 'closed',
        pending: 0,
        held: 0,
        oldestPendingAgeMs: null,
        dead: 0,
        blocked: 0,
        lastSuccessAt: null,
        lastError: null,
        lastErrorAt: null,
        alert: null,
      },
      departments: [],
      postal: { oldestUnclaimedJobAgeMs: null, openFindings: 0 },
    });
  });

  it('counts the queue, and is degraded by a dead letter and in alert on a fault', async () => {
    await addTransfer(s, 'd1', { state: 'dead' });
    await addTransfer(s, 'd1', { created_at_ms: NOW - 300 }); // blocked
    await addTransfer(s, 'd2', { state: 'in_flight', created_at_ms: NOW - 900 });
    await addTransfer(s, 'd2', { state: 'held', created_at_ms: NOW - 5_000 });
    s.sqlite
      .prepare(
        "INSERT INTO dedup_reviews (id, dossier_id, candidates, state, created_at_ms) VALUES ('r1', 'd1', '[]', 'pending', 0)",
      )
      .run();
    const degraded = await destinationHealth(s.db, NOW);
    expect(degraded).toMatchObject({ status: 'degraded', reviewsPending: 1 });
    expect(degraded.destinations[0]).toMatchObject({
      pending: 2,
      held: 1,
      dead: 1,
      blocked: 1,
      oldestPendingAgeMs: 900,
    });
    await ensureDestination(s.db, 'portal');
    await recordDestinationFailure(s.db, {
      name: 'portal',
      failures: 1,
      message: 'HTTP_404 portal answered HTTP 404',
      now: NOW - 1,
      openUntil: NOW + 10,
      alert: 'HTTP_404 portal answered HTTP 404',
    });
    const alert = await destinationHealth(s.db, NOW);
    expect(alert.status).toBe('alert');
    expect(alert.destinations[0]).toMatchObject({
      circuit: 'open',
      lastError: 'HTTP_404 portal answered HTTP 404',
      lastErrorAt: toVnIso(NOW - 1),
      alert: 'HTTP_404 portal answered HTTP 404',
    });
  });
});
