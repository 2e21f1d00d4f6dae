import { afterAll, describe, expect, it } from 'vitest';
import { appendLog } from '../../src/reconciliation/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { migrateToLatest } from '../../src/store/store.js';
import { tempDbPath } from '../helpers/gateway.js';

const path = tempDbPath();
const store = openSqliteStore(path);
afterAll(async () => {
  await store.close();
});

const countLog = () =>
  (store.sqlite.prepare('SELECT count(*) AS n FROM reconciliation_log').get() as { n: number }).n;

describe('group commit', () => {
  it('commits concurrent units together, and one failing unit fails alone', async () => {
    await migrateToLatest(store.db);
    const units = Array.from({ length: 60 }, (_, i) =>
      store.transaction(async (trx) => {
        await appendLog(trx, { kind: 'test', actor: 'group', data: { i } }, Date.now());
        if (i % 10 === 3) throw new Error(`unit ${i} fails`);
        return i;
      }),
    );
    const results = await Promise.allSettled(units);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(6);
    expect(
      results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value),
    ).toHaveLength(54);
    expect(countLog()).toBe(54);
    const rows = store.sqlite.prepare('SELECT data FROM reconciliation_log ORDER BY id').all() as {
      data: string;
    }[];
    expect(rows.some((r) => JSON.parse(r.data).i % 10 === 3)).toBe(false);
  });

  it('answers only after the group is committed: a fresh connection already sees every resolved unit', async () => {
    const before = countLog();
    const other = openSqliteStore(path, { groupCommit: false });
    try {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await store.transaction((trx) =>
            appendLog(trx, { kind: 'test', actor: 'visible', data: { i } }, Date.now()),
          );
          const seen = (
            other.sqlite
              .prepare("SELECT count(*) AS n FROM reconciliation_log WHERE actor = 'visible' AND data = ?")
              .get(JSON.stringify({ i })) as { n: number }
          ).n;
          expect(seen).toBe(1);
        }),
      );
    } finally {
      await other.close();
    }
    expect(countLog()).toBe(before + 20);
  });

  it('groups the units that arrive in one turn of the event loop into one transaction', async () => {
    const other = openSqliteStore(path, { groupCommit: false });
    const committed = () =>
      (
        other.sqlite.prepare("SELECT count(*) AS n FROM reconciliation_log WHERE actor = 'turn'").get() as {
          n: number;
        }
      ).n;
    try {
      // Each unit looks, from another connection, at how many units of this batch are already committed:
      // one shared transaction means none is, for any of them.
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.transaction(async (trx) => {
            const visible = committed();
            await appendLog(trx, { kind: 'test', actor: 'turn', data: { i } }, Date.now());
            return visible;
          }),
        ),
      );
      expect(seen).toEqual(Array(20).fill(0));
      expect(committed()).toBe(20);
    } finally {
      await other.close();
    }
  });
});
